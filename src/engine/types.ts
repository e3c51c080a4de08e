// The engine's output: the one result every surface (check run, CLI, release, audit) renders.

import type { Override } from "../facts/types.js";
import type { ApprovalResult, GateResult } from "../gates/types.js";
import type { LocatedError } from "../policy/located.js";
import type { Policy, Tier } from "../policy/schema.js";

export type {
  ApprovalResult,
  ArtifactApprovals,
  Finding,
  GateResult,
  GateStatus,
  Location,
} from "../gates/types.js";

export type Verdict =
  | "ready"
  | "blocked"
  | "awaiting_approval"
  | "overridden"
  | "not_governed"
  | "policy_error";

export interface ArtifactResult {
  root: string;
  kind: string;
  tier: Tier;
  removed: boolean;
  owners: string[];
  gates: GateResult[];
}

/** The effective policy, or why it could not be loaded. */
export type EffectivePolicy =
  | { ok: true; policy: Policy; digest: string; sources: string[]; warnings: LocatedError[] }
  | { ok: false; errors: LocatedError[]; sources: string[] };

export interface Evaluation {
  verdict: Verdict;
  /** `advisory` turns every blocking conclusion into `neutral` on GitHub. */
  enforcement: "enforced" | "advisory";
  policy: { digest: string; sources: string[] };
  artifacts: ArtifactResult[];
  approvals: ApprovalResult[];
  /** Policy errors (verdict `policy_error`) and failures to read what changed. */
  errors: LocatedError[];
  warnings: LocatedError[];
  override?: Override;
}
