// End to end, the publishing side of issue 8 ("no pull-request author gets a pass they did not
// earn"): the built app as child processes against the GitHub stand-in, driven by signed webhooks.
// - One head commit, several pull requests: a PR into a branch that already holds the change
//   cannot turn the shared head's check green (test/security/one-head-many-pulls.test.ts has the
//   variants).
// - Freshness: a slow `/readiness recheck` cannot put `success` back over the `action_required` of
//   an evaluation that started after it, in one replica and across two that share Redis
//   (TEST_REDIS_URL, see test/support/services.ts; test/security/freshness.test.ts has the
//   publisher's own cases).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testService } from "../support/services.js";
import { baseFiles, results } from "./fixtures.js";
import { type AppProcess, buildApp, E2E, expectClean, waitFor } from "./harness.js";

const redis = await testService("redis");

let e2e: E2E;
let replicas: [AppProcess, AppProcess];

beforeAll(async () => {
  buildApp();
  e2e = await E2E.start();
  if (redis.available) {
    const REDIS_URL = redis.url;
    replicas = [await e2e.startReplica({ REDIS_URL }), await e2e.startReplica({ REDIS_URL })];
  }
  e2e.gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
  e2e.gh.addTeam("acme", "ai-governance", { members: ["gina"] });
  e2e.gh.addOrgMember("acme", "alice");
  e2e.gh.addUser("mallory");
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

describe("one head commit, several pull requests", { timeout: 60_000 }, () => {
  it("keeps the check of the PR into main red when a PR into the decoy branch shares its head", async () => {
    const repo = "acme/trust-shared-head";
    e2e.gh.addRepo(repo, { files: baseFiles(), author: "alice" });
    e2e.gh.commit(repo, {
      branch: "decoy",
      parent: "main",
      author: "mallory",
      files: { "models/churn/model.py": "weights = 666\n" },
    });
    e2e.gh.commit(repo, {
      branch: "retrain",
      parent: "decoy",
      author: "mallory",
      files: { "README.md": "# app, retrained\n" },
    });
    const main = e2e.gh.openPullRequest(repo, { head: "retrain", base: "main", user: "mallory" });
    await e2e.pullRequestEvent(repo, main.number);
    const blocked = await e2e.waitForRun(repo, main.number);
    expect(blocked.conclusion).toBe("failure");

    const decoy = e2e.gh.openPullRequest(repo, { head: "retrain", base: "decoy", user: "mallory" });
    expect(decoy.head.sha).toBe(main.head.sha);
    const writes = e2e.runWrites(repo, main.number);
    await e2e.pullRequestEvent(repo, decoy.number);
    const after = await e2e.waitForWrite(repo, main.number, writes);
    expect(after.conclusion).toBe("failure");
    expect(after.id).toBe(blocked.id);
    expect(after.output.title).toMatch(new RegExp(`#${main.number} of 2 PRs on this commit$`));
    expect(after.output.summary ?? "").toMatch(new RegExp(`#${decoy.number}\\]\\([^)]+\\) ➖ not governed`));
    await expectClean(e2e);
  });
});

describe("freshness", { timeout: 60_000 }, () => {
  /** An approved, green PR. */
  async function approvedPull(name: string, via: { send: E2E["send"] }) {
    const repo = `acme/${name}`;
    e2e.gh.addRepo(repo, { files: baseFiles(), author: "alice" });
    const pr = e2e.gh.openPullRequest(repo, {
      head: "retrain",
      user: "alice",
      files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
    });
    const approval = e2e.gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });
    await via.send("pull_request_review", e2e.hooks.review(repo, pr.number, approval.id));
    await e2e.waitForRun(repo, pr.number, (r) => r.conclusion === "success");
    await e2e.settle();
    return { repo, pr, approval };
  }

  /**
   * `/readiness recheck` whose first query is answered slowly (it still sees the approval), on
   * `recheckOn`; meanwhile the approval is dismissed and `dismissalOn` evaluates that.
   */
  async function slowRecheckRacingADismissal(
    recheckOn: { send: E2E["send"] },
    dismissalOn: { send: E2E["send"] },
    { repo, pr, approval }: Awaited<ReturnType<typeof approvedPull>>,
  ) {
    e2e.gh.clearLog();
    e2e.gh.delayNext("POST", "/graphql", 2000, { body: /pullRequest\(number:/ });
    const comment = e2e.gh.addIssueComment(repo, pr.number, { user: "alice", body: "/readiness recheck" });
    // Not awaited: the app answers a delivery once it is handled, and this one is slow.
    const recheck = recheckOn.send("issue_comment", e2e.hooks.comment(repo, pr.number, comment.id));
    await waitFor("the recheck's first query", () => e2e.gh.requestsTo("POST /graphql").length > 0);
    e2e.gh.dismissReview(repo, pr.number, approval.id);
    const writes = e2e.runWrites(repo, pr.number);
    await dismissalOn.send(
      "pull_request_review",
      e2e.hooks.review(repo, pr.number, approval.id, "dismissed"),
    );
    const waiting = await e2e.waitForWrite(repo, pr.number, writes);
    expect(waiting.conclusion).toBe("action_required");
    // The recheck's answer arrives, it evaluates `ready`, and must leave the newer result alone.
    expect((await recheck).status).toBeLessThan(300);
    await e2e.settle();
    const runs = e2e.runs(repo, pr.number);
    expect(runs.map((r) => r.conclusion)).toEqual(["action_required"]);
    expect(runs[0]?.writes).toBe(writes + 1);
    await expectClean(e2e);
  }

  it("does not put success back over a later action_required, in one replica", async () => {
    const pull = await approvedPull("trust-slow-recheck", e2e);
    await slowRecheckRacingADismissal(e2e, e2e, pull);
  });

  it.runIf(redis.available)("does not put success back across two replicas sharing Redis", async () => {
    const pull = await approvedPull("trust-slow-recheck-replicas", replicas[0]);
    await slowRecheckRacingADismissal(replicas[0], replicas[1], pull);
  });
});
