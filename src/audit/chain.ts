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
  return createHash("sha256").update(canonicalJson(body), "utf8").digest("hex");
}

/**
 * RFC 8785 (JCS) text of a record. For what a record holds — well-formed strings, finite numbers,
 * no integer-like keys (chainedDecision guarantees the first two, the record's shape the third) —
 * JCS is JSON.stringify with every object's keys sorted, which runs several times faster than
 * the `canonicalize` package; anything else goes to the package, the reference (and a test
 * checks the two agree).
 */
export function canonicalJson(value: unknown): string {
  // A value chainedDecision already copied sorted and checked: only the writing is left.
  if (typeof value === "object" && value !== null && SORTED.has(value)) return JSON.stringify(value);
  const sorted = plainSorted(value);
  if (sorted !== UNSUPPORTED) return JSON.stringify(sorted);
  const encoded = canonicalize(value);
  if (encoded === undefined) throw new TypeError("an audit record must be a JSON value");
  return encoded;
}

const UNSUPPORTED = Symbol("unsupported");
const INTEGER_LIKE = /^(0|[1-9]\d*)$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** JSON.stringify writes a lone surrogate as an escape (a pair is written as is). */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

/**
 * The decision as the chain keeps it: only the fields a record has (an app object with extra
 * properties does not leak them into the hash), every value as JSON gives it back (the store
 * reads it back from JSON text; a missing field is null), and no lone UTF-16 surrogate (RFC 8785
 * cannot encode one: a hostile file name or reason must not make a decision unrecordable — it
 * becomes U+FFFD).
 */
export function chainedDecision(decision: Decision): Decision {
  const picked: Decision = {
    time: decision.time ?? null,
    installation: decision.installation ?? null,
    repository: decision.repository ?? null,
    kind: decision.kind ?? null,
    pull: decision.pull ?? null,
    headSha: decision.headSha ?? null,
    baseSha: decision.baseSha ?? null,
    event: decision.event ?? null,
    deliveryId: decision.deliveryId ?? null,
    verdict: decision.verdict ?? null,
    conclusion: decision.conclusion ?? null,
    policy: decision.policy ?? null,
    gates: decision.gates ?? null,
    approvals: decision.approvals ?? null,
    override: decision.override ?? null,
    appVersion: decision.appVersion ?? null,
    sameAs: decision.sameAs ?? null,
  };
  // What the app builds — plain objects and arrays of well-formed strings, finite numbers,
  // booleans and nulls — comes back from a JSON round trip as it was: it is copied once instead,
  // every object's keys sorted, so that canonicalJson has only the writing left to do (the round
  // trip and a second sorted copy were a third of an append's own CPU).
  const sorted = plainSorted(picked);
  if (sorted !== UNSUPPORTED) {
    const body = sorted as Decision;
    for (const value of [body.policy?.sources, body.gates, body.approvals, body.override]) {
      if (typeof value === "object" && value !== null) SORTED.add(value);
    }
    return body;
  }
  const text = JSON.stringify(picked);
  // The slow path only when the text may hold a lone surrogate (rare: hostile input).
  return JSON.parse(ESCAPED_SURROGATE.test(text) ? JSON.stringify(picked, wellFormed) : text) as Decision;
}

function wellFormed(_key: string, value: unknown): unknown {
  return typeof value === "string" ? value.replace(LONE_SURROGATE, "\uFFFD") : value;
}

/**
 * Values of a chained decision that plainSorted made: their keys are sorted, their contents
 * exactly what JSON writes and reads back, so their RFC 8785 text is JSON.stringify's. Only the
 * decision's own fresh copies are here (no caller holds them before the store encodes them).
 */
const SORTED = new WeakSet<object>();

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the ES2023 lib does not declare it). */
type WellFormed = string & { isWellFormed(): boolean };

/**
 * A copy of `value` with every object's keys sorted (UTF-16 order, as RFC 8785 wants), or
 * UNSUPPORTED when a JSON round trip would change anything: a value JSON writes otherwise (a
 * Date, undefined in an array, -0, a non-finite number, a toJSON method), a lone surrogate, or a
 * key JSON.stringify would not keep in the sorted place (integer-like) or that names the
 * prototype. Then the caller takes the round trip.
 */
function plainSorted(value: unknown): unknown {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return (value as WellFormed).isWellFormed() ? value : UNSUPPORTED;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
  if (typeof value !== "object") return UNSUPPORTED;
  const prototype = Object.getPrototypeOf(value);
  if ("toJSON" in value) return UNSUPPORTED;
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    const out: unknown[] = new Array(array.length);
    for (let i = 0; i < array.length; i++) {
      const item = plainSorted(array[i]);
      if (item === UNSUPPORTED) return UNSUPPORTED;
      out[i] = item;
    }
    return out;
  }
  if (prototype !== Object.prototype) return UNSUPPORTED;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key === "__proto__" || INTEGER_LIKE.test(key)) return UNSUPPORTED;
    const item = (value as Record<string, unknown>)[key];
    // JSON leaves an undefined property out; a function or symbol too, but those are not data.
    if (item === undefined) continue;
    const sorted = plainSorted(item);
    if (sorted === UNSUPPORTED) return UNSUPPORTED;
    out[key] = sorted;
  }
  return out;
}
