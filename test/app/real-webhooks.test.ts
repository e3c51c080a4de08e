// GitHub's own example webhooks (@octokit/webhooks-examples), one or more of every event and
// action the app subscribes to (app.yml), delivered to the app on the GitHub stand-in. The
// stand-in holds each example's repository with the sample policy, PR #2 changing the governed
// model, and the queue commit of the merge group; the examples' commit SHAs are replaced by the
// stand-in's (real git SHAs cannot be chosen). Each delivery carries the stand-in's installation
// and is checked against GitHub's webhook schema (InProcessApp.receive).
import { afterEach, describe, expect, it } from "vitest";
import { RELEASE_CHECK_NAME } from "../../src/report/release.js";
import { InProcessApp } from "../e2e/in-process.js";
import type { PullRequestRecord } from "../support/github-standin/records.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { type ExamplePayload, githubExamples } from "../support/webhook-examples.js";
import { webhookProblems } from "../support/webhook-schema.js";
import { expectAccepted, NOW, openPull, RETRAINED, writes } from "./on-standin.js";
import { baseFiles, TEAMS } from "./repository.js";

const HELLO = "Codertocat/Hello-World";
const QUEUE_REPO = "octo-org/octo-repo";

interface World {
  gh: GitHubStandIn;
  app: InProcessApp;
  /** PR #2 of Codertocat/Hello-World, as in the examples: the retrained model. */
  pr: PullRequestRecord;
  /** The merge queue's commit in octo-org/octo-repo, with the retrained model. */
  queue: { base: string; head: string };
  /** The examples' release `0.0.1` of Codertocat/Hello-World, its tag on master. */
  release: number;
}

let world: World | undefined;

afterEach(async () => {
  await world?.gh.close();
  world = undefined;
});

function governedRepository(gh: GitHubStandIn, repo: string, defaultBranch: string): void {
  const [owner = ""] = repo.split("/");
  for (const [team, members] of Object.entries(TEAMS))
    gh.addTeam(owner, team.replace(/^acme\//, ""), { members });
  gh.addOrgMember(owner, "alice");
  gh.addRepo(repo, { files: baseFiles(), author: "alice", defaultBranch });
}

async function start(): Promise<World> {
  const gh = await startGitHubStandIn({ now: () => NOW });
  governedRepository(gh, HELLO, "master");
  gh.addIssue(HELLO, { title: "Spelling error in the README file", user: "Codertocat" }); // #1, as in the examples
  const pr = openPull(gh, { repo: HELLO, head: "changes", user: "Codertocat" });
  if (pr.number !== 2) throw new Error(`the examples' PR is #2, the stand-in's #${pr.number}`);
  governedRepository(gh, QUEUE_REPO, "main");
  const [group] = githubExamples("merge_group", "checks_requested");
  const headRef = String((group?.merge_group as { head_ref?: string } | undefined)?.head_ref).replace(
    "refs/heads/",
    "",
  );
  const base = gh.resolveRef(QUEUE_REPO, "main") as string;
  const head = gh.commit(QUEUE_REPO, { branch: headRef, parent: "main", author: "dana", files: RETRAINED });
  const release = gh.addRelease(HELLO, { tag_name: "0.0.1", target_commitish: "master" }).id;
  const app = await InProcessApp.start(gh, { now: () => NOW });
  world = { gh, app, pr, queue: { base, head }, release };
  return world;
}

/**
 * The example on the stand-in: its commits replaced by the stand-in's (PR #2's head and base,
 * the merge group's commits), and what GitHub's payloads have gained since it was recorded
 * filled in with GitHub's defaults. Anything else the schema asks for still fails the delivery.
 */
function onStandIn(example: ExamplePayload, { gh, pr, queue, release }: World): ExamplePayload {
  const pull = (githubExamples("pull_request", "opened")[0]?.pull_request ?? {}) as {
    head: { sha: string };
    base: { sha: string };
  };
  const group = (githubExamples("merge_group", "checks_requested")[0]?.merge_group ?? {}) as {
    head_sha: string;
    base_sha: string;
  };
  const shas: Record<string, string> = {
    [pull.head.sha]: pr.head.sha,
    [pull.base.sha]: pr.base.sha,
    [group.head_sha]: queue.head,
    [group.base_sha]: queue.base,
  };
  const text = JSON.stringify(example).replace(/\b[0-9a-f]{40}\b/g, (sha) => shas[sha] ?? sha);
  const payload = upToDate(JSON.parse(text));
  // The release: the stand-in's, so its assets and its edits have somewhere to go.
  if (payload.release && typeof payload.release === "object") {
    const repo = gh.repo(HELLO);
    const ours = gh.render.release(repo, repo.releases.get(release) as never) as Record<string, unknown>;
    const { id, url, assets_url, upload_url, html_url, node_id } = ours;
    const recorded = payload.release as { created_at?: string; updated_at?: string; immutable?: boolean };
    // Fields GitHub's releases gained after the examples were recorded, at their defaults.
    recorded.updated_at ??= recorded.created_at;
    recorded.immutable ??= false;
    Object.assign(payload.release, { id, url, assets_url, upload_url, html_url, node_id });
  }
  return payload;
}

/** Fields GitHub added to its payloads after some examples were recorded, at their defaults. */
function upToDate<T>(value: T): T {
  if (Array.isArray(value)) return value.map(upToDate) as T;
  if (value === null || typeof value !== "object") return value;
  const object = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, upToDate(v)]));
  if ("full_name" in object && "has_issues" in object) {
    object.has_discussions ??= false;
    object.topics ??= [];
    object.visibility ??= object.private ? "private" : "public";
  }
  // Deliveries say "" for no home page; the schema reads that as `null` (its format is a URI).
  if (object.homepage === "") object.homepage = null;
  if ("head" in object && "base" in object && "merged_at" in object) {
    object.draft ??= false;
    object.auto_merge ??= null;
    object.active_lock_reason ??= null;
  }
  return object as T;
}

