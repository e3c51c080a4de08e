import { describe, expect, it } from "vitest";
import { Findings } from "../../src/gates/findings.js";
import { toJson } from "../../src/report/index.js";
import { approval, artifact, evaluation, gate, productExample } from "./sample.js";

// PRODUCT.md, "Command line": what `check --format json` prints for this evaluation.
const documented = {
  verdict: "blocked",
  policy: { digest: "sha256:…", sources: [".github/readiness.yml"] },
  artifacts: [
    {
      root: "models/churn",
      kind: "model",
      tier: "high",
      gates: [
        {
          gate: "evaluation",
          status: "fail",
          reasons: ["accuracy 0.87 is below the minimum 0.90"],
          locations: [{ path: "models/churn/eval/results.json", line: 4 }],
        },
      ],
    },
  ],
  approvals: [{ rule: "Compliance sign-off", status: "not_checked", missing: 1 }],
  errors: [],
};

/** Keeps only the keys `shape` has, recursively, in the output's own order. */
function project(value: unknown, shape: unknown): unknown {
  if (Array.isArray(shape) && Array.isArray(value))
    return value.map((item, i) => project(item, shape[i] ?? shape[0]));
  if (shape && typeof shape === "object" && value && typeof value === "object") {
    const keys = Object.keys(value).filter((key) => key in shape);
    return Object.fromEntries(
      keys.map((key) => [key, project((value as never)[key], (shape as never)[key])]),
    );
  }
  return value;
}

describe("toJson", () => {
  it("prints PRODUCT.md's documented shape, keys in the documented order", () => {
    const json = JSON.parse(JSON.stringify(toJson(productExample())));
    const documentedPart = project(json, documented);
    expect(documentedPart).toEqual(documented);
    expect(JSON.stringify(documentedPart)).toBe(JSON.stringify(documented));
  });

  it("puts the extra keys after the documented ones", () => {
    const json = toJson(productExample());
    expect(Object.keys(json)).toEqual([
      "verdict",
      "policy",
      "artifacts",
      "approvals",
      "errors",
      "warnings",
      "enforcement",
    ]);
    expect(Object.keys(json.artifacts[0] ?? {})).toEqual([
      "root",
      "kind",
      "tier",
      "gates",
      "removed",
      "owners",
    ]);
    expect(Object.keys(json.artifacts[0]?.gates[0] ?? {})).toEqual([
      "gate",
      "status",
      "reasons",
      "locations",
      "fixes",
      "notes",
    ]);
    expect(Object.keys(json.approvals[0] ?? {})).toEqual([
      "rule",
      "status",
      "missing",
      "required",
      "from",
      "approvedBy",
      "reasons",
    ]);
    expect(json.artifacts[0]?.gates[0]?.fixes[0]).toContain("eval/results.json");
    expect(json.approvals[0]?.from).toEqual(["@acme/ai-compliance"]);
  });

  it("leaves out unknown lines instead of writing null, and reports errors with line and column", () => {
    const json = toJson(
      evaluation({
        verdict: "policy_error",
        artifacts: [
          artifact({
            root: "models/a",
            gates: [
              gate({ gate: "rollback", status: "fail", locations: [{ path: "models/a/ROLLBACK.md" }] }),
            ],
          }),
        ],
        errors: [{ path: ".github/readiness.yml", line: 3, column: 5, message: "unknown key" }],
      }),
    );
    expect(json.artifacts[0]?.gates[0]?.locations).toEqual([{ path: "models/a/ROLLBACK.md" }]);
    expect(json.errors).toEqual([
      { path: ".github/readiness.yml", line: 3, column: 5, message: "unknown key" },
    ]);
  });

  it("includes the override only when there is one", () => {
    expect(toJson(productExample())).not.toHaveProperty("override");
    const override = {
      by: "dave",
      reason: "hotfix",
      at: "2024-05-01T10:00:00Z",
      expiresAt: "2024-05-04T10:00:00Z",
      headSha: "abc",
    };
    expect(toJson(evaluation({ verdict: "overridden", override })).override).toEqual(override);
  });

  it("keeps a gate's documented lists, and gives an owners rule its per-artifact breakdown after the rest", () => {
    const found = new Findings("rollback").fail("ROLLBACK.md is missing", "Add it.", {
      path: "models/a/ROLLBACK.md",
    });
    const json = toJson(
      evaluation({
        verdict: "blocked",
        artifacts: [artifact({ root: "models/a", gates: [found.result()] })],
        approvals: [
          approval({
            rule: "Artifact owner",
            from: ["@acme/ml"],
            artifacts: [{ root: "models/a", missing: 1, from: ["@acme/ml"], approvedBy: [] }],
          }),
        ],
      }),
    );
    expect(Object.keys(json.artifacts[0]?.gates[0] ?? {})).toEqual([
      "gate",
      "status",
      "reasons",
      "locations",
      "fixes",
      "notes",
    ]);
    expect(Object.keys(json.approvals[0] ?? {}).at(-1)).toBe("artifacts");
    expect(json.approvals[0]?.artifacts).toEqual([
      { root: "models/a", missing: 1, from: ["@acme/ml"], approvedBy: [] },
    ]);
  });
});
