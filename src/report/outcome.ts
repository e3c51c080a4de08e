// What a result means on each surface, in one table: the check run's conclusion on GitHub and the
// `check` command's exit status. `error` is an evaluation that could not finish (GitHub down…):
// it has no verdict, and no earlier result may stand in its place.
//
// Advisory mode is an admin's dry run: the same findings, never enforced. A conclusion that would
// hold the merge becomes `neutral`, and a `blocked` exit status becomes 0; a policy that cannot be
// read still exits 2, since nothing could be checked at all.
import type { Evaluation, Verdict } from "../engine/types.js";

export type CheckConclusion = "success" | "failure" | "neutral" | "action_required";

/** A verdict, or `error` for an evaluation that could not finish. */
export type Outcome = Verdict | "error";

/** 0: passes (or waits for people); 1: blocked; 2: the policy or the run itself failed. */
export type ExitStatus = 0 | 1 | 2;

const ENFORCED: Record<Outcome, { conclusion: CheckConclusion; exit: ExitStatus }> = {
  ready: { conclusion: "success", exit: 0 },
  overridden: { conclusion: "success", exit: 0 },
  not_governed: { conclusion: "success", exit: 0 },
  awaiting_approval: { conclusion: "action_required", exit: 0 },
  blocked: { conclusion: "failure", exit: 1 },
  policy_error: { conclusion: "failure", exit: 2 },
  error: { conclusion: "failure", exit: 2 },
};

type Enforcement = Evaluation["enforcement"];

/** The conclusion the outcome earns when the policy is enforced. */
export function enforcedConclusion(outcome: Outcome): CheckConclusion {
  return ENFORCED[outcome].conclusion;
}

/** Whether the check would keep the merge blocked if the policy were enforced. */
export function wouldBlock(e: Pick<Evaluation, "verdict">): boolean {
  return enforcedConclusion(e.verdict) !== "success";
}

/** The check run's conclusion. */
export function conclusionOf(outcome: Outcome, enforcement: Enforcement): CheckConclusion {
  const conclusion = enforcedConclusion(outcome);
  return enforcement === "advisory" && conclusion !== "success" ? "neutral" : conclusion;
}

export function checkConclusion(e: Pick<Evaluation, "verdict" | "enforcement">): CheckConclusion {
  return conclusionOf(e.verdict, e.enforcement);
}

/** The `check` command's exit status. */
export function exitStatus(e: Pick<Evaluation, "verdict" | "enforcement">): ExitStatus {
  const { exit } = ENFORCED[e.verdict];
  return e.enforcement === "advisory" && exit === 1 ? 0 : exit;
}