/**
 * The first example of the kind that GitHub's schema accepts once on the stand-in; `from`, an
 * example of another action of the event re-labelled, where every example of this one is too old.
 */
function example(event: string, action: string | undefined, w: World, from?: string): ExamplePayload {
  const candidates = githubExamples(event, from ?? action)
    .map((e) => (from ? relabelled(e, action) : e))
    .map((e) => onStandIn(e, w));
  const valid = candidates.find((e) => webhookProblems(event, e).length === 0);
  if (!valid && candidates[0] === undefined) throw new Error(`no example of ${event}.${action}`);
  return valid ?? (candidates[0] as ExamplePayload); // fails in receive, listing the problems
}

function relabelled(example: ExamplePayload, action: string | undefined): ExamplePayload {
  const { requested_action: _button, ...rest } = example;
  return { ...rest, action };
}

function errorsLogged(app: InProcessApp) {
  return app.log.filter((line) => Number(line.level) >= 50).map((line) => line.msg);
}

interface Case {
  event: string;
  action?: string;
  /** Another action's example to use, when this action's examples predate GitHub's schema. */
  from?: string;
  /**
   * The conclusion the check run on the example's head shows (for a release: `Readiness gate /
   * release` on its tag's commit), or `ignored`: nothing is posted.
   */
  shows: "action_required" | "success" | "ignored";
  why: string;
}

