// The audit trail's vocabulary: one record per decision the app makes, appended to one
// hash-chained store. The store never decides anything; it keeps what was decided.

export type DecisionKind = "pull" | "merge_group" | "override" | "release" | "deployment" | "bypass";

/** A file the decision read as evidence, named by its git blob SHA so the content can be proven. */
export interface EvidenceRead {
  side: "base" | "head";
  path: string;
  blobSha: string;
}

export interface GateRecord {
  /** The artifact root (`models/churn`), or null for a PR-wide rule. */
  artifact: string | null;
  gate: string;
  status: string;
  reasons: string[];
  /** The evidence this gate's artifact was judged on. */
  evidence: EvidenceRead[];
}

export interface ApprovalRecord {
  rule: string;
  login: string;
  /** The review's id on GitHub. */
  review: number;
  /** The commit the review was made on. */
  commit: string;
}

export interface OverrideRecord {
  by: string;
  reason: string;
  at: string;
  expiresAt: string;
  /** `active` while in force; `expired` when an evaluation dropped it. */
  state: "active" | "expired";
}

/** What the app hands to the store: everything but the sequence and the hashes. */
export interface Decision {
  /** ISO 8601, UTC. */
  time: string;
  installation: number | null;
  /** `owner/name`. */
  repository: string;
  kind: DecisionKind;
  pull: number | null;
  headSha: string;
  baseSha: string | null;
  /** The webhook event (`pull_request.synchronize`) and its delivery id. */
  event: string;
  deliveryId: string | null;
  verdict: string;
  conclusion: string | null;
  policy: { digest: string | null; sources: string[] };
  gates: GateRecord[];
  approvals: ApprovalRecord[];
  override: OverrideRecord | null;
  appVersion: string;
  /**
   * Two decisions with the same key are the same decision (a redelivered webhook): the second is
   * not appended. Null: always appended.
   */
  sameAs: string | null;
}

/** A decision as the chain holds it. */
export interface AuditRecord extends Decision {
  /** 1, 2, 3… with no gaps: a missing number is a deleted record. */
  sequence: number;
  /** The hash of the record before (64 zeros for the first). */
  previousHash: string;
  /** sha256 over the canonical (RFC 8785) encoding of this record without `hash`. */
  hash: string;
}

export interface RecordFilter {
  /** `owner/name`. */
  repository?: string;
  /** Records whose `time` is at or after this instant. */
  since?: Date;
  /** Records whose `time` is at or before this instant (inclusive). */
  until?: Date;
  /** Records of these kinds only. */
  kinds?: readonly DecisionKind[];
  /** Records of these pull requests only (the release gate's question). */
  pulls?: readonly number[];
  /** Records on this head commit only (a deployment of a commit a release already judged). */
  headSha?: string;
}

export interface AuditStore {
  /** Appends at the chain's end; several processes may append at once. A `sameAs` already held is not appended again. */
  append(decision: Decision): Promise<{ record: AuditRecord; appended: boolean }>;
  /** Records in sequence order. */
  records(filter?: RecordFilter): AsyncIterable<AuditRecord>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
