// Class 9, GitHub side: without `policy_admins`, a policy edit needs a repository admin's approval.
// Who is an admin is GitHub's answer — the organisation's owners and whoever holds the admin role
// on the repository — not a writer, not a member with the base role. A PR author who guts the
// policy to `version: 1` must not pass with a colleague's ordinary approval.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Evaluation } from "../../src/engine/types.js";
import type { GitHubOctokit } from "../../src/facts/github-client.js";
import { baseFiles, POLICY } from "../e2e/fixtures.js";
import type { GitHubStandIn } from "../support/github-standin.js";
import { evaluatePull, pullFacts, standIn } from "./on-github.js";

let gh: GitHubStandIn;
let octokit: GitHubOctokit;

const WITHOUT_ADMINS = POLICY.replace('policy_admins: ["@acme/ai-governance"]\n', "");

beforeAll(async () => {
  ({ gh, octokit } = await standIn());
  gh.addOrgMember("acme", "olga", "owner");
  gh.addOrgMember("acme", "dana");
  gh.addOrgMember("acme", "mel");
});

afterAll(async () => {
  await gh?.close();
});

/** dana replaces the policy with `version: 1`; `approver` approves. */
function guttedPolicy(name: string, approver: string) {
  const repo = `acme/${name}`;
  gh.addRepo(repo, { files: { ...baseFiles(), ".github/readiness.yml": WITHOUT_ADMINS }, author: "dana" });
  gh.addCollaborator(repo, "wes", "write");
  gh.addCollaborator(repo, "ada", "admin");
  const pr = gh.openPullRequest(repo, {
    head: "gut",
    user: "dana",
    files: { ".github/readiness.yml": "version: 1\n" },
  });
  gh.addReview(repo, pr.number, { user: approver, state: "APPROVED" });
  return { repo, pr };
}

function adminRule(evaluation: Evaluation) {
  return evaluation.approvals.find((a) => a.rule === "Repository admin");
}

describe("a policy edit without policy_admins", () => {
  it("is not ready on a writer's approval", async () => {
    const { repo, pr } = guttedPolicy("gut-writer", "wes");
    const { evaluation } = await evaluatePull(gh, octokit, repo, pr.number);
    expect(evaluation.verdict).toBe("awaiting_approval");
    expect(adminRule(evaluation)).toMatchObject({ status: "pending", missing: 1, approvedBy: [] });
    expect(gh.violations).toEqual([]);
  });

  it("has its admin's approval once an org owner, an admin of every repository, approves", async () => {
    const { repo, pr } = guttedPolicy("gut-owner", "olga");
    const { evaluation } = await evaluatePull(gh, octokit, repo, pr.number);
    expect(adminRule(evaluation)).toMatchObject({ status: "pass", approvedBy: ["olga"] });
  });

  it("asks GitHub for admins among the approvers, joined into one query", async () => {
    const { repo, pr } = guttedPolicy("gut-roles", "mel");
    const people = pullFacts(gh, octokit, repo, pr.number).people;
    if (!people) throw new Error("a pull request has people");
    const logins = ["olga", "ada", "@Ada", "wes", "mel", "dana", "stranger"];
    gh.clearLog();

    const answers = await Promise.all(logins.map((l) => people.isRepoAdmin(l)));

    expect(Object.fromEntries(logins.map((l, i) => [l, answers[i]]))).toEqual({
      olga: true,
      ada: true,
      "@Ada": true,
      wes: false,
      mel: false,
      dana: false,
      stranger: false,
    });
    expect(gh.requestsTo("POST /graphql")).toHaveLength(1);
  });
});
