import { describe, expect, it } from "vitest";
import { globWarnings } from "../../src/policy/index.js";
import { placeholderWarnings } from "../../src/policy/warnings.js";
import { loaded, packText, yaml } from "./helpers.js";

const REPO_FILES = [
  "models/churn/model.pkl",
  "models/churn/eval/results.json",
  "prompts/.hidden/p.txt",
  "README.md",
];

describe("globWarnings", () => {
  it("warns at the line of a roots glob that matches no directory", () => {
    const { policy, file } = loaded(yaml`
      version: 1
      artifacts:
        model:
          roots:
            - models/*
            - modles/*
    `);
    expect(globWarnings(policy, file, REPO_FILES)).toEqual([
      {
        path: ".github/readiness.yml",
        line: 6,
        column: 9,
        message: "roots glob 'modles/*' matches no directory in the repository",
      },
    ]);
  });

  it("matches roots against directories, not files, and sees dot-directories", () => {
    const { policy, file } = loaded(yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*/eval"] }
        prompt: { roots: ["prompts/*"] }
        readme: { roots: ["README.md"] }
    `);
    expect(globWarnings(policy, file, REPO_FILES).map((w) => w.message)).toEqual([
      "roots glob 'README.md' matches no directory in the repository",
    ]);
  });

  it("warns about ignore globs that match no file", () => {
    const { policy, file } = loaded(yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*"], ignore: ["**/*.pkl", "**/*.mdx"] }
    `);
    expect(globWarnings(policy, file, REPO_FILES)).toEqual([
      expect.objectContaining({
        line: 3,
        message: "ignore glob '**/*.mdx' matches no file in the repository",
      }),
    ]);
  });

  it("does not warn about globs that come from a builtin pack", () => {
    const { policy, file } = loaded("version: 1\nextends: builtin:ai-production-readiness\n");
    expect(globWarnings(policy, file, REPO_FILES)).toEqual([]);
  });
});

describe("placeholderWarnings", () => {
  it("warns at the builtin pack's line for each @your-org placeholder still in force, naming the list to set", () => {
    const source = loaded("version: 1\nextends: builtin:ai-production-readiness\n");
    const warnings = placeholderWarnings(source);
    const pack = packText("ai-production-readiness").split("\n");
    expect(warnings.map((w) => w.message.split(" is a placeholder")[0])).toEqual([
      "policy_admins[0] '@your-org/ai-governance'",
      "gates.privacy.reviewers[0] '@your-org/privacy'",
      "approvals[1].teams[0] '@your-org/ai-compliance'",
      "approvals[2].teams[0] '@your-org/model-risk'",
      "overrides.teams[0] '@your-org/ai-governance'",
    ]);
    for (const warning of warnings) {
      expect(warning.path).toBe("builtin:ai-production-readiness");
      // The line and column point at the placeholder itself in the shipped pack.
      const name = /'([^']+)'/.exec(warning.message)?.[1] ?? "";
      expect(pack[(warning.line ?? 0) - 1]?.slice((warning.column ?? 0) - 1)).toMatch(
        new RegExp(`^"?${name}`),
      );
    }
    expect(warnings[2]?.message).toContain(
      "set `approvals` in .github/readiness.yml with your own teams or users (a list replaces the pack's whole list",
    );
    expect(warnings[1]?.message).toContain("set `gates.privacy.reviewers` in .github/readiness.yml");
  });

  it("stops warning once the file replaces each placeholder list", () => {
    const source = loaded(yaml`
      version: 1
      extends: builtin:ai-production-readiness
      policy_admins: ["@acme/ai-governance"]
      gates:
        privacy: { reviewers: ["@acme/privacy"] }
      approvals:
        - { name: Artifact owner, owners: true }
        - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], tiers: [high] }
      overrides: { teams: ["@acme/ai-governance"] }
    `);
    expect(placeholderWarnings(source)).toEqual([]);
  });

  it("warns at the policy file's own line for a placeholder copied into it, users and overrides included", () => {
    const source = loaded(yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*"] }
      overrides: { teams: ["@acme/leads"] }
      approvals:
        - { name: Lead, users: ["alice", "your-org-lead"] }
        - { name: Risk, teams: ["@YOUR-ORG/model-risk"] }
    `);
    expect(placeholderWarnings(source)).toEqual([
      {
        path: ".github/readiness.yml",
        line: 6,
        column: 36,
        message: expect.stringMatching(
          /^approvals\[0\]\.users\[1\] 'your-org-lead' is a placeholder: replace it with a real team or user of your organisation \(until then no one can approve through it\)$/,
        ),
      },
      expect.objectContaining({ line: 7, message: expect.stringContaining("'@YOUR-ORG/model-risk'") }),
    ]);
  });

  it("does not mistake other names for placeholders", () => {
    const source = loaded(yaml`
      version: 1
      artifacts:
        your-org-models: { roots: ["your-org/*"] }
      approvals:
        - { name: your-org sign-off, teams: ["@your-organisation/x", "@acme/your-org"] }
    `);
    expect(placeholderWarnings(source)).toEqual([]);
  });
});
