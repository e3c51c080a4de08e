// Class 11: base freshness. A webhook's `pull_request.base.sha` is where the base branch was when
// GitHub sent it (or when a re-evaluation listed the PR); the branch may have moved since — the
// governance team just merged a tighter policy. A PR author whose evaluation is replayed with the
// old SHA (a redelivery, a slow queue, a recheck listed before the push) must not be judged by the
// policy, or compared with the evidence, that the base branch no longer has.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubOctokit } from "../../src/facts/github-client.js";
import { baseFiles, POLICY, results } from "../e2e/fixtures.js";
import type { GitHubStandIn } from "../support/github-standin.js";
import { evaluatePull, standIn } from "./on-github.js";

let gh: GitHubStandIn;
let octokit: GitHubOctokit;

beforeAll(async () => {
  ({ gh, octokit } = await standIn());
  gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
  gh.addOrgMember("acme", "alice");
});

afterAll(async () => {
  await gh?.close();
});

/** A governed repository whose PR by alice retrains the model to `accuracy`, approved by carol. */
function approvedRetrain(name: string, accuracy: number, policy = POLICY) {
  const repo = `acme/${name}`;
  gh.addRepo(repo, { files: { ...baseFiles(), ".github/readiness.yml": policy }, author: "alice" });
  const pr = gh.openPullRequest(repo, {
    head: "retrain",
    user: "alice",
    files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(accuracy) },
  });
  gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });
  return { repo, pr, payloadBase: pr.base.sha };
}

function evaluationGate(evaluation: {
  artifacts: Array<{ gates: Array<{ gate: string; status: string; reasons: string[] }> }>;
}) {
  return evaluation.artifacts[0]?.gates.find((g) => g.gate === "evaluation");
}

describe("a payload whose base SHA is stale", () => {
  it("is judged by the policy at the base branch's current tip, which tightened the threshold", async () => {
    const { repo, pr, payloadBase } = approvedRetrain("fresh-policy", 0.92);
    const before = await evaluatePull(gh, octokit, repo, pr.number, { baseSha: payloadBase });
    expect(before.evaluation.verdict).toBe("ready");

    // The governance team raises the bar on main; the PR's payload still names the old base.
    const tightened = POLICY.replace("min: 0.90", "min: 0.95");
    const tip = gh.commit(repo, { files: { ".github/readiness.yml": tightened }, author: "alice" });
    gh.clearLog();
    const { facts, evaluation } = await evaluatePull(gh, octokit, repo, pr.number, { baseSha: payloadBase });

    expect(evaluation.verdict).toBe("blocked");
    expect(evaluationGate(evaluation)?.reasons.join("\n")).toMatch(/below the minimum 0\.95/);
    expect(facts.baseSha).toBe(tip);
    // Nothing was read at the stale base, and the policy came with the first query.
    expect(JSON.stringify(gh.requests)).not.toContain(payloadBase);
    expect(gh.violations).toEqual([]);
  });

  it("compares with the evidence at the current tip, not the stale base's", async () => {
    const withRegression = POLICY.replace(
      "      - { metric: accuracy, min: 0.90 }",
      "      - { metric: accuracy, min: 0.90 }\n    regression: { tolerance: 0.01 }",
    );
    const { repo, pr, payloadBase } = approvedRetrain("fresh-results", 0.95, withRegression);
    expect(
      (await evaluatePull(gh, octokit, repo, pr.number, { baseSha: payloadBase })).evaluation.verdict,
    ).toBe("ready");

    // Main's model now scores 0.99: the PR's 0.95 is a regression against what it would replace.
    gh.commit(repo, { files: { "models/churn/eval/results.json": results(0.99) }, author: "alice" });
    const { evaluation } = await evaluatePull(gh, octokit, repo, pr.number, { baseSha: payloadBase });

    expect(evaluation.verdict).toBe("blocked");
    expect(evaluationGate(evaluation)?.reasons.join("\n")).toMatch(/0\.99/);
  });
});
