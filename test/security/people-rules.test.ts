// Class 10: people rules. A pull request's author must not earn a pass through someone who wrote
// the change with them: a `Co-authored-by:` trailer makes its co-author a commit author (GitHub
// lists them among the commit's authors), whose approval is self-approval and who may not
// override; and an override needs a reason a reader can see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEffectivePolicy } from "../../src/engine/evaluate.js";
import { decideOverride } from "../../src/engine/override.js";
import type { EffectivePolicy } from "../../src/engine/types.js";
import type { GitHubOctokit } from "../../src/facts/github-client.js";
import { baseFiles, results } from "../e2e/fixtures.js";
import type { GitHubStandIn } from "../support/github-standin.js";
import { evaluatePull, pullFacts, standIn } from "./on-github.js";

let gh: GitHubStandIn;
let octokit: GitHubOctokit;

beforeAll(async () => {
  ({ gh, octokit } = await standIn());
  gh.addTeam("acme", "ai-compliance", { members: ["carol", "dora"] });
  gh.addTeam("acme", "ai-governance", { members: ["gina"] });
  gh.addOrgMember("acme", "dana");
});

afterAll(async () => {
  await gh?.close();
});

/** dana retrains the model in a commit that `coAuthors` co-wrote. */
function coAuthoredRetrain(name: string, coAuthors: string[]) {
  const repo = `acme/${name}`;
  gh.addRepo(repo, { files: baseFiles(), author: "dana" });
  const pr = gh.openPullRequest(repo, {
    head: "retrain",
    user: "dana",
    coAuthors,
    files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
  });
  return { repo, pr };
}

describe("a co-author", () => {
  it("cannot give the compliance sign-off on a change they co-wrote", async () => {
    const { repo, pr } = coAuthoredRetrain("coauthor-approval", ["carol"]);
    gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });

    const { facts, evaluation } = await evaluatePull(gh, octokit, repo, pr.number);

    expect(await facts.people?.commitAuthors()).toEqual(["dana", "carol"]);
    expect(evaluation.verdict).toBe("awaiting_approval");
    expect(evaluation.approvals[0]).toMatchObject({
      rule: "Compliance sign-off",
      status: "pending",
      missing: 1,
    });
    expect(gh.violations).toEqual([]);

    // Another member's approval counts.
    gh.addReview(repo, pr.number, { user: "dora", state: "APPROVED" });
    expect((await evaluatePull(gh, octokit, repo, pr.number)).evaluation.verdict).toBe("ready");
  });

  it("cannot override the gate of a change they co-wrote, though on the override team", async () => {
    const { repo, pr } = coAuthoredRetrain("coauthor-override", ["gina"]);
    const facts = pullFacts(gh, octokit, repo, pr.number);
    const people = facts.people;
    if (!people) throw new Error("a pull request has people");
    const policy = await policyOf(repo, pr.number);

    const decision = await decideOverride(
      { by: "gina", reason: "Hotfix for INC-42", headSha: pr.head.sha, now: new Date() },
      policy,
      people,
    );

    expect(decision).toEqual({
      allowed: false,
      refusal:
        "an author, co-author or committer of a commit in this pull request cannot override its readiness gate",
    });
  });
});

describe("an override reason", () => {
  it("made only of zero-width and other format characters is no reason", async () => {
    const { repo, pr } = coAuthoredRetrain("invisible-reason", []);
    const facts = pullFacts(gh, octokit, repo, pr.number);
    const people = facts.people;
    if (!people) throw new Error("a pull request has people");

    const decision = await decideOverride(
      {
        by: "gina",
        reason: "\u200b\u200d\u2060\u00ad\u180e\ufeff\u202e",
        headSha: pr.head.sha,
        now: new Date(),
      },
      await policyOf(repo, pr.number),
      people,
    );

    expect(decision).toMatchObject({ allowed: false, refusal: expect.stringMatching(/visible text/) });
  });
});

/** The repository's effective policy (the sample's: `overrides.teams: [@acme/ai-governance]`). */
async function policyOf(repo: string, number: number): Promise<EffectivePolicy> {
  const policy = await loadEffectivePolicy(pullFacts(gh, octokit, repo, number), {
    builtins: () => undefined,
  });
  if (!policy?.ok) throw new Error("the sample policy loads");
  return policy;
}
