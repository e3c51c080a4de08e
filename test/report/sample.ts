// Hand-built Evaluations: the engine is written separately, the report only needs the shape.
import type { ApprovalResult, ArtifactResult, Evaluation, GateResult } from "../../src/engine/types.js";

export function gate(overrides: Partial<GateResult> & Pick<GateResult, "gate" | "status">): GateResult {
  return { reasons: [], fixes: [], notes: [], locations: [], ...overrides };
}

export function artifact(overrides: Partial<ArtifactResult> & Pick<ArtifactResult, "root">): ArtifactResult {
  return { kind: "model", tier: "high", removed: false, owners: ["@acme/ml"], gates: [], ...overrides };
}

export function approval(overrides: Partial<ApprovalResult> & Pick<ApprovalResult, "rule">): ApprovalResult {
  return { status: "pending", missing: 1, required: 1, approvedBy: [], from: [], reasons: [], ...overrides };
}

export function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    verdict: "ready",
    enforcement: "enforced",
    policy: { digest: "sha256:0f1e2d", sources: [".github/readiness.yml"] },
    artifacts: [],
    approvals: [],
    errors: [],
    warnings: [],
    ...overrides,
  };
}

/** PRODUCT.md's `check --format json` example, as the engine would produce it. */
export function productExample(): Evaluation {
  return evaluation({
    verdict: "blocked",
    policy: { digest: "sha256:…", sources: [".github/readiness.yml"] },
    artifacts: [
      artifact({
        root: "models/churn",
        gates: [
          gate({
            gate: "evaluation",
            status: "fail",
            reasons: ["accuracy 0.87 is below the minimum 0.90"],
            fixes: ["Improve the model or re-run the evaluation, then commit `eval/results.json`."],
            locations: [{ path: "models/churn/eval/results.json", line: 4 }],
          }),
        ],
      }),
    ],
    approvals: [
      approval({ rule: "Compliance sign-off", status: "not_checked", from: ["@acme/ai-compliance"] }),
    ],
  });
}

/** A PR with two artifacts: failing evidence, a pending sign-off, missing approvals. */
export function blockedPr(): Evaluation {
  return evaluation({
    verdict: "blocked",
    artifacts: [
      artifact({
        root: "models/churn",
        gates: [
          gate({ gate: "ownership", status: "pass", notes: ["team membership was not checked"] }),
          gate({
            gate: "evaluation",
            status: "fail",
            reasons: ["accuracy 0.87 is below the minimum 0.90"],
            fixes: ["Improve the model or re-run the evaluation, then commit `eval/results.json`."],
            locations: [{ path: "models/churn/eval/results.json", line: 4 }],
          }),
          gate({
            gate: "privacy",
            status: "pending",
            reasons: ["@carol has not approved this pull request"],
            fixes: ["Ask @carol to approve the pull request."],
            locations: [{ path: "models/churn/privacy-review.yml", line: 2 }],
          }),
          gate({
            gate: "rollback",
            status: "fail",
            reasons: ["ROLLBACK.md is missing"],
            fixes: [
              "Add models/churn/ROLLBACK.md with the sections Trigger, Steps, Previous version, Owner, Last tested.",
            ],
            locations: [{ path: "models/churn/ROLLBACK.md" }],
          }),
        ],
      }),
      artifact({
        root: "prompts/support",
        kind: "prompt",
        tier: "medium",
        gates: [
          gate({ gate: "ownership", status: "pass" }),
          gate({
            gate: "evaluation",
            status: "fail",
            reasons: ["pass_rate 0.91 is below the minimum 0.95"],
            fixes: ["Fix the failing cases and re-run promptfoo."],
            locations: [{ path: "prompts/support/eval/results.json", line: 12 }],
          }),
          gate({ gate: "privacy", status: "skipped", reasons: ["tier medium is not in [high]"] }),
        ],
      }),
    ],
    approvals: [
      approval({ rule: "Compliance sign-off", from: ["@acme/ai-compliance"], missing: 1 }),
      approval({
        rule: "Artifact owner",
        status: "pass",
        missing: 0,
        approvedBy: ["alice"],
        from: ["@acme/ml"],
      }),
    ],
  });
}
