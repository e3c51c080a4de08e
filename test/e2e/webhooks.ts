// Webhook payloads as GitHub would send them, built from the stand-in's state: one builder for
// the end-to-end harness (the app as a child process) and the in-process one (in-process.ts).

import type { RepoRecord } from "../support/github-standin/records.js";
import type { GitHubStandIn } from "../support/github-standin.js";

export type Payload = Record<string, unknown>;

export class Webhooks {
  constructor(private readonly gh: GitHubStandIn) {}

  private repo(name: string): RepoRecord {
    return this.gh.repo(name);
  }

  pullRequest(repoName: string, number: number, action: string, sender?: string) {
    const repo = this.repo(repoName);
    const pr = this.gh.pullRequest(repo, number);
    return {
      action,
      number,
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
      review: this.gh.render.review(repo, number, review),
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
    return {
      action,
      check_suite: {
        id: this.gh.nextId(),
        head_sha: headSha,
        head_branch: pulls[0]?.head.ref ?? null,
        status: "queued",
        conclusion: null,
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
