// The chain's arithmetic: what a record's hash is taken over, and the hash before the first record.
// Kept apart from the stores so `audit verify` and the stores compute exactly the same thing.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditRecord, Decision } from "./types.js";

/** The `previousHash` of record 1. */
export const GENESIS_HASH = "0".repeat(64);

/** sha256 (hex) over the RFC 8785 encoding of the record without its own `hash`. */
export function recordHash(record: Omit<AuditRecord, "hash"> | AuditRecord): string {
  const { hash: _ignored, ...body } = record as AuditRecord;
  const encoded = canonicalize(body);
  if (encoded === undefined) throw new TypeError("an audit record must be a JSON object");
  return createHash("sha256").update(encoded, "utf8").digest("hex");
}

/**
 * The decision as the chain keeps it: only the fields a record has (an app object with extra
 * properties does not leak them into the hash), every value as JSON would give it back (the
 * store reads it back from JSON text), and no lone UTF-16 surrogate (RFC 8785 cannot encode one:
 * a hostile file name or reason must not make a decision unrecordable — it becomes U+FFFD).
 */
export function chainedDecision(decision: Decision): Decision {
  const picked: Decision = {
    time: decision.time,
    installation: decision.installation,
    repository: decision.repository,
    kind: decision.kind,
    pull: decision.pull,
    headSha: decision.headSha,
    baseSha: decision.baseSha,
    event: decision.event,
    deliveryId: decision.deliveryId,
    verdict: decision.verdict,
    conclusion: decision.conclusion,
    policy: decision.policy,
    gates: decision.gates,
    approvals: decision.approvals,
    override: decision.override,
    appVersion: decision.appVersion,
    sameAs: decision.sameAs,
  };
  return JSON.parse(JSON.stringify(picked, wellFormed)) as Decision;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(_key: string, value: unknown): unknown {
  if (typeof value === "string") return value.replace(LONE_SURROGATE, "\uFFFD");
  // `undefined` fields would vanish from the JSON text: null is what a reader gets back.
  return value === undefined ? null : value;
}
