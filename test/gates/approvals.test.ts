import { describe, expect, it } from "vitest";
import { approvalRules, approvalsGate } from "../../src/gates/approvals.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { CODEOWNERS_KIND, POLICY_KIND } from "../../src/policy/pseudo-kinds.js";
import { policySchema } from "../../src/policy/schema.js";
import { fakePeople } from "../engine/people.js";
import { artifactAt, type GateFacts, gateInput } from "./input.js";

describe("approval rules for pseudo-artifacts", () => {
  const withAdmins = policySchema.parse({ version: 1, policy_admins: ["@acme/gov"] });
  const withoutAdmins = policySchema.parse({ version: 1 });
  const cases = [
    ["a model only", withAdmins, "model", undefined],
    [
      "a policy edit, with policy_admins",
      withAdmins,
      POLICY_KIND,
      { name: "Policy admins", teams: ["@acme/gov"] },
    ],
    ["a policy edit, without", withoutAdmins, POLICY_KIND, { name: "Repository admin", admins: true }],
    ["a CODEOWNERS edit, with policy_admins", withAdmins, CODEOWNERS_KIND, { name: "Policy admins" }],
    [
      "a CODEOWNERS edit, without",
      withoutAdmins,
      CODEOWNERS_KIND,
      { name: "Repository admin", admins: true },
    ],
  ] as const;
  it.each(cases)("%s", (_, policy, kind, expected) => {
    const rules = approvalRules(policy, [artifactAt("x", { kind })]);
    if (expected === undefined) expect(rules).toEqual([]);
    else
      expect(rules).toEqual([
        expect.objectContaining({ ...expected, count: 1, kinds: [POLICY_KIND, CODEOWNERS_KIND] }),
      ]);
  });
});

const compliance = { name: "Compliance sign-off", teams: ["@acme/ai-compliance"], count: 1 };
const owner = { name: "Artifact owner", owners: true, count: 1 };
const model = artifactAt("models/a", { owners: ["@alice"], changedPaths: ["models/a/model.py"] });
const teams = { "@acme/ai-compliance": ["carol"] };

interface Decided {
  rule: string;
  status: string;
  missing: number;
  reasons: string[];
}

const gateCases: Array<[string, TouchedArtifact[], GateFacts, Decided[]]> = [
  [
    "offline, every rule is not checked",
    [model],
    { policy: { approvals: [compliance] } },
    [
      {
        rule: "Compliance sign-off",
        status: "not_checked",
        missing: 1,
        reasons: ["approvals are checked on GitHub"],
      },
    ],
  ],
  [
    "no approval yet: one more from the team",
    [model],
    { policy: { approvals: [compliance] }, people: fakePeople({ teams }) },
    [
      {
        rule: "Compliance sign-off",
        status: "pending",
        missing: 1,
        reasons: ["1 more from @acme/ai-compliance"],
      },
    ],
  ],
  [
    "a team member approved",
    [model],
    {
      policy: { approvals: [compliance] },
      people: fakePeople({ teams, reviews: [{ user: "carol", state: "APPROVED" }] }),
    },
    [{ rule: "Compliance sign-off", status: "pass", missing: 0, reasons: [] }],
  ],
  [
    "an approval from outside the team does not count",
    [model],
    {
      policy: { approvals: [compliance] },
      people: fakePeople({ teams, reviews: [{ user: "bob", state: "APPROVED" }] }),
    },
    [
      {
        rule: "Compliance sign-off",
        status: "pending",
        missing: 1,
        reasons: ["1 more from @acme/ai-compliance"],
      },
    ],
  ],
  [
    "the author's own approval does not count",
    [model],
    {
      policy: { approvals: [compliance] },
      people: fakePeople({ teams, author: "carol", reviews: [{ user: "carol", state: "APPROVED" }] }),
    },
    [
      {
        rule: "Compliance sign-off",
        status: "pending",
        missing: 1,
        reasons: [
          "@carol's approval does not count: @carol is the pull request's author",
          "1 more from @acme/ai-compliance",
        ],
      },
    ],
  ],
  [
    "a commit author's (or co-author's) approval does not count",
    [model],
    {
      policy: { approvals: [compliance] },
      people: fakePeople({
        teams,
        commitAuthors: ["dev", "carol"],
        reviews: [{ user: "carol", state: "APPROVED" }],
      }),
    },
    [
      {
        rule: "Compliance sign-off",
        status: "pending",
        missing: 1,
        reasons: [
          "@carol's approval does not count: @carol authored a commit in this pull request",
          "1 more from @acme/ai-compliance",
        ],
      },
    ],
  ],
  [
    "an approval given before a governed file changed is stale",
    [model],
    {
      policy: { approvals: [compliance] },
      people: fakePeople({
        teams,
        reviews: [{ user: "carol", state: "APPROVED", commitId: "old" }],
        changedSince: { old: ["models/a/model.py"] },
      }),
    },
    [
      {
        rule: "Compliance sign-off",
        status: "pending",
        missing: 1,
        reasons: [
          "@carol's approval does not count: @carol approved before models/a/model.py changed",
          "1 more from @acme/ai-compliance",
        ],
      },
    ],
  ],
  [
    "requested changes hold the rule, whatever else approved",
    [model],
    {
      policy: { approvals: [{ ...compliance, teams: ["@acme/ai-compliance"] }] },
      people: fakePeople({
        teams: { "@acme/ai-compliance": ["carol", "cid"] },
        reviews: [
          { user: "carol", state: "APPROVED" },
          { user: "cid", state: "CHANGES_REQUESTED" },
        ],
      }),
    },
    [{ rule: "Compliance sign-off", status: "pending", missing: 0, reasons: ["@cid requested changes"] }],
  ],
  [
    "a dismissed change request no longer holds the rule",
    [model],
    {
      policy: { approvals: [compliance] },
      people: fakePeople({
        teams: { "@acme/ai-compliance": ["carol", "cid"] },
        reviews: [
          { user: "carol", state: "APPROVED" },
          { user: "cid", state: "CHANGES_REQUESTED" },
          { user: "cid", state: "DISMISSED" },
        ],
      }),
    },
    [{ rule: "Compliance sign-off", status: "pass", missing: 0, reasons: [] }],
  ],
  [
    "owners: the base manifest's owner approved",
    [model],
    {
      policy: { approvals: [owner] },
      people: fakePeople({ reviews: [{ user: "alice", state: "APPROVED" }] }),
    },
    [{ rule: "Artifact owner", status: "pass", missing: 0, reasons: [] }],
  ],
  [
    "owners: an owner outside the organisation cannot approve",
    [{ ...model, owners: ["@mallory"] }],
    {
      policy: { approvals: [owner] },
      people: fakePeople({ reviews: [{ user: "mallory", state: "APPROVED" }] }),
    },
    [
      {
        rule: "Artifact owner",
        status: "pending",
        missing: 1,
        reasons: [
          "@mallory is not an active member or a team of this organisation, so cannot approve models/a as its owner",
          "models/a names no owners of this organisation to approve it",
        ],
      },
    ],
  ],
  [
    "a rule for other tiers does not apply",
    [{ ...model, tier: "low" }],
    { policy: { approvals: [{ ...compliance, tiers: ["high"] }] }, people: fakePeople({ teams }) },
    [],
  ],
  [
    "a policy edit without policy_admins needs a repository admin other than the authors",
    [artifactAt(".github/readiness.yml", { kind: POLICY_KIND, rootEntry: "file" })],
    { people: fakePeople({ admins: ["dev"], reviews: [{ user: "dev", state: "APPROVED" }] }) },
    [
      {
        rule: "Repository admin",
        status: "pending",
        missing: 1,
        reasons: [
          "@dev's approval does not count: @dev is the pull request's author",
          "1 more from a repository admin (not the author or a commit author)",
        ],
      },
    ],
  ],
];

