// Counts behind titles and summary lines ("3 items to fix in 2 artifacts").
import type { ApprovalResult, Evaluation, GateStatus } from "../engine/types.js";

export interface Tally {
  /** Gate results per status, over every artifact. */
  gates: Record<GateStatus, number>;
  /** Artifacts with at least one failing gate. */
  failingArtifacts: number;
  /** Approvals still needed, summed over the rules that wait on people. */
  missingApprovals: number;
}

/** A rule still waiting on people: checked and not satisfied, or not checkable here. */
export function approvalOutstanding(approval: ApprovalResult): boolean {
  return approval.missing > 0 && approval.status !== "pass" && approval.status !== "skipped";
}

export function tally(e: Evaluation): Tally {
  const gates: Record<GateStatus, number> = { pass: 0, fail: 0, pending: 0, skipped: 0, not_checked: 0 };
  let failingArtifacts = 0;
  for (const artifact of e.artifacts) {
    for (const gate of artifact.gates) gates[gate.status]++;
    if (artifact.gates.some((gate) => gate.status === "fail")) failingArtifacts++;
  }
  const missingApprovals = e.approvals
    .filter((approval) => approval.status === "pending" || approval.status === "fail")
    .filter(approvalOutstanding)
    .reduce((sum, approval) => sum + approval.missing, 0);
  return { gates, failingArtifacts, missingApprovals };
}
