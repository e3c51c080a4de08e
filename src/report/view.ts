// The Evaluation reshaped for the Markdown templates: rows and items in reading order, counts
// precomputed, and a `limit` that keeps only the first rows of each list (for size caps).
import type { ApprovalResult, ArtifactResult, Evaluation, GateResult, GateStatus } from "../engine/types.js";
import type { LocatedError } from "../policy/located.js";
import { type CheckConclusion, enforcedConclusion, wouldBlock } from "./outcome.js";
import { pairedReasons } from "./reasons.js";
import { approvalOutstanding } from "./tally.js";
import { checkTitle } from "./title.js";
import { formatLocation, mention, VERDICT_EMOJI } from "./words.js";

/** A reason with its own location (`path:line`) and fix, shown together. */
export interface ReasonView {
  text: string;
  location: string | null;
  /** Null when the next reason has the same fix: it is said once, after the last of them. */
  fix: string | null;
}

export interface GateView {
  gate: string;
  status: GateStatus;
  reasons: ReasonView[];
  /** Fixes and locations (`path:line`) that belong to no one reason. */
  fixes: string[];
  locations: string[];
  notes: string[];
}

export interface ArtifactView {
  root: string;
  kind: string;
  tier: string;
  removed: boolean;
  owners: string[];
  /** One cell per table column; null where the gate does not exist for this artifact. */
  cells: Array<{ status: GateStatus } | null>;
  gates: GateView[];
}

/** A failing or pending gate: the things someone has to act on. */
export interface ItemView extends GateView {
  root: string;
}

export interface ApprovalView {
  rule: string;
  status: GateStatus;
  missing: number;
  required: number;
  /** Who can give the missing approvals; empty when `artifacts` says it per artifact. */
  from: string[];
  approvedBy: string[];
  reasons: string[];
  /** An `owners: true` rule: each artifact with whose approval it needs. */
  artifacts: Array<{ root: string; missing: number; from: string[]; approvedBy: string[] }>;
}

export interface ErrorView {
  /** `file:line:col`. */
  where: string;
  message: string;
}

export interface ReportView {
  verdictEmoji: string;
  title: string;
  advisory: { wouldConclude: CheckConclusion | null } | null;
  override: { by: string; reason: string; expiresAt: string } | null;
  columns: string[];
  artifacts: ArtifactView[];
  items: ItemView[];
  approvalsNeeded: ApprovalView[];
  approvalsGiven: ApprovalView[];
  errors: ErrorView[];
  warnings: ErrorView[];
  policy: { digest: string; sources: string[] };
  /** Rows left out by `limit` (artifacts, items, errors, warnings), 0 when everything is shown. */
  hidden: number;
  detailsUrl: string | null;
}

export interface ViewOptions {
  /** Show at most this many artifacts (with their items), errors and warnings. */
  limit?: number;
  detailsUrl?: string;
}

const NEEDS_ACTION: ReadonlySet<GateStatus> = new Set(["fail", "pending"]);

// Artifacts with something to fix come first, so a summary cut for size still shows them.
function urgency(artifact: ArtifactResult): number {
  if (artifact.gates.some((gate) => gate.status === "fail")) return 0;
  if (artifact.gates.some((gate) => gate.status === "pending")) return 1;
  return 2;
}

function gateView(gate: GateResult): GateView {
  const paired = pairedReasons(gate);
  return {
    gate: gate.gate,
    status: gate.status,
    reasons: paired.reasons.map(({ reason, location, fix }) => ({
      text: reason,
      location: location ? formatLocation(location) : null,
      fix: fix ?? null,
    })),
    fixes: paired.fixes,
    locations: paired.locations.map(formatLocation),
    notes: gate.notes,
  };
}

function artifactView(artifact: ArtifactResult, columns: string[]): ArtifactView {
  const byName = new Map(artifact.gates.map((gate) => [gate.gate, gate]));
  return {
    root: artifact.root,
    kind: artifact.kind,
    tier: artifact.tier,
    removed: artifact.removed,
    owners: artifact.owners.map(mention),
    cells: columns.map((column) => {
      const gate = byName.get(column);
      return gate ? { status: gate.status } : null;
    }),
    gates: artifact.gates.map(gateView),
  };
}

function itemsOf(artifact: ArtifactResult): ItemView[] {
  return artifact.gates
    .filter((gate) => NEEDS_ACTION.has(gate.status))
    .map((gate) => ({ root: artifact.root, ...gateView(gate) }));
}

function approvalView(approval: ApprovalResult): ApprovalView {
  const artifacts = (approval.artifacts ?? []).map((share) => ({
    root: share.root,
    missing: share.missing,
    from: share.from.map(mention),
    approvedBy: share.approvedBy.map(mention),
  }));
  return {
    rule: approval.rule,
    status: approval.status,
    missing: approval.missing,
    required: approval.required,
    from: artifacts.length > 0 ? [] : approval.from.map(mention),
    approvedBy: approval.approvedBy.map(mention),
    reasons: approval.reasons,
    artifacts,
  };
}

/** `file:line:col`, as `formatLocated` writes it. */
function errorView(error: LocatedError): ErrorView {
  const column = error.line !== undefined ? (error.column ?? 1) : undefined;
  const where = [error.path, error.line, column].filter((part) => part !== undefined).join(":");
  return { where, message: error.message };
}

function readableTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Gate names in the order they first appear, so columns read ownership → evaluation → … */
function gateColumns(e: Evaluation): string[] {
  const columns = new Set<string>();
  for (const artifact of e.artifacts) for (const gate of artifact.gates) columns.add(gate.gate);
  return [...columns];
}

export function buildView(e: Evaluation, options: ViewOptions = {}): ReportView {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const columns = gateColumns(e);
  const ordered = e.artifacts
    .map((artifact, index) => ({ artifact, index }))
    .sort((a, b) => urgency(a.artifact) - urgency(b.artifact) || a.index - b.index)
    .map(({ artifact }) => artifact);
  const shown = ordered.slice(0, limit);
  const items = shown.flatMap(itemsOf);
  const allItems = e.artifacts.reduce((sum, artifact) => sum + itemsOf(artifact).length, 0);
  const errors = e.errors.slice(0, limit);
  const warnings = e.warnings.slice(0, limit);
  const hidden =
    ordered.length -
    shown.length +
    (allItems - items.length) +
    (e.errors.length - errors.length) +
    (e.warnings.length - warnings.length);

  return {
    verdictEmoji: VERDICT_EMOJI[e.verdict],
    title: checkTitle(e),
    advisory:
      e.enforcement === "advisory"
        ? { wouldConclude: wouldBlock(e) ? enforcedConclusion(e.verdict) : null }
        : null,
    override: e.override
      ? {
          by: mention(e.override.by),
          reason: e.override.reason,
          expiresAt: readableTime(e.override.expiresAt),
        }
      : null,
    columns,
    artifacts: shown.map((artifact) => artifactView(artifact, columns)),
    items,
    approvalsNeeded: e.approvals.filter(approvalOutstanding).map(approvalView),
    approvalsGiven: e.approvals
      .filter((approval) => approval.status === "pass" && approval.approvedBy.length > 0)
      .map(approvalView),
    errors: errors.map(errorView),
    warnings: warnings.map(errorView),
    policy: { digest: e.policy.digest, sources: e.policy.sources },
    hidden,
    detailsUrl: options.detailsUrl ?? null,
  };
}
