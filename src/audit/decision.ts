// What the app hands the audit store for one evaluation: a pure function from the engine's
// Evaluation and what the edge knew (where, which event, which reads and reviews) to a Decision.
// Nothing here reads GitHub, a disk or a clock.
//
// `sameAs` says when two decisions are the same one (docs/audit.md, "What the app records"): the
// second is not appended, so a redelivered webhook that leads to the same decision on the same
// head is recorded once. It is a sha256 over everything the decision says and rests on — never
// the delivery id or the time.
import { createHash } from "node:crypto";
import type { Evaluation } from "../engine/types.js";
import type { Override, Review } from "../facts/types.js";
import { latestDecisive } from "../gates/reviews.js";
import { canonicalJson } from "./chain.js";
import type { ApprovalRecord, Decision, EvidenceRead, GateRecord, OverrideRecord } from "./types.js";

/** What the edge knows about one evaluation besides the Evaluation itself. */
export interface DecisionContext {
  kind: "pull" | "merge_group";
  installation: number | null;
  /** `owner/name`. */
  repository: string;
  pull: number | null;
  headSha: string;
  /** The base the facts read (a PR's base branch tip), not a payload's possibly stale `base.sha`. */
  baseSha: string;
  /** `pull_request.synchronize`: the webhook's name and action. */
  event: string;
  deliveryId: string | null;
  /** The conclusion of the check run published on the head. */
  conclusion: string | null;
  appVersion: string;
  time: Date;
  /** Every file the evaluation read, with its git blob SHA. */
  reads: readonly EvidenceRead[];
  /** Every review on the PR (none for a merge group). */
  reviews: readonly Review[];
}

/** Bumped when what `sameAs` covers changes, so old and new keys never collide by accident. */
const SAME_AS_VERSION = 1;

export function evaluationDecision(evaluation: Evaluation, context: DecisionContext): Decision {
  const gates = gateRecords(evaluation, context.reads);
  const approvals = approvalRecords(evaluation, context.reviews);
  const override = evaluation.override ? overrideRecord(evaluation.override, "active") : null;
  const policy = { digest: evaluation.policy.digest || null, sources: [...evaluation.policy.sources] };
  const decided = {
    repository: context.repository,
    kind: context.kind,
    pull: context.pull,
    headSha: context.headSha,
    baseSha: context.baseSha,
    verdict: evaluation.verdict,
    conclusion: context.conclusion,
    policy,
    gates,
    approvals,
    override,
  };
  return {
    time: context.time.toISOString(),
    installation: context.installation,
    ...decided,
    event: context.event,
    deliveryId: context.deliveryId,
    appVersion: context.appVersion,
    // A dismissed approval leaves the same gates as before it was given: the decisive reviews
    // (id and state) are part of the key, so "approved, dismissed" records the return too.
    sameAs: sameAsKey({ ...decided, reviews: decisiveReviews(context.reviews) }),
  };
}

/**
 * The record of an override: accepted (`active`, by the comment command) or dropped by an
 * evaluation (`expired`: its time ran out, or the head it was given for moved on). It carries the
 * evaluation it was recorded with; its `sameAs` is the override itself and its state, so each is
 * recorded once however many evaluations see it.
 */
export function overrideDecision(
  evaluationDecision: Decision,
  override: Override,
  state: OverrideRecord["state"],
): Decision {
  const record = overrideRecord(override, state);
  return {
    ...evaluationDecision,
    kind: "override",
    override: record,
    sameAs: sameAsKey({
      repository: evaluationDecision.repository,
      kind: "override",
      pull: evaluationDecision.pull,
      override: { ...record, headSha: override.headSha },
    }),
  };
}

/**
 * The override an evaluation dropped: the latest the app recorded on the PR (for any head) when
 * the evaluation did not keep it in force (the engine's `overrideInForce` decided that).
 */
