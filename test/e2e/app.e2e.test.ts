// End to end: the built app as a child process (`node dist/app/main.js`) against the GitHub
// stand-in, driven by signed webhooks. Every scenario asserts that GitHub would have accepted
// every request the app sent (no `violations`, no `unhandled`).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addSampleOrg, baseFiles, POLICY, ROLLBACK, results } from "./fixtures.js";
import { buildApp, E2E, expectClean, waitFor } from "./harness.js";

let e2e: E2E;

beforeAll(async () => {
  buildApp();
  e2e = await E2E.start();
  addSampleOrg(e2e.gh);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

beforeEach(() => {
  e2e.gh.clearFaults();
  e2e.gh.clearLog();
});

/** A governed repository `acme/<name>` with the sample policy and model. */
function governedRepo(name: string): string {
  const full = `acme/${name}`;
  e2e.gh.addRepo(full, { files: baseFiles(), author: "alice" });
  return full;
}

/** A PR by `user` that retrains the model (content and results change together). */
function modelPr(repo: string, user = "alice", accuracy = 0.95) {
  return e2e.gh.openPullRequest(repo, {
    head: "retrain",
    user,
    title: "Retrain churn",
    files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(accuracy) },
  });
}

/** The first GraphQL query failed with `status`, and the same query was sent again and answered. */
function expectRetried(status: number): void {
  const queries = e2e.gh.requestsTo("POST /graphql");
  const failed = queries[0];
  expect(failed?.status).toBe(status);
  const again = queries.slice(1).find((r) => JSON.stringify(r.body) === JSON.stringify(failed?.body));
  expect(again?.status).toBe(200);
}

/** `user` approves the head and the run turns `success`; returns that run. */
async function approve(repo: string, number: number, user: string) {
  const review = e2e.gh.addReview(repo, number, { user, state: "APPROVED" });
  await e2e.reviewEvent(repo, number, review.id);
  return e2e.waitForRun(repo, number, (r) => r.conclusion === "success");
}

/**
 * `user` approves; the review event is evaluated (the run is written again), the verdict does not
 * move, and the summary says why the approval does not count.
 */
async function expectApprovalIgnored(repo: string, number: number, user: string, runId: number) {
  const review = e2e.gh.addReview(repo, number, { user, state: "APPROVED" });
  const writes = e2e.runWrites(repo, number);
  await e2e.reviewEvent(repo, number, review.id);
  const after = await e2e.waitForWrite(repo, number, writes);
  expect(after.id).toBe(runId);
  expect(after.conclusion).toBe("action_required");
  expect(after.output.summary ?? "").toMatch(new RegExp(`@${user}'s approval does not count`));
}

function checkRunWrites(repo: string, from = 0) {
  return e2e
    .requestsFor(repo, from)
    .filter((r) => /\/check-runs(\/\d+)?$/.test(r.path) && (r.method === "POST" || r.method === "PATCH"));
}

describe("Readiness Gate app, end to end", { timeout: 60_000 }, () => {
  it("posts nothing where neither the repository nor the org has a policy", async () => {
    const repo = "plain/nopolicy";
    e2e.gh.addRepo(repo, { files: { "README.md": "# x\n", "models/churn/model.py": "w = 1\n" } });
    const pr = e2e.gh.openPullRequest(repo, {
      head: "change",
      user: "alice",
      files: { "models/churn/model.py": "w = 2\n" },
    });
    const delivery = await e2e.pullRequestEvent(repo, pr.number);
    expect(delivery.status).toBeLessThan(300);
    // The app looked for a policy, then stopped.
    await waitFor("the policy lookup", () =>
      e2e.gh.requests.some((r) => r.path.includes("readiness.yml") || r.route === "POST /graphql"),
    );
    await expectClean(e2e);
    expect(e2e.gh.requests.filter((r) => r.path.includes("/check-runs") && r.method !== "GET")).toEqual([]);
    expect(e2e.runs(repo, pr.number)).toEqual([]);
  });

  it("passes a pull request that touches only ungoverned files", async () => {
    const repo = governedRepo("docs-only");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "docs",
      user: "alice",
      files: { "README.md": "# app!\n" },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    const run = await e2e.waitForRun(repo, pr.number);
    expect(run.conclusion).toBe("success");
    expect(run.head_sha).toBe(pr.head.sha);
    await expectClean(e2e);
    expect(e2e.runs(repo, pr.number)).toHaveLength(1);
  });

  it("fails a new model without evidence, with annotations on the evidence paths", async () => {
    const repo = governedRepo("missing-evidence");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "fraud",
      user: "alice",
      files: { "models/fraud/artifact.yml": 'owners: ["@alice"]\n', "models/fraud/model.py": "w = 1\n" },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    const run = await e2e.waitForRun(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    const paths = run.output.annotations.map((a) => a.path);
    expect(paths).toContain("models/fraud/eval/results.json");
    expect(paths).toContain("models/fraud/ROLLBACK.md");
    await expectClean(e2e);
  });

  it("waits for approval, then counts a team member's approval on the same run", async () => {
    const repo = governedRepo("approvals");
    const pr = modelPr(repo);
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("action_required");
    expect(first.output.summary ?? "").toMatch(/ai-compliance/);
    const second = await approve(repo, pr.number, "carol");
    expect(second.id).toBe(first.id);
    await expectClean(e2e);
    expect(e2e.runs(repo, pr.number)).toHaveLength(1);
  });

  it("does not count the PR author's own approval", async () => {
    const repo = governedRepo("self-approval");
    const pr = modelPr(repo, "carol");
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("action_required");
    await expectApprovalIgnored(repo, pr.number, "carol", first.id);
    expect(e2e.runs(repo, pr.number)).toHaveLength(1);
    await expectClean(e2e);
  });

  it("leaves one check run when a webhook is redelivered", async () => {
    const repo = governedRepo("redelivery");
    const pr = modelPr(repo);
    const body = JSON.stringify({
      ...e2e.pullRequestPayload(repo, pr.number, "opened"),
      installation: { id: e2e.gh.installationId },
    });
    const id = "5f3c0a10-0000-4000-8000-000000000001";
    await Promise.all([e2e.sendRaw("pull_request", body, id), e2e.sendRaw("pull_request", body, id)]);
    await e2e.waitForRun(repo, pr.number);
    await e2e.sendRaw("pull_request", body, id);
    await expectClean(e2e);
    const runs = e2e.runs(repo, pr.number);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("action_required");
    expect(checkRunWrites(repo).filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("retries a 502 on a GitHub read, and never leaves a success standing when GitHub keeps failing", async () => {
    const repo = governedRepo("flaky");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "docs",
      user: "alice",
      files: { "README.md": "# app!\n" },
    });
    // The app's first GraphQL query (it reads the policy and the evidence that way) fails once.
    e2e.gh.failNext("POST", "/graphql", { status: 502 });
    await e2e.pullRequestEvent(repo, pr.number);
    const run = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== null, 20_000);
    expect(run.conclusion).toBe("success");
    expectRetried(502);
    await expectClean(e2e);

    // Now GitHub keeps failing: the same head is re-evaluated and the success must not stand.
    e2e.gh.failNext("POST", "/graphql", { status: 500, times: 100 });
    await e2e.pullRequestEvent(repo, pr.number, "reopened");
    const failed = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== "success", 45_000);
    expect(failed.id).toBe(run.id);
    expect(failed.conclusion).toBe("failure");
    expect(failed.output.title ?? "").toMatch(/could not be evaluated/i);
    e2e.gh.clearFaults();
    await e2e.settle();
    expect(e2e.gh.violations).toEqual([]);
    expect(e2e.gh.unhandled).toEqual([]);
    expect(e2e.runs(repo, pr.number)).toHaveLength(1);
  });

  it("requires policy_admins for a PR that edits the policy", async () => {
    const repo = governedRepo("policy-edit");
    const policy = `${baseFiles()[".github/readiness.yml"]}# reviewed yearly\n`;
    const pr = e2e.gh.openPullRequest(repo, {
      head: "policy",
      user: "alice",
      files: { ".github/readiness.yml": policy },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("action_required");
    expect(first.output.summary ?? "").toMatch(/ai-governance/);
    // The compliance sign-off alone does not do: the policy admins must approve.
    const carol = e2e.gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });
    const writes = e2e.runWrites(repo, pr.number);
    await e2e.reviewEvent(repo, pr.number, carol.id);
    const afterCarol = await e2e.waitForWrite(repo, pr.number, writes);
    expect(afterCarol.conclusion).toBe("action_required");
    expect(afterCarol.output.summary ?? "").toMatch(/ai-governance/);
    const done = await approve(repo, pr.number, "gina");
    expect(done.id).toBe(first.id);
    await expectClean(e2e);
  });

  it("drops an approval when a later push changes a governed file", async () => {
    const repo = governedRepo("stale-approval");
    const pr = modelPr(repo);
    await e2e.pullRequestEvent(repo, pr.number);
    await e2e.waitForRun(repo, pr.number);
    const approved = await approve(repo, pr.number, "carol");
    const reviewedSha = pr.head.sha;
    e2e.gh.commit(repo, {
      branch: "retrain",
      author: "alice",
      files: { "models/churn/model.py": "weights = 3\n", "models/churn/eval/results.json": results(0.96) },
    });
    expect(pr.head.sha).not.toBe(reviewedSha);
    await e2e.pullRequestEvent(repo, pr.number, "synchronize");
    const after = await e2e.waitForRun(repo, pr.number);
    expect(after.id).not.toBe(approved.id);
    expect(after.head_sha).toBe(pr.head.sha);
    expect(after.conclusion).toBe("action_required");
    await expectClean(e2e);
  });

  it("accepts an override by a governance member, and refuses one by the author", async () => {
    const repo = governedRepo("override");
    const pr = modelPr(repo, "alice", 0.5);
    await e2e.pullRequestEvent(repo, pr.number);
    const blocked = await e2e.waitForRun(repo, pr.number);
    expect(blocked.conclusion).toBe("failure");
    const comment = e2e.gh.addIssueComment(repo, pr.number, {
      user: "gina",
      body: "/readiness override Hotfix for the outage, evaluation follows",
    });
    await e2e.commentEvent(repo, pr.number, comment.id);
    const overridden = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion === "success");
    expect(overridden.id).toBe(blocked.id);
    const issues = [...e2e.repo(repo).issues.values()];
    expect(issues).toHaveLength(1);
    expect(issues[0]?.labels).toContain("readiness-override");
    expect(issues[0]?.user).toBe(`${e2e.gh.app.slug}[bot]`);
    await expectClean(e2e);

    // The author of another blocked PR cannot override it.
    const own = e2e.gh.openPullRequest(repo, {
      head: "gina-retrain",
      user: "gina",
      files: { "models/churn/model.py": "weights = 9\n", "models/churn/eval/results.json": results(0.5) },
    });
    await e2e.pullRequestEvent(repo, own.number);
    const ownRun = await e2e.waitForRun(repo, own.number);
    expect(ownRun.conclusion).toBe("failure");
    const selfOverride = e2e.gh.addIssueComment(repo, own.number, {
      user: "gina",
      body: "/readiness override trust me",
    });
    await e2e.commentEvent(repo, own.number, selfOverride.id);
    await waitFor("the refusal reply", () =>
      (e2e.repo(repo).comments.get(own.number) ?? []).find(
        (c) => c.user === `${e2e.gh.app.slug}[bot]` && /refused/.test(c.body),
      ),
    );
    await expectClean(e2e);
    expect([...e2e.repo(repo).issues.values()]).toHaveLength(1);
    const runs = e2e.runs(repo, own.number);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("failure");
  });

  it("keeps an approval when a later push changes only an ungoverned file", async () => {
    const repo = governedRepo("kept-approval");
    const pr = modelPr(repo);
    await e2e.pullRequestEvent(repo, pr.number);
    await e2e.waitForRun(repo, pr.number);
    const approved = await approve(repo, pr.number, "carol");
    const reviewedSha = pr.head.sha;
    e2e.gh.commit(repo, { branch: "retrain", author: "alice", files: { "README.md": "# app, retrained\n" } });
    expect(pr.head.sha).not.toBe(reviewedSha);
    await e2e.pullRequestEvent(repo, pr.number, "synchronize");
    // A new head gets its own run; carol reviewed the older commit, and her approval still counts.
    const after = await e2e.waitForRun(repo, pr.number);
    expect(after.id).not.toBe(approved.id);
    expect(after.head_sha).toBe(pr.head.sha);
    expect(after.conclusion).toBe("success");
    expect(after.output.summary ?? "").not.toMatch(/does not count/);
    await expectClean(e2e);
  });

  it("does not count an approval by someone who pushed a commit to the PR", async () => {
    const repo = governedRepo("committer-approval");
    const pr = modelPr(repo);
    // carol, a compliance team member, pushes a commit to alice's pull request.
    e2e.gh.commit(repo, {
      branch: "retrain",
      author: "carol",
      files: { "models/churn/model.py": "weights = 4\n", "models/churn/eval/results.json": results(0.96) },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("action_required");
    await expectApprovalIgnored(repo, pr.number, "carol", first.id);
    // Another member of the team, who committed nothing, approves: that one counts.
    const done = await approve(repo, pr.number, "dora");
    expect(done.id).toBe(first.id);
    await expectClean(e2e);
  });

  it("evaluates a PR from a fork: evidence read at the head commit, the policy from the base branch", async () => {
    const repo = governedRepo("forked");
    e2e.gh.addUser("olga");
    const fork = e2e.gh.addRepo("olga/forked", { forkOf: repo }).full_name;
    // A new model whose evidence exists only at the fork's head commit.
    const fraud = e2e.gh.openPullRequest(repo, {
      headRepo: fork,
      head: "fraud",
      user: "olga",
      title: "Add the fraud model",
      files: {
        "models/fraud/artifact.yml": 'owners: ["@alice"]\n',
        "models/fraud/model.py": "w = 1\n",
        "models/fraud/eval/results.json": results(0.97),
        "models/fraud/ROLLBACK.md": ROLLBACK,
      },
    });
    expect(e2e.pullRequestPayload(repo, fraud.number, "opened").pull_request.head).toMatchObject({
      repo: { full_name: fork, fork: true },
    });
    await e2e.pullRequestEvent(repo, fraud.number);
    const first = await e2e.waitForRun(repo, fraud.number);
    expect(first.head_sha).toBe(fraud.head.sha);
    expect(first.conclusion).toBe("action_required");
    expect(first.output.annotations).toEqual([]);
    const approved = await approve(repo, fraud.number, "carol");
    expect(approved.id).toBe(first.id);
    await expectClean(e2e);

    // The fork lowers the threshold in its copy of the policy: the base branch's policy still rules.
    const loosened = POLICY.replace("min: 0.90", "min: 0.50");
    expect(loosened).not.toBe(POLICY);
    const lower = e2e.gh.openPullRequest(repo, {
      headRepo: fork,
      head: "cheaper-churn",
      user: "olga",
      files: {
        ".github/readiness.yml": loosened,
        "models/churn/model.py": "weights = 0\n",
        "models/churn/eval/results.json": results(0.6),
      },
    });
    await e2e.pullRequestEvent(repo, lower.number);
    const blocked = await e2e.waitForRun(repo, lower.number);
    expect(blocked.conclusion).toBe("failure");
    expect(blocked.output.summary ?? "").toMatch(/accuracy 0\.60 is below the minimum 0\.90/);
    await expectClean(e2e);
  });

  it("re-evaluates a retargeted PR against its new base before an earlier pass counts", async () => {
    const repo = governedRepo("retarget");
    // The release branch's policy demands more accuracy than main's.
    e2e.gh.commit(repo, {
      branch: "release",
      parent: "main",
      author: "alice",
      files: { ".github/readiness.yml": POLICY.replace("min: 0.90", "min: 0.97") },
    });
    const pr = modelPr(repo, "alice", 0.95);
    await e2e.pullRequestEvent(repo, pr.number);
    await e2e.waitForRun(repo, pr.number);
    const ready = await approve(repo, pr.number, "carol");
    const head = pr.head.sha;

    await e2e.retarget(repo, pr.number, "release");
    expect(pr.base.ref).toBe("release");
    const blocked = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== "success");
    expect(pr.head.sha).toBe(head);
    expect(blocked.head_sha).toBe(head);
    expect(blocked.conclusion).toBe("failure");
    expect(blocked.output.summary ?? "").toMatch(/accuracy 0\.95 is below the minimum 0\.97/);
    await expectClean(e2e);
    // GitHub shows the newest run of a name on a commit: none of ours still says success.
    expect(e2e.runs(repo, pr.number).at(-1)?.conclusion).toBe("failure");

    // Back to main: the same head is ready again (carol's approval of it still counts).
    await e2e.retarget(repo, pr.number, "main");
    const again = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion === "success");
    expect(again.head_sha).toBe(head);
    expect(again.output.summary ?? "").not.toMatch(/0\.97/);
    expect(ready.head_sha).toBe(head);
    await expectClean(e2e);
  });

  // GitHub's secondary rate limit (403, `retry-after`, "secondary rate limit"): Probot's own
  // handler only logs it; src/app/octokit.ts retries it. A 429 goes through Probot's defaults.
  it.each([
    [403, "a secondary rate limit"],
    [429, "a 429"],
  ])("retries %i (%s) on a GitHub read and completes the evaluation", async (status) => {
    const repo = governedRepo(`rate-limit-${status}`);
    const pr = modelPr(repo);
    e2e.gh.failNext("POST", "/graphql", { status, retryAfter: 1 });
    await e2e.pullRequestEvent(repo, pr.number);
    const run = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== null, 30_000);
    expect(run.output.title ?? "").not.toMatch(/could not be evaluated/i);
    expect(run.conclusion).toBe("action_required");
    expectRetried(status);
    await expectClean(e2e);
  });

  it("retries a secondary rate limit on the check run write", async () => {
    const repo = governedRepo("secondary-write");
    const pr = modelPr(repo);
    e2e.gh.failNext("POST", `/repos/${repo}/check-runs`, { status: 403, retryAfter: 1 });
    await e2e.pullRequestEvent(repo, pr.number);
    const run = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== null, 30_000);
    expect(run.output.title ?? "").not.toMatch(/could not be evaluated/i);
    expect(run.conclusion).toBe("action_required");
    const creates = checkRunWrites(repo).filter((r) => r.method === "POST");
    expect(creates.map((r) => r.status)).toEqual([403, 201]);
    await expectClean(e2e);
    expect(e2e.runs(repo, pr.number)).toHaveLength(1);
  });
});

