import { describe, expect, it } from "vitest";
import { diffRequirements, requirementLines } from "../../src/policy/index.js";
import { loaded, yaml } from "./helpers.js";

const BEFORE = yaml`
  version: 1
  artifacts:
    model: { roots: ["models/*"], tier: high }
  gates:
    evaluation:
      tiers: [medium, high]
      thresholds: [{ metric: accuracy, min: 0.9 }]
  approvals:
    - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 1, tiers: [high] }
`;

describe("requirementLines", () => {
  it("says what each document gate requires, by its name, so a policy edit lists what it adds or removes", () => {
    const before = loaded(BEFORE).policy;
    const documents = [
      "  documents:",
      "    monitoring:",
      "      { tiers: [high], file: MONITORING.md, sections: [Metrics], dated_by: Last reviewed,",
      '        max_age_days: 180, reviewers: ["@acme/sre"] }',
      "    data_lineage: { file: lineage.yml, keys: [sources] }",
    ].join("\n");
    const after = loaded(BEFORE.replace("approvals:\n", `${documents}\napprovals:\n`)).policy;
    expect(diffRequirements(before, after)).toEqual({
      added: [
        "monitoring: document in MONITORING.md (tier high)",
        "monitoring: document has a 'Metrics' section (tier high)",
        "monitoring: document dated under 'Last reviewed', no older than 180 days (tier high)",
        "monitoring: document signed off by @acme/sre (tier high)",
        "data_lineage: document in lineage.yml",
        "data_lineage: document has a 'sources' key",
      ],
      removed: [],
    });
  });

  it("says each requirement in one line", () => {
    const lines = requirementLines(loaded(BEFORE).policy);
    expect(lines).toContain("model artifacts under models/* are tier high");
    expect(lines).toContain("evaluation: accuracy ≥ 0.9 (tiers medium, high)");
    expect(lines).toContain("approval 'Compliance sign-off': 1 from @acme/ai-compliance (tier high)");
  });

  it("describes owners rules, privacy, rollback, overrides and releases", () => {
    const lines = requirementLines(
      loaded(yaml`
        version: 1
        gates:
          privacy: { reviewers: ["@acme/privacy", "@acme/dpo"], max_age_days: 365 }
          rollback: { sections: [Steps], max_drill_age_days: 90 }
        approvals:
          - { name: Artifact owner, owners: true, count: 2, kinds: [model] }
        overrides: { teams: ["@acme/ai-governance"] }
        releases: { enforce: true, environments: [production] }
      `).policy,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        "privacy: review in privacy-review.yml by @acme/privacy or @acme/dpo",
        "privacy: review no older than 365 days",
        "rollback: plan has a 'Steps' section",
        "rollback: drill no older than 90 days",
        "approval 'Artifact owner': 2 from the artifact's owners (kind model)",
        "overrides by @acme/ai-governance, expiring after 72 hours",
        "releases with unready changes go back to draft",
        "deployments to production need a ready commit",
      ]),
    );
  });
});

describe("diffRequirements", () => {
  it("lists what a policy edit adds and removes", () => {
    const after = BEFORE.replace("min: 0.9", "min: 0.85").replace(
      "approvals:",
      'approvals:\n  - { name: Security review, teams: ["@acme/security"] }',
    );
    expect(diffRequirements(loaded(BEFORE).policy, loaded(after).policy)).toEqual({
      added: [
        "evaluation: accuracy ≥ 0.85 (tiers medium, high)",
        "approval 'Security review': 1 from @acme/security",
      ],
      removed: ["evaluation: accuracy ≥ 0.9 (tiers medium, high)"],
    });
  });

  it("treats a new policy file as adding everything", () => {
    const policy = loaded(BEFORE).policy;
    expect(diffRequirements(undefined, policy)).toEqual({ added: requirementLines(policy), removed: [] });
  });

  it("reports nothing for a reformatted file", () => {
    const reformatted = `# reformatted\n${BEFORE.replace("tiers: [medium, high]", "tiers:\n      - medium\n      - high")}`;
    expect(diffRequirements(loaded(BEFORE).policy, loaded(reformatted).policy)).toEqual({
      added: [],
      removed: [],
    });
  });
});

describe("requirementLines: thresholds with filters", () => {
  it("names the kinds and tiers a threshold applies to, so narrowing one shows as a change", () => {
    const policy = (filters: string) =>
      loaded(yaml`
        version: 1
        gates:
          evaluation:
            tiers: [medium, high]
            thresholds: [{ metric: pass_rate, min: 0.95${filters} }]
      `).policy;
    expect(requirementLines(policy(", kinds: [prompt]"))).toContain(
      "evaluation: pass_rate ≥ 0.95 for kind prompt (tiers medium, high)",
    );
    const diff = diffRequirements(policy(""), policy(", kinds: [prompt], tiers: [high]"));
    expect(diff).toEqual({
      added: ["evaluation: pass_rate ≥ 0.95 for tier high; kind prompt (tiers medium, high)"],
      removed: ["evaluation: pass_rate ≥ 0.95 (tiers medium, high)"],
    });
  });
});
