// Webhook payloads as GitHub would send them, built from the stand-in's state: one builder for
// the end-to-end harness (the app as a child process) and the in-process one (in-process.ts).

import { commitsBetween } from "../support/github-standin/git.js";
import type { RepoRecord } from "../support/github-standin/records.js";
import type { GitHubStandIn } from "../support/github-standin.js";

export type Payload = Record<string, unknown>;

/** What a push names as the tip of a ref that does not exist (before a creation, after a deletion). */
const ZERO_SHA = "0".repeat(40);

export class Webhooks {
  constructor(private readonly gh: GitHubStandIn) {}

  private repo(name: string): RepoRecord {
    return this.gh.repo(name);
  }

  pullRequest(repoName: string, number: number, action: string, sender?: string) {
    const repo = this.repo(repoName);
    const pr = this.gh.pullRequest(repo, number);
    // A push to the PR's branch: GitHub names the head before and after it (here, the new head's parent).
    const pushed =
      action === "synchronize"
        ? { before: this.gh.getCommit(repo, pr.head.sha)?.parents[0] ?? pr.base.sha, after: pr.head.sha }
        : {};
    return {
      action,
      number,
      ...pushed,
      pull_request: this.gh.render.pullRequest(repo, pr),
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(sender ?? pr.user),
    };
  }

  /**
   * Retargets the PR to `base` in the stand-in, then returns what GitHub sends:
   * `pull_request.edited` with `changes.base` naming the old base.
   */
  retarget(repoName: string, number: number, base: string, sender?: string): Payload {
    const pr = this.gh.pullRequest(repoName, number);
    const from = { ...pr.base };
    this.gh.updatePullRequest(repoName, number, { base });
    return {
      ...this.pullRequest(repoName, number, "edited", sender),
      changes: { base: { ref: { from: from.ref }, sha: { from: from.sha } } },
    };
  }

  review(repoName: string, number: number, reviewId: number, action = "submitted"): Payload {
    const repo = this.repo(repoName);
    const pr = this.gh.pullRequest(repo, number);
    const review = (repo.reviews.get(number) ?? []).find((r) => r.id === reviewId);
    if (!review) throw new Error(`no review ${reviewId}`);
    return {
      action,
      // An edit of the review's text (the only edit GitHub reports) names the text before it.
      ...(action === "edited" ? { changes: { body: { from: review.body } } } : {}),
      // Webhooks spell the state in lower case (`approved`), the REST API in upper case.
      review: { ...this.gh.render.review(repo, number, review), state: review.state.toLowerCase() },
      pull_request: this.gh.render.pullRequest(repo, pr),
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(review.user),
    };
  }

  comment(repoName: string, number: number, commentId: number): Payload {
    const repo = this.repo(repoName);
    const pr = this.gh.pullRequest(repo, number);
    const comment = (repo.comments.get(number) ?? []).find((c) => c.id === commentId);
    if (!comment) throw new Error(`no comment ${commentId}`);
    return {
      action: "created",
      issue: this.gh.render.issue(repo, pr),
      comment: this.gh.render.issueComment(repo, comment),
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(comment.user),
    };
  }

  /**
   * `check_run.rerequested` (the Re-run link) or `requested_action` (a button) on a run; GitHub
   * lists the open PRs of the repository whose head is the run's commit.
   */
  checkRun(repoName: string, runId: number, sender: string, identifier?: string): Payload {
    const repo = this.repo(repoName);
    const run = repo.checkRuns.get(runId);
    if (!run) throw new Error(`no check run ${runId}`);
    return {
      action: identifier ? "requested_action" : "rerequested",
      check_run: this.gh.render.checkRun(repo, run),
      ...(identifier ? { requested_action: { identifier } } : {}),
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(sender),
    };
  }

