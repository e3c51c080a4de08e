// The verdict of a PR, exactly as PRODUCT.md defines it. `not_checked` counts as holding, so a
// local `ready` means "ready once the people sign off".
import type { Override } from "../facts/types.js";
import type { ApprovalResult, ArtifactResult, Evaluation, Verdict } from "./types.js";

export function decideVerdict(
  artifacts: readonly ArtifactResult[],
  approvals: readonly ApprovalResult[],
  hasErrors: boolean,
  override: Override | undefined,
): Verdict {
  if (artifacts.length === 0 && !hasErrors) return "not_governed";
  const gates = artifacts.flatMap((a) => a.gates);
  let verdict: Verdict = "ready";
  if (hasErrors || gates.some((g) => g.status === "fail")) verdict = "blocked";
  else if (
    gates.some((g) => g.status === "pending") ||
    approvals.some((a) => a.status === "pending" || a.status === "fail")
  ) {
    verdict = "awaiting_approval";
  }
  return verdict !== "ready" && override ? "overridden" : verdict;
}

/** An override counts only on the head it was given for and until it expires. */
export function overrideInForce(
  override: Override | undefined,
  headSha: string | undefined,
  now: Date,
): Override | undefined {
  if (!override) return undefined;
  if (headSha && override.headSha !== headSha) return undefined;
  return new Date(override.expiresAt).getTime() > now.getTime() ? override : undefined;
}

/** The evaluation of a change under no policy at all: nothing it changes is governed. */
export function notGovernedEvaluation(): Evaluation {
  return {
    verdict: "not_governed",
    enforcement: "enforced",
    policy: { digest: "", sources: [] },
    artifacts: [],
    approvals: [],
    errors: [],
    warnings: [],
  };
}
