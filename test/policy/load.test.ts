import { describe, expect, it } from "vitest";
import { formatLocated } from "../../src/policy/index.js";
import { loadErrors, loaded, yaml } from "./helpers.js";

describe("loadPolicy", () => {
  it("loads a valid policy and applies defaults", () => {
    const { policy } = loaded(yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*"], tier: high }
      gates:
        evaluation:
          thresholds: [{ metric: accuracy, min: 0.9 }]
    `);
    expect(policy.enforcement).toBe("enforced");
    expect(policy.gates.evaluation?.file).toBe("eval/results.json");
    expect(policy.gates.evaluation?.bind).toBe("same_pr");
    expect(policy.artifacts.model?.tier).toBe("high");
  });

  it("reports invalid YAML at its line and column", () => {
    const errors = loadErrors("version: 1\nartifacts:\n  model: { roots: [models/*\n");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.path).toBe(".github/readiness.yml");
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
    expect(errors[0]?.column).toBeGreaterThan(0);
  });

  // Expanded, this bomb is 10^10 nodes: the test would run out of memory or time, not pass.
  it("rejects an alias bomb instead of expanding it", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 9 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const name = String.fromCharCode(98 + i);
        return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join("\n");
    const errors = loadErrors(bomb);
    expect(errors[0]?.message).toMatch(/alias/i);
  });

  it("reports a duplicate key at the second occurrence", () => {
    const errors = loadErrors("version: 1\nenforcement: enforced\nenforcement: advisory\n");
    expect(errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/duplicate key/) }),
    ]);
  });

  it("reports an unknown key at the key itself, with the nearest known key", () => {
    const errors = loadErrors(yaml`
      version: 1
      gates:
        evaluation:
          thresold:
            - { metric: accuracy, min: 0.9 }
    `);
    expect(errors).toEqual([
      {
        path: ".github/readiness.yml",
        line: 4,
        column: 5,
        message: "unknown key 'thresold' in gates.evaluation — did you mean 'thresholds'?",
      },
    ]);
    expect(formatLocated(errors[0] as never)).toBe(
      ".github/readiness.yml:4:5: unknown key 'thresold' in gates.evaluation — did you mean 'thresholds'?",
    );
  });

  it("lists the allowed keys when nothing is close", () => {
    const errors = loadErrors("version: 1\nreleases:\n  zzzzzzzz: true\n");
    expect(errors[0]?.message).toBe("unknown key 'zzzzzzzz' in releases (allowed: enforce, environments)");
    expect(errors[0]).toMatchObject({ line: 3, column: 3 });
  });

  it("explains a wrong type with the path, the expected type and what was found", () => {
    const errors = loadErrors(yaml`
      version: 1
      gates:
        evaluation:
          thresholds:
            - { metric: accuracy, min: "0.9" }
    `);
    expect(errors).toEqual([
      {
        path: ".github/readiness.yml",
        line: 5,
        column: 34,
        message: 'gates.evaluation.thresholds[0].min: expected a number, got string "0.9"',
      },
    ]);
  });

  it("names the allowed values of an enum and points at the value", () => {
    const errors = loadErrors("version: 1\nenforcement: strict\n");
    expect(errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 14,
        message: 'enforcement: expected one of "enforced", "advisory", got string "strict"',
      }),
    ]);
  });

  it("reports a missing required key at its parent", () => {
    const errors = loadErrors("version: 1\ngates:\n  privacy:\n    tiers: [high]\n");
    expect(errors).toEqual([
      expect.objectContaining({ line: 4, message: "gates.privacy.reviewers: required, expected a list" }),
    ]);
  });

  it("says a policy without version needs one, and how to write it", () => {
    expect(loadErrors("artifacts: {}\n")).toEqual([
      expect.objectContaining({ line: 1, column: 1, message: "version is required (version: 1)" }),
    ]);
    expect(loadErrors("version: 2\n")).toEqual([
      expect.objectContaining({ message: "version: expected 1, got number 2" }),
    ]);
  });

  it("reports every problem at once, in file order", () => {
    const errors = loadErrors(yaml`
      version: 1
      artifacts:
        model: { roots: [], tier: huge }
      approvals:
        - { name: Sign-off, count: 0, teams: ["@acme/x"] }
    `);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [3, "artifacts.model.roots: must list at least one item"],
      [3, 'artifacts.model.tier: expected one of "low", "medium", "high", got string "huge"'],
      [5, "approvals[0].count: must be at least 1"],
    ]);
  });

  it("explains rules the schema refines (a threshold needs min or max)", () => {
    const errors = loadErrors(
      "version: 1\ngates:\n  evaluation:\n    thresholds:\n      - metric: accuracy\n",
    );
    expect(errors[0]).toMatchObject({
      line: 5,
      message: "gates.evaluation.thresholds[0]: a threshold needs min or max",
    });
  });

  it("rejects an empty file with a located error", () => {
    for (const text of ["", "# only a comment\n"]) {
      expect(loadErrors(text)).toEqual([
        {
          path: ".github/readiness.yml",
          line: 1,
          column: 1,
          message: "the policy file is empty: it needs at least `version: 1`",
        },
      ]);
    }
  });

  it("rejects a file that is not a mapping", () => {
    expect(loadErrors("- version: 1\n")[0]?.message).toMatch(/must be a mapping of keys.*got a list/);
  });

  it("rejects a version other than 1", () => {
    expect(loadErrors("version: 2\n")[0]?.message).toBe("version: expected 1, got number 2");
  });

  it("points at a bad kind name itself", () => {
    const errors = loadErrors("version: 1\nartifacts:\n  Models: { roots: [models/*] }\n");
    expect(errors[0]).toMatchObject({ line: 3, column: 3 });
    expect(errors[0]?.message).toMatch(/^artifacts\.Models: invalid name: a kind is lower-case/);
  });

  it("rejects two approval rules with the same name, since merging matches rules by name", () => {
    const errors = loadErrors(yaml`
      version: 1
      approvals:
        - { name: Sign-off, teams: ["@acme/a"] }
        - { name: Sign-off, teams: ["@acme/b"] }
    `);
    expect(errors).toEqual([
      expect.objectContaining({
        line: 4,
        message: "approvals[1].name: another rule is already named 'Sign-off'",
      }),
    ]);
  });
});
