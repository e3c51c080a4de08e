// Class 2: freshness. An evaluation must never overwrite a result published by an evaluation that
// started after it. The attack: the PR is approved and green; its author comments
// `/readiness recheck`, whose reads happen to be slow (they still see the approval); meanwhile the
// approval is dismissed and that evaluation publishes `action_required`; then the slow recheck
// finishes and used to publish `success` over it. Results are ordered by when each evaluation
// started reading (a stamp taken before its first read), in one process by the publisher and
// across replicas through Redis; a stale result is logged and skipped, never counted as a failure.
//
// Through the GitHub stand-in, the app in this process (every request checked by the stand-in);
// Redis is a real one (TEST_REDIS_URL, see test/support/services.ts); the tests sharing it are
// skipped when it cannot be reached.
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import type { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckRunTarget, createPublisher, stampOf } from "../../src/app/publish.js";
import { redisOrder, type WriteOrder } from "../../src/app/write-order.js";
import { GitHubClient } from "../../src/facts/github-client.js";
import { GraphQLBatcher } from "../../src/facts/github-graphql.js";
import type { CheckRunOutput } from "../../src/report/index.js";
import { baseFiles, results } from "../e2e/fixtures.js";
import { InProcessApp } from "../e2e/in-process.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { testService } from "../support/services.js";

const redis = await testService("redis");
const REDIS_URL = redis.url;
const quiet = pino({ level: "silent" });

let gh: GitHubStandIn;
let app: InProcessApp;
let octokit: ProbotOctokit;
const orders: WriteOrder[] = [];

beforeAll(async () => {
  gh = await startGitHubStandIn();
  gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
  gh.addTeam("acme", "ai-governance", { members: ["gina"] });
  gh.addOrgMember("acme", "alice");
  app = await InProcessApp.start(gh);
  octokit = (await app.probot.auth(gh.installationId)) as ProbotOctokit;
}, 60_000);

afterAll(async () => {
  await Promise.all(orders.map((order) => order.close()));
  await gh?.close();
});

/** The Redis order of one more replica (closed after the tests). */
async function replicaOrder(url = REDIS_URL) {
  const order = redisOrder(url, quiet);
  orders.push(order);
  if (url === REDIS_URL && redis.available) await order.ready();
  return order;
}

/** A repository with one commit to put runs on; a fresh owner each time, so Redis keys never repeat. */
function commitTarget(): CheckRunTarget {
  const repo = `fresh-${randomUUID().slice(0, 8)}/app`;
  gh.addRepo(repo, { files: { "README.md": "# app\n" }, author: "alice" });
  const headSha = gh.resolveRef(repo, "main") as string;
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, repo: name, headSha, appId: gh.app.id };
}

const content = (title: string): CheckRunOutput => ({
  conclusion: title === "Ready" ? "success" : "action_required",
  title,
  summary: title,
  annotations: [],
  actions: [],
});

const shown = (t: CheckRunTarget) => app.shown(`${t.owner}/${t.repo}`, t.headSha);

describe("the publisher keeps the newest evaluation's result", () => {
  it("does not write a result whose evaluation started before the one already written", async () => {
    const target = commitTarget();
    const publisher = createPublisher();
    expect(
      await publisher.publish(octokit, target, content("Awaiting 1 approval"), { stamp: 2000 }),
    ).toMatchObject({
      written: true,
    });
    expect(await publisher.publish(octokit, target, content("Ready"), { stamp: 1000 })).toEqual({
      written: false,
      newer: 2000,
    });
    expect(shown(target).output.title).toBe("Awaiting 1 approval");
    expect(stampOf(shown(target).external_id)).toBe(2000);
    // A later evaluation still writes, in place.
    await publisher.publish(octokit, target, content("Ready"), { stamp: 3000 });
    expect(shown(target).output.title).toBe("Ready");
    expect(app.runs(`${target.owner}/${target.repo}`, target.headSha)).toHaveLength(1);
  });

  it("reads another process's newer result from the run's external_id", async () => {
    const target = commitTarget();
    await createPublisher().publish(octokit, target, content("Awaiting 1 approval"), { stamp: 2000 });
    // Another process, which never wrote here: it finds the run (one REST read) and its stamp.
    const other = createPublisher();
    const outcome = await other.publish(octokit, target, content("Ready"), { stamp: 1000 });
    expect(outcome).toEqual({ written: false, newer: 2000 });
    expect(shown(target).output.title).toBe("Awaiting 1 approval");
  });

  it.runIf(redis.available)(
    "orders replicas through Redis, even when the slow one looked the run up before the other wrote",
    async () => {
      const target = commitTarget();
      const [first, second] = [createPublisher(await replicaOrder()), createPublisher(await replicaOrder())];
      // The slow evaluation's first query ran before anything was written: it saw no run.
      const batch = new GraphQLBatcher(new GitHubClient(octokit, target));
      const staleLookup = first.lookup(batch, target);
      expect(await staleLookup.run).toBeUndefined();
      await second.publish(octokit, target, content("Awaiting 1 approval"), { stamp: 2000 });
      gh.clearLog();
      const outcome = await first.publish(octokit, target, content("Ready"), {
        lookup: staleLookup,
        stamp: 1000,
      });
      expect(outcome).toEqual({ written: false, newer: 2000 });
      expect(shown(target).output.title).toBe("Awaiting 1 approval");
      expect(gh.requests).toEqual([]); // Redis answered: no GitHub request to find that out
      // A newer evaluation on the first replica updates the second's run instead of adding one.
      await first.publish(octokit, target, content("Ready"), { lookup: staleLookup, stamp: 3000 });
      expect(app.runs(`${target.owner}/${target.repo}`, target.headSha).map((r) => r.output.title)).toEqual([
        "Ready",
      ]);
    },
  );

  it.runIf(redis.available)(
    "takes the stamps of replicas sharing Redis from Redis's clock, not from a clock that runs ahead",
    async () => {
      const [ahead, onTime] = [await replicaOrder(), await replicaOrder()];
      const realNow = Date.now;
      Date.now = () => realNow() + 60_000; // this replica's clock is a minute fast
      let first: number;
      try {
        first = await ahead.stamp();
      } finally {
        Date.now = realNow;
      }
      // Redis's clock, not the fast one: a later evaluation elsewhere is not outdated by a minute.
      expect(Math.abs(first - realNow() * 1000)).toBeLessThan(5_000_000);
      expect(await onTime.stamp()).toBeGreaterThan(first);
    },
  );

  it("re-reads the run on GitHub when Redis cannot be reached, and still skips the stale result", async () => {
    const target = commitTarget();
    await createPublisher().publish(octokit, target, content("Awaiting 1 approval"), { stamp: 2000 });
    const unreachable = createPublisher(await replicaOrder("redis://127.0.0.1:1"));
    const lookup = { run: Promise.resolve(undefined) }; // an old lookup that saw no run
    gh.clearLog();
    const outcome = await unreachable.publish(octokit, target, content("Ready"), { lookup, stamp: 1000 });
    expect(outcome).toEqual({ written: false, newer: 2000 });
    expect(gh.requests.map((r) => r.route)).toEqual(["GET /repos/{owner}/{repo}/commits/{ref}/check-runs"]);
  });
});

