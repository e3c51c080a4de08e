import { describe, expect, it } from "vitest";
import { approvalRules } from "../../src/gates/approvals.js";
import { CODEOWNERS_KIND, POLICY_KIND } from "../../src/policy/pseudo-kinds.js";
import { policySchema } from "../../src/policy/schema.js";
import { artifactAt } from "./input.js";

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
