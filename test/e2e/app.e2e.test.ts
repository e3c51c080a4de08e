// End to end: the built app as a child process (`node dist/app/main.js`) against the GitHub
// stand-in, driven by signed webhooks. Every scenario asserts that GitHub would have accepted
// every request the app sent (no `violations`, no `unhandled`).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { baseFiles, results } from "./fixtures.js";
import { buildApp, CHECK_NAME, E2E, waitFor } from "./harness.js";

let e2e: E2E;

beforeAll(async () => {
  buildApp();
  e2e = await E2E.start();
  e2e.gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
  e2e.gh.addTeam("acme", "ai-governance", { members: ["gina"] });
  e2e.gh.addOrgMember("acme", "alice");
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

beforeEach(() => {
  e2e.gh.clearLog();
});

/** Waits for the app to finish, then: GitHub would have accepted every request. */
async function expectClean(): Promise<void> {
  await e2e.settle();
  expect(e2e.gh.violations).toEqual([]);
  expect(e2e.gh.unhandled.map((r) => `${r.method} ${r.path}`)).toEqual([]);
}

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
    await expectClean();
    expect(e2e.gh.requests.filter((r) => r.path.includes("/check-runs") && r.method !== "GET")).toEqual([]);
    expect(e2e.runs(repo, pr.number)).toEqual([]);
  });

  it("passes a pull request that touches only ungoverned files", async () => {
    const repo = governedRepo("docs-only");
    const pr = e2e.gh.openPullRequest(repo, { head: "docs", user: "alice", files: { "README.md": "# app!\n" } });
    await e2e.pullRequestEvent(repo, pr.number);
    const run = await e2e.waitForRun(repo, pr.number);
    expect(run.conclusion).toBe("success");
    expect(run.head_sha).toBe(pr.head.sha);
    await expectClean();
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
    await expectClean();
  });

  it("waits for approval, then counts a team member's approval on the same run", async () => {
    const repo = governedRepo("approvals");
    const pr = modelPr(repo);
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("action_required");
    expect(first.output.summary ?? "").toMatch(/ai-compliance/);
    const review = e2e.gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });
    await e2e.reviewEvent(repo, pr.number, review.id);
    const second = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion === "success");
    expect(second.id).toBe(first.id);
    await expectClean();
    expect(e2e.runs(repo, pr.number)).toHaveLength(1);
  });
});
