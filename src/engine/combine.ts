// Several open pull requests can share one head commit, and GitHub keeps one `Readiness gate` run
// per commit, shown (and required) on every one of them. That run must therefore carry the most
// restrictive of their results: otherwise the PR that passes (say, into a branch that already
// holds the change) turns the check of the PR that fails green.
//
// Most restrictive first, by what the check does to a merge:
// 1. it blocks (`failure`): `policy_error`, then `blocked`, under an enforced policy;
// 2. it waits for people (`action_required`): `awaiting_approval`, enforced;
// 3. it would block but the policy is advisory (`neutral`, which GitHub lets through);
// 4. it passes (`success`): `overridden`, then `ready`, then `not_governed` — a governed result is
//    shown before "nothing governed changed", and an override before a plain pass, so the run says
//    the most about what passed.
// Equal results: the lowest pull request number decides, so the run does not flip between two
// reports as events of either PR arrive.
import type { Verdict } from "./types.js";

/** One pull request's result on the shared head. A PR under no policy at all is `not_governed`. */
export interface HeadResult {
  pull: number;
  verdict: Verdict;
  enforcement: "enforced" | "advisory";
}

const VERDICTS: readonly Verdict[] = [
  "policy_error",
  "blocked",
  "awaiting_approval",
  "overridden",
  "ready",
  "not_governed",
];

/** What the result does to a merge, most restrictive (0) first. */
function hold(result: HeadResult): number {
  if (result.verdict === "ready" || result.verdict === "overridden" || result.verdict === "not_governed")
    return 3;
  if (result.enforcement === "advisory") return 2;
  return result.verdict === "awaiting_approval" ? 1 : 0;
}

/** Negative when `a` is more restrictive than `b`. */
export function compareRestrictiveness(a: HeadResult, b: HeadResult): number {
  return hold(a) - hold(b) || VERDICTS.indexOf(a.verdict) - VERDICTS.indexOf(b.verdict) || a.pull - b.pull;
}

/** The result that decides the shared run: the most restrictive one. */
export function mostRestrictive<T extends HeadResult>(results: readonly T[]): T {
  const [first, ...rest] = results;
  if (!first) throw new Error("mostRestrictive needs at least one result");
  return rest.reduce((decided, next) => (compareRestrictiveness(next, decided) < 0 ? next : decided), first);
}