export function droppedOverride(evaluation: Evaluation, latest: Override | undefined): Override | undefined {
  if (!latest) return undefined;
  const kept = evaluation.override;
  return kept && sameOverride(kept, latest) ? undefined : latest;
}

/** The same override: given by the same person at the same time, for the same head and reason. */
export function sameOverride(a: Override, b: Override): boolean {
  return a.by === b.by && a.at === b.at && a.headSha === b.headSha && a.reason === b.reason;
}

function overrideRecord(override: Override, state: OverrideRecord["state"]): OverrideRecord {
  const { by, reason, at, expiresAt } = override;
  return { by, reason, at, expiresAt, state };
}

/**
 * One record per gate of each artifact, holding the files read under the artifact's root; one per
 * approval rule (`approvals: <rule>`); and a `policy` record holding the errors and the files read
 * outside every artifact (the policy files, CODEOWNERS).
 */
function gateRecords(evaluation: Evaluation, reads: readonly EvidenceRead[]): GateRecord[] {
  const ordered = sortedReads(reads);
  const roots = evaluation.artifacts.map((a) => a.root);
  const records: GateRecord[] = [];
  for (const artifact of evaluation.artifacts) {
    const evidence = ordered.filter((read) => isBelow(read.path, artifact.root));
    for (const gate of artifact.gates) {
      records.push({
        artifact: artifact.root,
        gate: gate.gate,
        status: gate.status,
        reasons: [...gate.reasons],
        evidence,
      });
    }
  }
  for (const approval of evaluation.approvals) {
    records.push({
      artifact: null,
      gate: `approvals: ${approval.rule}`,
      status: approval.status,
      reasons: [...approval.reasons],
      evidence: [],
    });
  }
  records.push({
    artifact: null,
    gate: "policy",
    status: evaluation.verdict === "policy_error" || evaluation.errors.length > 0 ? "fail" : "pass",
    reasons: evaluation.errors.map(
      (e) => `${e.path}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ""}` : ""}: ${e.message}`,
    ),
    evidence: ordered.filter((read) => !roots.some((root) => isBelow(read.path, root))),
  });
  return records;
}

/** Each approval counted, with the review behind it: the reviewer's latest decisive review. */
function approvalRecords(evaluation: Evaluation, reviews: readonly Review[]): ApprovalRecord[] {
  const latest = latestDecisive(reviews);
  return evaluation.approvals.flatMap((approval) =>
    approval.approvedBy.map((login) => {
      const review = latest.get(login.toLowerCase());
      // Zero: the source did not know the review's id (offline facts never count approvals).
      return { rule: approval.rule, login, review: review?.id ?? 0, commit: review?.commitId ?? "" };
    }),
  );
}

function decisiveReviews(
  reviews: readonly Review[],
): Array<Required<Pick<Review, "id" | "user" | "state" | "commitId">>> {
  return reviews
    .filter((r) => r.state === "APPROVED" || r.state === "CHANGES_REQUESTED" || r.state === "DISMISSED")
    .map((r) => ({ id: r.id ?? 0, user: r.user.toLowerCase(), state: r.state, commitId: r.commitId }))
    .sort((a, b) => a.id - b.id || compare(`${a.user} ${a.commitId}`, `${b.user} ${b.commitId}`));
}

/** One entry per side and path, in a stable order: the key must not depend on read order. */
function sortedReads(reads: readonly EvidenceRead[]): EvidenceRead[] {
  const unique = new Map<string, EvidenceRead>();
  for (const read of reads) unique.set(`${read.side}\0${read.path}`, { ...read });
  return [...unique.values()].sort((a, b) => compare(a.path, b.path) || compare(a.side, b.side));
}

function sameAsKey(value: unknown): string {
  // RFC 8785, as the chain encodes records (a redelivery must give the same key byte for byte).
  const text = canonicalJson({ sameAs: SAME_AS_VERSION, ...(value as object) });
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

function isBelow(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