describe("a slow /readiness recheck", () => {
  /** An approved, green PR; returns what the attack needs. */
  async function approvedPull() {
    const repo = `acme/recheck-${randomUUID().slice(0, 8)}`;
    gh.addRepo(repo, { files: baseFiles(), author: "alice" });
    const pr = gh.openPullRequest(repo, {
      head: "retrain",
      user: "alice",
      files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
    });
    const approval = gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });
    await app.receive("pull_request_review", app.hooks.review(repo, pr.number, approval.id));
    expect(app.shown(repo, pr.head.sha).conclusion).toBe("success");
    return { repo, pr, approval };
  }

  /**
   * The attack: a recheck whose first query (which reads the reviews) is answered slowly, with the
   * approval still in place; meanwhile the approval is dismissed and `dismissal` handles that event.
   */
  async function slowRecheckRacingADismissal(
    recheckOn: InProcessApp,
    dismissalOn: InProcessApp,
    setUp: Awaited<ReturnType<typeof approvedPull>>,
  ) {
    const { repo, pr, approval } = setUp;
    gh.clearLog();
    gh.delayNext("POST", "/graphql", 1500, { body: /pullRequest\(number:/ });
    const comment = gh.addIssueComment(repo, pr.number, { user: "alice", body: "/readiness recheck" });
    const recheck = recheckOn.receive("issue_comment", recheckOn.hooks.comment(repo, pr.number, comment.id));
    // The recheck's reads went out (and were answered from the approved state) before the dismissal.
    await waitUntil(() => gh.requestsTo("POST /graphql").length > 0);
    gh.dismissReview(repo, pr.number, approval.id);
    await dismissalOn.receive(
      "pull_request_review",
      dismissalOn.hooks.review(repo, pr.number, approval.id, "dismissed"),
    );
    expect(app.shown(repo, pr.head.sha).conclusion).toBe("action_required");
    await recheck; // handled without error: a stale result is not a failure
  }

  it("does not put success back over the later action_required, in one process", async () => {
    const setUp = await approvedPull();
    await slowRecheckRacingADismissal(app, app, setUp);
    const run = app.shown(setUp.repo, setUp.pr.head.sha);
    expect(run.conclusion).toBe("action_required");
    expect(app.runs(setUp.repo, setUp.pr.head.sha)).toHaveLength(1);
    const skipped = app.logged(/not written: an evaluation that started later already published/);
    expect(skipped.at(-1)).toMatchObject({ pull: setUp.pr.number, verdict: "ready", stale: true });
    expect(gh.violations).toEqual([]);
  });

  it.runIf(redis.available)("does not put success back across two replicas sharing Redis", async () => {
    const [one, two] = [
      await InProcessApp.start(gh, { writeOrder: await replicaOrder() }),
      await InProcessApp.start(gh, { writeOrder: await replicaOrder() }),
    ];
    const setUp = await approvedPull();
    await slowRecheckRacingADismissal(one, two, setUp);
    expect(app.shown(setUp.repo, setUp.pr.head.sha).conclusion).toBe("action_required");
    expect(one.logged(/not written/)).toHaveLength(1);
    expect(one.logged(/evaluation failed/)).toEqual([]);
  });
});

async function waitUntil(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
