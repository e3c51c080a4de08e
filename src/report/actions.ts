// Check-run buttons. GitHub's limits: at most 3 actions; label ≤ 20, identifier ≤ 20,
// description ≤ 40 characters. The app handles `requested_action` by these identifiers.
import type { Evaluation } from "../engine/types.js";
import { approvalOutstanding } from "./tally.js";

export interface CheckRunAction {
  label: string;
  identifier: string;
  description: string;
}

export const RECHECK_ACTION: CheckRunAction = {
  label: "Re-check",
  identifier: "recheck",
  description: "Evaluate this pull request again",
};

export const REQUEST_REVIEWS_ACTION: CheckRunAction = {
  label: "Request reviews",
  identifier: "request_reviews",
  description: "Ask those whose approval is missing",
};

/** Request reviews only when approvals are missing: otherwise the button would ask nobody. */
export function checkRunActions(e: Evaluation): CheckRunAction[] {
  const missing = e.approvals.some((approval) => approvalOutstanding(approval) && approval.from.length > 0);
  return missing ? [RECHECK_ACTION, REQUEST_REVIEWS_ACTION] : [RECHECK_ACTION];
}