  /** `check_suite.requested`/`rerequested` for a head: GitHub lists the open PRs with that head. */
  checkSuite(repoName: string, headSha: string, action = "rerequested", sender?: string): Payload {
    const repo = this.repo(repoName);
    const pulls = [...repo.pulls.values()].filter((pr) => pr.state === "open" && pr.head.sha === headSha);
    const ref = (branch: { ref: string; sha: string }) => ({
      ref: branch.ref,
      sha: branch.sha,
      repo: { id: repo.id, url: `${this.gh.baseUrl}/repos/${repo.full_name}`, name: repo.name },
    });
    const id = this.gh.nextId();
    const url = `${this.gh.baseUrl}/repos/${repo.full_name}/check-suites/${id}`;
    const at = this.gh.timestamp();
    return {
      action,
      check_suite: {
        id,
        node_id: Buffer.from(`CheckSuite:${id}`).toString("base64url"),
        head_sha: headSha,
        head_branch: pulls[0]?.head.ref ?? null,
        status: "queued",
        conclusion: null,
        url,
        before: this.gh.getCommit(repo, headSha)?.parents[0] ?? null,
        after: headSha,
        created_at: at,
        updated_at: at,
        latest_check_runs_count: 0,
        check_runs_url: `${url}/check-runs`,
        head_commit: this.simpleCommit(repo, headSha),
        app: this.gh.render.app(),
        pull_requests: pulls.map((pr) => ({
          url: `${this.gh.baseUrl}/repos/${repo.full_name}/pulls/${pr.number}`,
          id: pr.id,
          number: pr.number,
          head: ref(pr.head),
          base: ref(pr.base),
        })),
      },
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(sender ?? pulls[0]?.user ?? repo.owner),
    };
  }