describe("a push to the default branch that changes the policy", () => {
  it("re-evaluates every open PR against the new policy, their questions sharing queries", async () => {
    const repo = governedRepo("policy-push");
    const prs = ["one", "two", "three"].map((head) =>
      e2e.gh.openPullRequest(repo, {
        head,
        user: "alice",
        files: {
          "models/churn/model.py": `weights = "${head}"\n`,
          "models/churn/eval/results.json": results(0.95),
        },
      }),
    );
    const before = e2e.gh.repo(repo).branches.get("main");
    e2e.gh.commit(repo, {
      branch: "main",
      files: { ".github/readiness.yml": POLICY.replace("min: 0.90", "min: 0.97") },
    });
    e2e.gh.clearLog();
    await e2e.send(
      "push",
      e2e.hooks.push(repo, "refs/heads/main", before as string, prs[0]?.user ?? "alice"),
    );

    for (const pr of prs) {
      const run = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== null);
      expect(run.conclusion).toBe("failure");
      expect(run.output.summary ?? "").toMatch(/accuracy 0\.95 is below the minimum 0\.97/);
    }
    await expectClean(e2e);
    // Evaluated together: the three pull requests were read in one query, not three.
    const pullReads = e2e.gh
      .requestsTo("POST /graphql")
      .filter((r) => /pullRequest\(number:/.test(JSON.stringify(r.body)));
    expect(pullReads).toHaveLength(1);
    expect(JSON.stringify(pullReads[0]?.body).match(/changedFiles/g)).toHaveLength(3);
  });
});
