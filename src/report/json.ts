// `check --format json`: PRODUCT.md's documented shape first, in its key order, then extra keys
// that only ever add information, so scripts written against the documented shape keep working.
import type { Evaluation, GateResult, Location } from "../engine/types.js";
import type { LocatedError } from "../policy/located.js";

export interface JsonLocation {
  path: string;
  line?: number;
  column?: number;
}

export interface JsonError extends JsonLocation {
  message: string;
}

export interface JsonGate {
  gate: string;
  status: GateResult["status"];
  reasons: string[];
  locations: JsonLocation[];
  fixes: string[];
  notes: string[];
}

export interface JsonArtifact {
  root: string;
  kind: string;
  tier: string;
  gates: JsonGate[];
  removed: boolean;
  owners: string[];
}

export interface JsonApproval {
  rule: string;
  status: GateResult["status"];
  missing: number;
  required: number;
  from: string[];
  approvedBy: string[];
  reasons: string[];
}

export interface JsonReport {
  verdict: Evaluation["verdict"];
  policy: { digest: string; sources: string[] };
  artifacts: JsonArtifact[];
  approvals: JsonApproval[];
  errors: JsonError[];
  warnings: JsonError[];
  enforcement: Evaluation["enforcement"];
  override?: { by: string; reason: string; at: string; expiresAt: string; headSha: string };
}

// Absent line/column are left out rather than written as null.
function location(from: Location): JsonLocation {
  const out: JsonLocation = { path: from.path };
  if (from.line !== undefined) out.line = from.line;
  if (from.column !== undefined) out.column = from.column;
  return out;
}

function error(from: LocatedError): JsonError {
  return { ...location(from), message: from.message };
}

export function toJson(e: Evaluation): JsonReport {
  const report: JsonReport = {
    verdict: e.verdict,
    policy: { digest: e.policy.digest, sources: [...e.policy.sources] },
    artifacts: e.artifacts.map((artifact) => ({
      root: artifact.root,
      kind: artifact.kind,
      tier: artifact.tier,
      gates: artifact.gates.map((gate) => ({
        gate: gate.gate,
        status: gate.status,
        reasons: [...gate.reasons],
        locations: gate.locations.map(location),
        fixes: [...gate.fixes],
        notes: [...gate.notes],
      })),
      removed: artifact.removed,
      owners: [...artifact.owners],
    })),
    approvals: e.approvals.map((approval) => ({
      rule: approval.rule,
      status: approval.status,
      missing: approval.missing,
      required: approval.required,
      from: [...approval.from],
      approvedBy: [...approval.approvedBy],
      reasons: [...approval.reasons],
    })),
    errors: e.errors.map(error),
    warnings: e.warnings.map(error),
    enforcement: e.enforcement,
  };
  if (e.override) {
    const { by, reason, at, expiresAt, headSha } = e.override;
    report.override = { by, reason, at, expiresAt, headSha };
  }
  return report;
}
