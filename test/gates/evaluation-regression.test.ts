// Noise-aware regression (PRODUCT.md "Regression"): where both sides report a standard error, a
// drop counts only when it is beyond the tolerance and beyond stderr × √(se_base² + se_head²);
// the check shows the change, the noise band and whether it counted.
import { describe, expect, it } from "vitest";
import { evaluationGate } from "../../src/gates/evaluation.js";
import { artifactAt, expectShown, gateInput } from "./input.js";

const RESULTS = "models/a/eval/results.json";
/** lm-evaluation-harness v0.4 results: accuracy with its standard error ("N/A" when none). */
const lmEval = (acc: number, stderr: number | "N/A") =>
  JSON.stringify({ results: { arc: { "acc,none": acc, "acc_stderr,none": stderr } }, versions: { arc: 1 } });
const policy = (regression: { tolerance: number; stderr?: number }) => ({
  gates: { evaluation: { bind: "none" as const, thresholds: [{ metric: "arc/acc", min: 0.5 }], regression } },
});
const check = (regression: { tolerance: number; stderr?: number }, base: string, head: string) =>
  evaluationGate.check(
    gateInput(artifactAt("models/a", { changedPaths: [RESULTS] }), {
      policy: policy(regression),
      base: { [RESULTS]: base },
      head: { [RESULTS]: head },
    }),
  );

describe("evaluation gate: noise-aware regression", () => {
  it("a drop beyond the tolerance but within the noise band does not count, and the note says why", async () => {
    // band = 2 × √(0.015² + 0.015²) ≈ 0.0424 > 0.03
    const result = await check({ tolerance: 0.01, stderr: 2 }, lmEval(0.96, 0.015), lmEval(0.93, 0.015));
    expectShown(result, {
      status: "pass",
      reasons: [],
      notes: [
        "arc/acc regressed from 0.96 on the base branch to 0.93 (-0.03): more than the tolerance 0.01 but within the noise band 0.0424264 (2 × √(0.015² + 0.015²)), so it does not count as a regression",
      ],
    });
  });

  it("a drop beyond both the tolerance and the noise band counts, with the change and the band", async () => {
    // band = 2 × √(0.005² + 0.005²) ≈ 0.0141 < 0.03
    const result = await check({ tolerance: 0.01, stderr: 2 }, lmEval(0.96, 0.005), lmEval(0.93, 0.005));
    expectShown(result, {
      status: "fail",
      reasons: [
        "arc/acc regressed from 0.96 on the base branch to 0.93 (-0.03), more than the tolerance 0.01 and the noise band 0.0141421 (2 × √(0.005² + 0.005²))",
      ],
    });
  });

  it("a drop within the tolerance does not count, however small the noise", async () => {
    const result = await check({ tolerance: 0.05, stderr: 2 }, lmEval(0.96, 0.001), lmEval(0.93, 0.001));
    expectShown(result, { status: "pass", reasons: [] });
  });

  it("without a standard error on both sides the tolerance alone applies, and the reason says so", async () => {
    const result = await check({ tolerance: 0.01, stderr: 2 }, lmEval(0.96, "N/A"), lmEval(0.93, 0.05));
    expectShown(result, {
      status: "fail",
      reasons: [
        "arc/acc regressed from 0.96 on the base branch to 0.93 (-0.03), more than the tolerance 0.01 (no standard error on both sides, so the tolerance alone applies)",
      ],
    });
  });

  it("a negative standard error in the results is none: the tolerance alone applies", async () => {
    const result = await check({ tolerance: 0.01, stderr: 2 }, lmEval(0.9, 0.01), lmEval(0.5, -5));
    expectShown(result, {
      status: "fail",
      reasons: [
        "arc/acc regressed from 0.90 on the base branch to 0.50 (-0.40), more than the tolerance 0.01 (no standard error on both sides, so the tolerance alone applies)",
      ],
    });
  });

  it("without stderr in the policy the standard errors are not used", async () => {
    const result = await check({ tolerance: 0.01 }, lmEval(0.96, 0.015), lmEval(0.93, 0.015));
    expectShown(result, {
      status: "fail",
      reasons: ["arc/acc regressed from 0.96 on the base branch to 0.93, more than the tolerance 0.01"],
    });
  });

  it("a metric with a max regresses upward, and an improvement is never a regression", async () => {
    const maxPolicy = {
      gates: {
        evaluation: {
          bind: "none" as const,
          thresholds: [{ metric: "arc/acc", max: 1 }],
          regression: { tolerance: 0.01, stderr: 1 },
        },
      },
    };
    const run = (base: string, head: string) =>
      evaluationGate.check(
        gateInput(artifactAt("models/a", { changedPaths: [RESULTS] }), {
          policy: maxPolicy,
          base: { [RESULTS]: base },
          head: { [RESULTS]: head },
        }),
      );
    expect((await run(lmEval(0.5, 0.001), lmEval(0.6, 0.001)))?.reasons).toEqual([
      "arc/acc regressed from 0.50 on the base branch to 0.60 (+0.10), more than the tolerance 0.01 and the noise band 0.00141421 (1 × √(0.001² + 0.001²))",
    ]);
    expectShown(await run(lmEval(0.6, 0.001), lmEval(0.5, 0.001)), { status: "pass", reasons: [] });
  });
});