  /**
   * `push` of `ref` (a branch or tag, in full) from `before` to the ref's tip: the commits between
   * them, oldest first, each with the paths it added, modified and removed, at most 20 as GitHub lists.
   * `forced` when `before` is not an ancestor of the new tip (a force-push: the commits listed are
   * the new tip's that `before` lacks). A ref that no longer exists is a deletion: `after` is all
   * zeros, no commits, `deleted: true`.
   */
  push(repoName: string, ref: string, before: string, sender?: string): Payload {
    const repo = this.repo(repoName);
    const name = ref.replace(/^refs\/(heads|tags)\//, "");
    const after = this.gh.resolveRef(repo, name);
    const pusher = this.gh.render.user(sender ?? repo.owner);
    const pushed = {
      ref,
      before,
      repository: this.gh.render.pushRepository(repo),
      pusher: { name: pusher.login, email: null },
      sender: pusher,
      base_ref: null,
      created: false,
    };
    if (!after) {
      return {
        ...pushed,
        after: ZERO_SHA,
        deleted: true,
        forced: false,
        compare: `${this.gh.render.web}/${repo.full_name}/compare/${before.slice(0, 12)}...000000000000`,
        commits: [],
        head_commit: null,
      };
    }
    // A new ref (`before` all zeros): the commits its branch adds to the default branch; a new tag
    // lists none. A force-push (`before` not below the new tip): the commits `before` lacks.
    const created = /^0+$/.test(before);
    const isTag = ref.startsWith("refs/tags/");
    const defaultTip = repo.branches.get(repo.default_branch);
    const from = created ? (name === repo.default_branch ? undefined : defaultTip) : before;
    const listed = created && isTag ? [] : commitsBetween(this.gh.lookup(repo), from, after);
    const forced = !created && this.gh.mergeBase(repo, before, after) !== before;
    const commits = listed.slice(-20).map((sha) => this.pushedCommit(repo, sha));
    return {
      ...pushed,
      after,
      created,
      deleted: false,
      forced,
      compare: created
        ? `${this.gh.render.web}/${repo.full_name}/compare/${name}`
        : `${this.gh.render.web}/${repo.full_name}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits,
      // The new tip, even when the push adds no commit of its own (a branch made at an existing commit).
      head_commit: this.pushedCommit(repo, after),
    };
  }

  /**
   * `release.created`, `published` or `edited` for a release of the stand-in (`sender`: default its
   * author). An edit names what changed before it in `changes` (`{ body: { from: "old notes" } }`).
   */
  release(
    repoName: string,
    releaseId: number,
    action: "created" | "published" | "edited",
    sender?: string,
    changes: Record<string, { from: string }> = {},
  ): Payload {
    const repo = this.repo(repoName);
    const release = repo.releases.get(releaseId);
    if (!release) throw new Error(`no release ${releaseId} in ${repoName}`);
    const rendered = this.gh.render.release(repo, release) as Payload;
    return {
      action,
      ...(action === "edited" ? { changes } : {}),
      // The webhook's release also says when it was last changed (REST's does not).
      release: { ...rendered, updated_at: release.published_at ?? release.created_at },
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(sender ?? release.author),
    };
  }

  /**
   * `deployment_protection_rule.requested`: a workflow run `runId` (started by `event`, default
   * "push") wants to deploy `sha` to `environment` and waits for the app's answer at
   * `deployment_callback_url`. The deployment is recorded in the stand-in (`addDeployment`), so
   * GET /repos/{o}/{r}/deployments/{id} finds it. GitHub documents no example of this payload:
   * it is built from the webhook schema.
   */
  deploymentProtectionRule(
    repoName: string,
    options: {
      environment: string;
      sha: string;
      runId: number;
      ref?: string;
      event?: string;
      sender?: string;
    },
  ): Payload {
    const repo = this.repo(repoName);
    const deployment = this.gh.addDeployment(repo, {
      environment: options.environment,
      sha: options.sha,
      ref: options.ref ?? repo.default_branch,
      ...(options.sender ? { creator: options.sender } : {}),
    });
    return {
      action: "requested",
      environment: options.environment,
      event: options.event ?? "push",
      deployment_callback_url: `${this.gh.baseUrl}/repos/${repo.full_name}/actions/runs/${options.runId}/deployment_protection_rule`,
      deployment: this.gh.render.deployment(repo, deployment),
      pull_requests: [],
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(deployment.creator),
    };
  }

  private pushedCommit(repo: RepoRecord, sha: string): Payload {
    const commit = this.gh.getCommit(repo, sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    const git = this.gh.render.gitCommit(repo, commit) as { author: Payload; committer: Payload };
    const changes = this.gh.commitChanges(repo, sha);
    const paths = (...statuses: string[]) =>
      changes.filter((c) => statuses.includes(c.status)).map((c) => c.filename);
    return {
      id: sha,
      tree_id: commit.tree,
      distinct: true,
      message: commit.message,
      timestamp: commit.date,
      url: `${this.gh.render.web}/${repo.full_name}/commit/${sha}`,
      author: { name: git.author.name, email: git.author.email, username: commit.author },
      committer: { name: git.committer.name, email: git.committer.email, username: commit.committer },
      added: paths("added", "renamed"),
      removed: [
        ...paths("removed"),
        ...changes.flatMap((c) =>
          c.status === "renamed" && c.previous_filename ? [c.previous_filename] : [],
        ),
      ],
      modified: paths("modified"),
    };
  }

  /**
   * `merge_group.checks_requested`: the merge queue asks for checks on its commit `headSha`
   * (branch `headRef`, without refs/heads/) on top of `baseSha`, the tip of the base branch.
   */
  mergeGroup(repoName: string, headRef: string, baseSha: string, headSha: string, sender = "dana"): Payload {
    const repo = this.repo(repoName);
    const base = headRef.match(/^gh-readonly-queue\/(.+)\/pr-/)?.[1] ?? repo.default_branch;
    return {
      action: "checks_requested",
      merge_group: {
        head_sha: headSha,
        head_ref: `refs/heads/${headRef}`,
        base_sha: baseSha,
        base_ref: `refs/heads/${base}`,
        head_commit: this.simpleCommit(repo, headSha),
      },
      repository: this.gh.render.repository(repo),
      sender: this.gh.render.user(sender),
    };
  }

  /** A commit as a check suite or merge group names its head. */
  private simpleCommit(repo: RepoRecord, sha: string): Payload {
    const commit = this.gh.getCommit(repo, sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    const git = this.gh.render.gitCommit(repo, commit) as { author: Payload; committer: Payload };
    return {
      id: sha,
      tree_id: commit.tree,
      message: commit.message,
      timestamp: commit.date,
      author: { name: git.author.name, email: git.author.email },
      committer: { name: git.committer.name, email: git.committer.email },
    };
  }

  /** `membership.added`/`removed` of `member` in the org's team `slug`. */
  membership(org: string, slug: string, member: string, action: "added" | "removed"): Payload {
    const team = this.gh.team(org, slug);
    if (!team) throw new Error(`no team ${org}/${slug}`);
    return {
      action,
      scope: "team",
      member: this.gh.render.user(member),
      team: this.gh.render.team(team),
      organization: this.gh.render.org(org),
      sender: this.gh.render.user(member),
    };
  }
}
