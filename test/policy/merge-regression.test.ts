// The noise-aware regression rule merges tighten-only: a repo may lower the tolerance and the
// `stderr` multiplier, never raise them; an org rule without `stderr` has no noise band to widen.
import { describe, expect, it } from "vitest";
import { mergeTightenOnly, requirementLines } from "../../src/policy/index.js";
import { loaded } from "./helpers.js";

const orgWith = (regression: string) =>
  `version: 1\ngates:\n  evaluation:\n    thresholds: [{ metric: accuracy, min: 0.9 }]\n    regression: ${regression}\n`;
const repoWith = (regression: string) => `version: 1\ngates:\n  evaluation:\n    regression: ${regression}\n`;

function merge(org: string, repo: string) {
  return mergeTightenOnly(
    { ...loaded(org, ".github/readiness.yml"), label: "acme/.github:.github/readiness.yml" },
    loaded(repo),
  );
}

describe("mergeTightenOnly: regression stderr", () => {
  it("keeps the org's rule when the repo does not write one", () => {
    const { policy, errors } = merge(orgWith("{ tolerance: 0.01, stderr: 2 }"), "version: 1\n");
    expect(errors).toEqual([]);
    expect(policy.gates.evaluation?.regression).toEqual({ tolerance: 0.01, stderr: 2 });
  });

  it.each([
    ["a lower stderr", "{ tolerance: 0.01, stderr: 1 }", { tolerance: 0.01, stderr: 1 }],
    ["no stderr (the tolerance alone)", "{ tolerance: 0.01 }", { tolerance: 0.01 }],
    [
      "a lower tolerance and the same stderr",
      "{ tolerance: 0.005, stderr: 2 }",
      { tolerance: 0.005, stderr: 2 },
    ],
  ])("accepts %s", (_, repo, merged) => {
    const { policy, errors } = merge(orgWith("{ tolerance: 0.01, stderr: 2 }"), repoWith(repo));
    expect(errors).toEqual([]);
    expect(policy.gates.evaluation?.regression).toEqual(merged);
  });

  it.each([
    [
      "a higher stderr",
      "{ tolerance: 0.01, stderr: 2 }",
      "{ tolerance: 0.01, stderr: 3 }",
      /regression stderr 3 is above the org's 2/,
    ],
    [
      "a stderr the org's rule does not have",
      "{ tolerance: 0.01 }",
      "{ tolerance: 0.01, stderr: 2 }",
      /regression stderr 2 adds a noise band the org's regression rule does not have/,
    ],
  ])("refuses %s at the repo's line and column", (_, org, repo, message) => {
    const text = repoWith(repo);
    const { policy, errors } = merge(orgWith(org), text);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(message);
    const line = text.split("\n").findIndex((l) => l.includes("stderr")) + 1;
    expect(errors[0]).toMatchObject({ path: ".github/readiness.yml", line });
    // The org's rule stands.
    expect(policy.gates.evaluation?.regression?.stderr).toBe(org.includes("stderr") ? 2 : undefined);
  });
});

describe("requirementLines: the regression rule", () => {
  it("names the noise band when the rule has stderr, and the tolerance alone otherwise", () => {
    expect(requirementLines(loaded(orgWith("{ tolerance: 0.01, stderr: 2 }")).policy)).toContain(
      "evaluation: no metric regresses by more than 0.01 and 2 × its combined standard error where both sides report one",
    );
    expect(requirementLines(loaded(orgWith("{ tolerance: 0.01 }")).policy)).toContain(
      "evaluation: no metric regresses by more than 0.01",
    );
  });
});