describe("approvals gate", () => {
  it.each(gateCases)("%s", async (_, artifacts, facts, decided) => {
    const { artifact: _one, ...scope } = gateInput(artifacts[0] as TouchedArtifact, facts);
    const results = await approvalsGate({ ...scope, artifacts });
    expect(results.map(({ rule, status, missing, reasons }) => ({ rule, status, missing, reasons }))).toEqual(
      decided,
    );
  });
});

describe("an owners rule, per artifact", () => {
  const prompt = artifactAt("prompts/p", {
    kind: "prompt",
    owners: ["bob"],
    changedPaths: ["prompts/p/prompt.txt"],
  });
  const policyEdit = artifactAt(".github/readiness.yml", { kind: POLICY_KIND, rootEntry: "file" });
  const decide = async (artifacts: TouchedArtifact[], facts: GateFacts) => {
    const { artifact: _one, ...scope } = gateInput(artifacts[0] as TouchedArtifact, facts);
    return approvalsGate({ ...scope, artifacts });
  };

  it("says which artifact still needs whose approval, and whose approval counted for which", async () => {
    const [result] = await decide([model, prompt], {
      policy: { approvals: [owner] },
      people: fakePeople({ reviews: [{ user: "bob", state: "APPROVED" }] }),
    });
    expect(result).toMatchObject({ rule: "Artifact owner", status: "pending", missing: 1, required: 2 });
    expect(result?.artifacts).toEqual([
      { root: "models/a", missing: 1, from: ["@alice"], approvedBy: [] },
      { root: "prompts/p", missing: 0, from: ["bob"], approvedBy: ["bob"] },
    ]);
    // The breakdown says who is missing; the reasons no longer repeat it as one pooled line.
    expect(result?.reasons).toEqual([]);
  });

  it("gives the breakdown offline too, every artifact waiting on its own owners", async () => {
    const [result] = await decide([model, prompt], { policy: { approvals: [owner] } });
    expect(result).toMatchObject({ status: "not_checked", missing: 2 });
    expect(result?.artifacts).toEqual([
      { root: "models/a", missing: 1, from: ["@alice"], approvedBy: [] },
      { root: "prompts/p", missing: 1, from: ["bob"], approvedBy: [] },
    ]);
  });

  it("does not apply to an edit of the policy file alone, which has no owners to ask", async () => {
    for (const people of [undefined, fakePeople({ admins: ["root"] })]) {
      const results = await decide([policyEdit], {
        policy: { approvals: [owner, compliance] },
        ...(people ? { people } : {}),
      });
      expect(results.map((r) => r.rule)).toEqual(["Compliance sign-off", "Repository admin"]);
      expect(results.every((r) => r.artifacts === undefined)).toBe(true);
    }
  });
});
