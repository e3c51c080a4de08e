// Class 8, GitHub side: who belongs to the organisation, as the app asks GitHub. A PR author who
// names as owner an account they control — a real GitHub user outside the org, even one given
// access to the repository as an outside collaborator, or one invited who never joined — must not
// have it pass ownership, nor another organisation's team.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubOctokit } from "../../src/facts/github-client.js";
import { baseFiles, OWNERS_POLICY, results } from "../e2e/fixtures.js";
import type { GitHubStandIn } from "../support/github-standin.js";
import { evaluatePull, pullFacts, standIn } from "./on-github.js";

let gh: GitHubStandIn;
let octokit: GitHubOctokit;

beforeAll(async () => {
  ({ gh, octokit } = await standIn());
  gh.addOrgMember("acme", "dana");
  gh.addOrgMember("acme", "alice");
  gh.addTeam("acme", "ml", { members: ["alice"] });
  gh.addTeam("mallory-corp", "ml", { members: ["mallory-sock"] });
  gh.inviteOrgMember("acme", "ivan");
});

afterAll(async () => {
  await gh?.close();
});

/** dana adds a model whose manifest names `owner`, who approves. */
function newModelOwnedBy(name: string, owner: string, approver: string) {
  const repo = `acme/${name}`;
  gh.addRepo(repo, { files: { ...baseFiles(), ".github/readiness.yml": OWNERS_POLICY }, author: "dana" });
  const pr = gh.openPullRequest(repo, {
    head: "fraud",
    user: "dana",
    files: {
      "models/fraud/artifact.yml": `owners: ["${owner}"]\n`,
      "models/fraud/model.py": "weights = 1\n",
      "models/fraud/eval/results.json": results(0.95),
    },
  });
  gh.addReview(repo, pr.number, { user: approver, state: "APPROVED" });
  return { repo, pr };
}

describe("an owner outside the organisation", () => {
  it("an outside collaborator named as owner fails ownership, and their approval is no owner's", async () => {
    const { repo, pr } = newModelOwnedBy("sock-owner", "@mallory-sock", "mallory-sock");
    gh.addCollaborator(repo, "mallory-sock", "write");

    const { evaluation } = await evaluatePull(gh, octokit, repo, pr.number);

    expect(evaluation.verdict).toBe("blocked");
    const ownership = evaluation.artifacts[0]?.gates.find((g) => g.gate === "ownership");
    expect(ownership?.status).toBe("fail");
    expect(ownership?.reasons.join("\n")).toMatch(/@mallory-sock is not an active member or a team/);
    expect(evaluation.approvals[0]).toMatchObject({ rule: "Artifact owner", status: "pending" });
    expect(gh.violations).toEqual([]);
  });

  it("a member named as owner passes, and their approval counts", async () => {
    const { repo, pr } = newModelOwnedBy("member-owner", "@alice", "alice");
    const { evaluation } = await evaluatePull(gh, octokit, repo, pr.number);
    expect(evaluation.artifacts[0]?.gates.find((g) => g.gate === "ownership")?.status).toBe("pass");
    expect(evaluation.approvals[0]).toMatchObject({ rule: "Artifact owner", status: "pass" });
  });

  it("tells members and the org's teams from invitees, outsiders, other orgs' teams and the org itself", async () => {
    const { repo, pr } = newModelOwnedBy("principals", "@alice", "alice");
    gh.addCollaborator(repo, "mallory-sock", "admin");
    const people = pullFacts(gh, octokit, repo, pr.number).people;
    if (!people) throw new Error("a pull request has people");
    const principals = [
      "@alice",
      "@acme/ml",
      "ivan",
      "@mallory-sock",
      "@mallory-corp/ml",
      "@acme/none",
      "acme",
      "nobody",
    ];
    gh.clearLog();

    const answers = await Promise.all(principals.map((p) => people.isOrgPrincipal(p)));

    expect(Object.fromEntries(principals.map((p, i) => [p, answers[i]]))).toEqual({
      "@alice": true,
      "@acme/ml": true,
      ivan: false, // invited, never joined
      "@mallory-sock": false, // an outside collaborator, admin of the repository or not
      "@mallory-corp/ml": false,
      "@acme/none": false,
      acme: false,
      nobody: false,
    });
    expect(gh.requestsTo("POST /graphql")).toHaveLength(1);
    expect(gh.violations).toEqual([]);
  });
});
