import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/index.js";
import { loadErrors, loaded, packText, yaml } from "./helpers.js";

const PACK = "ai-production-readiness";

describe("the builtin pack ai-production-readiness", () => {
  it("is a valid policy on its own", () => {
    const { policy } = loaded(packText(PACK), `policies/${PACK}.yml`);
    expect(Object.keys(policy.artifacts)).toEqual(["model", "prompt", "dataset", "pipeline"]);
    expect(policy.artifacts.model?.roots).toEqual(["models/*"]);
    expect(Object.keys(policy.gates).sort()).toEqual(["evaluation", "ownership", "privacy", "rollback"]);
    expect(policy.approvals.map((r) => r.name)).toContain("Compliance sign-off");
    expect(policy.approvals.some((r) => r.owners)).toBe(true);
    expect(policy.releases?.enforce).toBe(true);
  });

  it("uses only placeholder teams the user must replace", () => {
    const { policy } = loaded(packText(PACK));
    const teams = [
      ...policy.policy_admins,
      ...(policy.gates.privacy?.reviewers ?? []),
      ...(policy.overrides?.teams ?? []),
      ...policy.approvals.flatMap((r) => [...(r.teams ?? []), ...(r.users ?? [])]),
    ];
    expect(teams.length).toBeGreaterThan(0);
    expect(teams.filter((t) => !t.startsWith("@your-org/"))).toEqual([]);
    expect(packText(PACK)).toMatch(/REPLACE THE PLACEHOLDERS/);
  });

  it("cites NIST AI RMF, the EU AI Act and ISO/IEC 42001 above each gate", () => {
    const text = packText(PACK);
    for (const gate of ["ownership", "evaluation", "privacy", "rollback"]) {
      const before = text.slice(0, text.indexOf(`\n  ${gate}:`));
      const comment = before.slice(before.lastIndexOf("\n\n"));
      expect(comment, gate).toMatch(/NIST AI RMF (GOVERN|MAP|MEASURE|MANAGE) \d/);
      expect(comment, gate).toMatch(/EU AI Act Art\. \d+/);
      expect(comment, gate).toMatch(/ISO\/IEC 42001 A\.\d/);
    }
  });
});

describe("extends: builtin:<name>", () => {
  it("lays the pack underneath and lets the file's keys override it", () => {
    const { policy, pack } = loaded(yaml`
      version: 1
      extends: builtin:ai-production-readiness
      policy_admins: ["@acme/ai-governance"]
      artifacts:
        model: { roots: ["ml/models/*"] }
      gates:
        privacy:
          reviewers: ["@acme/privacy"]
    `);
    expect(pack?.name).toBe(PACK);
    expect(policy.policy_admins).toEqual(["@acme/ai-governance"]);
    // Mappings merge key by key: the pack's other kinds and gate settings stay.
    expect(Object.keys(policy.artifacts)).toEqual(["model", "prompt", "dataset", "pipeline"]);
    expect(policy.gates.privacy).toMatchObject({
      reviewers: ["@acme/privacy"],
      tiers: ["high"],
      max_age_days: 365,
    });
    // Lists replace: the file's roots, not the pack's plus the file's.
    expect(policy.artifacts.model?.roots).toEqual(["ml/models/*"]);
  });

  it("merges before defaults, so the pack's values survive keys the file leaves out", () => {
    const { policy } = loaded(yaml`
      version: 1
      extends: builtin:ai-production-readiness
      artifacts:
        model: { roots: ["models/*"] }
    `);
    // `tier` defaults to low, but the pack says high and the file did not say otherwise.
    expect(policy.artifacts.model?.tier).toBe("high");
  });

  it("lets the file relax a pack value: extends is a base layer, not a floor", () => {
    const { policy } = loaded(
      "version: 1\nextends: builtin:ai-production-readiness\nenforcement: advisory\n",
    );
    expect(policy.enforcement).toBe("advisory");
  });

  it("reports an unknown pack at the extends value, with a suggestion", () => {
    const errors = loadErrors("version: 1\nextends: builtin:ai-production-readines\n");
    expect(errors).toEqual([
      {
        path: ".github/readiness.yml",
        line: 2,
        column: 10,
        message:
          "unknown policy pack 'builtin:ai-production-readines' — did you mean 'builtin:ai-production-readiness'?",
      },
    ]);
  });

  it("rejects an extends value that is not builtin:<name>", () => {
    const errors = loadErrors("version: 1\nextends: ./other.yml\n");
    expect(errors[0]).toMatchObject({
      line: 2,
      message: "extends: extends takes builtin:<name> or builtin:<name>@<version>",
    });
  });

  it("reports errors in the pack against policies/<name>.yml", () => {
    const broken = (name: string) => (name === "broken" ? "version: 1\nenforcment: enforced\n" : undefined);
    const result = loadPolicy(".github/readiness.yml", "version: 1\nextends: builtin:broken\n", broken);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "policies/broken.yml",
          line: 2,
          column: 1,
          message: "unknown key 'enforcment' — did you mean 'enforcement'?",
        },
      ],
    });
  });

  it("reports the file's own errors in the file, after merging", () => {
    const errors = loadErrors(yaml`
      version: 1
      extends: builtin:ai-production-readiness
      gates:
        rollback:
          max_drill_age_days: -5
    `);
    expect(errors).toEqual([
      expect.objectContaining({
        path: ".github/readiness.yml",
        line: 5,
        message: "gates.rollback.max_drill_age_days: must be greater than 0",
      }),
    ]);
  });

  it("still requires the file to state its version", () => {
    const errors = loadErrors("extends: builtin:ai-production-readiness\n");
    expect(errors[0]?.message).toMatch(/^version: required/);
  });
});