const CASES: Case[] = [
  {
    event: "pull_request",
    action: "opened",
    shows: "action_required",
    why: "evidence holds, approval missing",
  },
  { event: "pull_request", action: "synchronize", shows: "action_required", why: "a new head" },
  { event: "pull_request", action: "reopened", shows: "action_required", why: "open again" },
  { event: "pull_request", action: "ready_for_review", shows: "action_required", why: "out of draft" },
  { event: "pull_request", action: "closed", shows: "ignored", why: "not subscribed" },
  { event: "pull_request_review", action: "submitted", shows: "action_required", why: "approvals changed" },
  { event: "pull_request_review", action: "dismissed", shows: "action_required", why: "approvals changed" },
  { event: "check_suite", action: "rerequested", shows: "action_required", why: "lists PR #2" },
  { event: "check_suite", action: "requested", shows: "ignored", why: "lists no pull request" },
  // GitHub's rerequested examples lack fields every check run has now (node_id, details_url…).
  {
    event: "check_run",
    action: "rerequested",
    from: "requested_action",
    shows: "ignored",
    why: "another app's run",
  },
  { event: "check_run", action: "requested_action", shows: "ignored", why: "another app's button" },
  { event: "issue_comment", action: "created", shows: "ignored", why: "not a command, on an issue" },
  { event: "merge_group", action: "checks_requested", shows: "success", why: "the group's evidence holds" },
  { event: "push", shows: "ignored", why: "no policy change" },
  {
    event: "release",
    action: "created",
    shows: "success",
    why: "the first release, its history before the policy",
  },
  {
    event: "release",
    action: "published",
    shows: "success",
    why: "the first release, its history before the policy",
  },
  {
    event: "release",
    action: "edited",
    shows: "success",
    why: "the first release, its history before the policy",
  },
  { event: "membership", action: "added", shows: "ignored", why: "no PR has a run yet" },
  { event: "membership", action: "removed", shows: "ignored", why: "no PR has a run yet" },
];

describe("GitHub's example webhooks", () => {
  it.each(CASES.map((c) => ({ ...c, kind: [c.event, c.action].filter(Boolean).join(".") })))(
    "$kind ($why): $shows",
    async ({ event, action, from, shows }) => {
      const w = await start();
      const payload = example(event, action, w, from);
      await w.app.receive(event, payload);
      if (shows === "ignored") {
        expect(writes(w.gh)).toEqual([]);
      } else if (event === "release") {
        const tagged = w.gh.resolveRef(HELLO, "0.0.1") as string;
        const runs = w.gh.checkRunsFor(HELLO, tagged).filter((r) => r.name === RELEASE_CHECK_NAME);
        expect(runs.map((r) => r.conclusion)).toEqual([shows]);
      } else {
        const [repo, sha] = event === "merge_group" ? [QUEUE_REPO, w.queue.head] : [HELLO, w.pr.head.sha];
        const run = w.app.shown(repo, sha);
        expect(run.conclusion).toBe(shows);
      }
      expect(errorsLogged(w.app)).toEqual([]);
      expectAccepted(w.gh);
    },
  );

  it("covers every event and action the app subscribes to that GitHub has an example of", () => {
    const subscribed = {
      pull_request: ["opened", "synchronize", "reopened", "ready_for_review", "edited"],
      pull_request_review: ["submitted", "edited", "dismissed"],
      check_run: ["rerequested", "requested_action"],
      check_suite: ["requested", "rerequested"],
      issue_comment: ["created"],
      merge_group: ["checks_requested"],
      membership: ["added", "removed"],
      release: ["created", "published", "edited"],
      deployment_protection_rule: ["requested"],
    };
    const covered = new Set(CASES.map((c) => `${c.event}.${c.action}`));
    const withoutExample: string[] = [];
    for (const [event, actions] of Object.entries(subscribed)) {
      for (const action of actions) {
        if (githubExamples(event, action).length === 0) withoutExample.push(`${event}.${action}`);
        else expect(covered, `${event}.${action}`).toContain(`${event}.${action}`);
      }
    }
    // Covered by the stand-in's own payloads instead (test/app/pull-request.test.ts, events.test.ts).
    // deployment_protection_rule: built from the webhook schema (test/app/deployment.test.ts).
    expect(withoutExample).toEqual([
      "pull_request.edited",
      "pull_request_review.edited",
      "deployment_protection_rule.requested",
    ]);
    expect(githubExamples("push").length).toBeGreaterThan(0);
  });
});
