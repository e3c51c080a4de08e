// `check --format json`: the Evaluation itself, its keys in the documented order (README, "The
// command line": verdict, policy, artifacts, approvals, errors first, then keys that only add
// information), so scripts written against the documented shape keep working. Each order below
// lists every key of its type (the compiler checks that); absent values (an unknown line) are
// left out rather than written as null.
import type {
  ApprovalResult,
  ArtifactApprovals,
  ArtifactResult,
  Evaluation,
  GateResult,
  Location,
} from "../engine/types.js";
import type { Override } from "../facts/types.js";
import type { LocatedError } from "../policy/located.js";

/** The report is the evaluation; only the key order (and leaving out absent values) is JSON's own. */
export type JsonReport = Evaluation;

/** A copy of `value` with the keys in the order `order` lists them, absent values left out. */
function inOrder<T extends object>(order: Record<keyof T, true>): (value: T) => T {
  const keys = Object.keys(order) as Array<keyof T>;
  return (value) => {
    const copy = {} as T;
    for (const key of keys) if (value[key] !== undefined) copy[key] = value[key];
    return copy;
  };
}

const report = inOrder<Evaluation>({
  verdict: true,
  policy: true,
  artifacts: true,
  approvals: true,
  errors: true,
  warnings: true,
  enforcement: true,
  override: true,
});
const policy = inOrder<Evaluation["policy"]>({ digest: true, sources: true });
const artifact = inOrder<ArtifactResult>({
  root: true,
  kind: true,
  tier: true,
  gates: true,
  removed: true,
  owners: true,
});
// `findings` regroups reasons, fixes and locations for people to read; the JSON keeps the
// documented parallel lists and leaves it out (docs/decisions.md).
const gate = inOrder<Omit<GateResult, "findings">>({
  gate: true,
  status: true,
  reasons: true,
  locations: true,
  fixes: true,
  notes: true,
});
const location = inOrder<Location>({ path: true, line: true, column: true });
const approval = inOrder<ApprovalResult>({
  rule: true,
  status: true,
  missing: true,
  required: true,
  from: true,
  approvedBy: true,
  reasons: true,
  artifacts: true,
});
const share = inOrder<ArtifactApprovals>({ root: true, missing: true, from: true, approvedBy: true });
const error = inOrder<LocatedError>({ path: true, line: true, column: true, message: true });
const override = inOrder<Override>({ by: true, reason: true, at: true, expiresAt: true, headSha: true });

export function toJson(e: Evaluation): JsonReport {
  return {
    ...report(e),
    policy: policy(e.policy),
    artifacts: e.artifacts.map((a) => ({
      ...artifact(a),
      gates: a.gates.map((g) => ({ ...gate(g), locations: g.locations.map(location) })),
    })),
    approvals: e.approvals.map((a) => ({
      ...approval(a),
      ...(a.artifacts ? { artifacts: a.artifacts.map(share) } : {}),
    })),
    errors: e.errors.map(error),
    warnings: e.warnings.map(error),
    ...(e.override ? { override: override(e.override) } : {}),
  };
}
