// The records table, as Kysely sees it, and the one translation between a row and a record.
// Scalars have a column each (an auditor can query them in SQL); nested values are JSON text,
// which both stores keep whole at any size (no JSON type: text keeps exactly what was hashed),
// written in RFC 8785 form so the record's hashed text can be put together from the row as stored.
import { hash } from "node:crypto";
import type { Generated } from "kysely";
import { canonicalJson } from "./chain.js";
import type { AuditRecord, Decision } from "./types.js";

export const RECORDS_TABLE = "audit_records";

export interface RecordsTable {
  /** PostgreSQL returns bigint as a string. */
  sequence: number | string;
  time: string;
  /** `time` in milliseconds since the epoch, for the export's date filters: not hashed. */
  time_ms: number | string;
  installation: number | string | null;
  repository: string;
  kind: string;
  pull: number | null;
  head_sha: string;
  base_sha: string | null;
  event: string;
  delivery_id: string | null;
  verdict: string;
  conclusion: string | null;
  policy_digest: string | null;
  /** JSON text (RFC 8785). */
  policy_sources: string;
  gates: string;
  approvals: string;
  override: string | null;
  app_version: string;
  same_as: string | null;
  /** sha256 of `same_as`: the unique key (an index cannot hold arbitrarily long text). Not hashed. */
  same_as_key: string | null;
  previous_hash: string;
  hash: string;
  /** When the row was written by the store (not hashed): helps tell a record's time from its insertion. */
  stored_at: Generated<string>;
}

export interface AuditDatabase {
  [RECORDS_TABLE]: RecordsTable;
}

export type RecordRow = Omit<RecordsTable, "stored_at">;

export function recordToRow(record: AuditRecord, timeMs: number, sameAsKey: string | null): RecordRow {
  return {
    sequence: record.sequence,
    time: record.time,
    time_ms: timeMs,
    installation: record.installation,
    repository: record.repository,
    kind: record.kind,
    pull: record.pull,
    head_sha: record.headSha,
    base_sha: record.baseSha,
    event: record.event,
    delivery_id: record.deliveryId,
    verdict: record.verdict,
    conclusion: record.conclusion,
    policy_digest: record.policy.digest,
    policy_sources: canonicalJson(record.policy.sources),
    gates: canonicalJson(record.gates),
    approvals: canonicalJson(record.approvals),
    override: record.override === null ? null : canonicalJson(record.override),
    app_version: record.appVersion,
    same_as: record.sameAs,
    same_as_key: sameAsKey,
    previous_hash: record.previousHash,
    hash: record.hash,
  };
}

/** `parsed`: the JSON columns' values when the caller holds them already (an append). */
export function rowToRecord(
  row: RecordRow,
  parsed?: Pick<Decision, "policy" | "gates" | "approvals" | "override">,
): AuditRecord {
  return {
    sequence: Number(row.sequence),
    time: row.time,
    installation: row.installation === null ? null : Number(row.installation),
    repository: row.repository,
    kind: row.kind as Decision["kind"],
    pull: row.pull === null ? null : Number(row.pull),
    headSha: row.head_sha,
    baseSha: row.base_sha,
    event: row.event,
    deliveryId: row.delivery_id,
    verdict: row.verdict,
    conclusion: row.conclusion,
    policy: {
      digest: row.policy_digest,
      sources: parsed?.policy.sources ?? (JSON.parse(row.policy_sources) as string[]),
    },
    gates: parsed?.gates ?? (JSON.parse(row.gates) as Decision["gates"]),
    approvals: parsed?.approvals ?? (JSON.parse(row.approvals) as Decision["approvals"]),
    override: parsed
      ? parsed.override
      : row.override === null
        ? null
        : (JSON.parse(row.override) as Decision["override"]),
    appVersion: row.app_version,
    sameAs: row.same_as,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

/**
 * The record's hash taken from its row as stored, without parsing or re-sorting anything (see
 * storedText). Undefined when the row cannot be read this way; a value that differs from
 * `row.hash` proves nothing by itself (a row written another way, or tampered): the caller then
 * parses the record and hashes it with recordHash, which decides.
 *
 * Each JSON column must parse as one whole JSON value: then the text is the encoding of exactly
 * the record rowToRecord reads (no bytes can move between columns), so a match proves that record.
 */
export function storedHash(row: RecordRow): string | undefined {
  for (const text of [row.policy_sources, row.gates, row.approvals, row.override ?? "null"]) {
    if (typeof text !== "string") return undefined;
    try {
      JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  const text = storedText(row);
  return text === undefined ? undefined : hash("sha256", text, "hex");
}

/**
 * The RFC 8785 text of the record a row holds, hash excluded: its fields in key order, the
 * scalars written by JSON.stringify and the JSON columns as they are (recordToRow writes them in
 * RFC 8785 form). Undefined for a number column holding what JSON cannot write as that number.
 * test/audit checks it against recordHash for every field.
 */
export function storedText(row: RecordRow): string | undefined {
  const installation = numberOrNull(row.installation);
  const pull = numberOrNull(row.pull);
  const sequence = numberOrNull(row.sequence);
  if (installation === undefined || pull === undefined || sequence === undefined) return undefined;
  const j = JSON.stringify;
  // Keys in RFC 8785 order (by UTF-16 code units).
  return `{"appVersion":${j(row.app_version)},"approvals":${row.approvals},"baseSha":${j(row.base_sha)},"conclusion":${j(row.conclusion)},"deliveryId":${j(row.delivery_id)},"event":${j(row.event)},"gates":${row.gates},"headSha":${j(row.head_sha)},"installation":${j(installation)},"kind":${j(row.kind)},"override":${row.override ?? "null"},"policy":{"digest":${j(row.policy_digest)},"sources":${row.policy_sources}},"previousHash":${j(row.previous_hash)},"pull":${j(pull)},"repository":${j(row.repository)},"sameAs":${j(row.same_as)},"sequence":${j(sequence)},"time":${j(row.time)},"verdict":${j(row.verdict)}}`;
}

/** A number column as rowToRecord reads it; undefined for a value JSON would not write as that number. */
function numberOrNull(value: number | string | null): number | null | undefined {
  if (value === null) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** The columns a record is read from (everything but `stored_at`, `time_ms` and `same_as_key` would do; kept explicit). */
export const RECORD_COLUMNS = [
  "sequence",
  "time",
  "time_ms",
  "installation",
  "repository",
  "kind",
  "pull",
  "head_sha",
  "base_sha",
  "event",
  "delivery_id",
  "verdict",
  "conclusion",
  "policy_digest",
  "policy_sources",
  "gates",
  "approvals",
  "override",
  "app_version",
  "same_as",
  "same_as_key",
  "previous_hash",
  "hash",
] as const;

/** A row read as an array of values in RECORD_COLUMNS order (better-sqlite3's `.raw()`, half the cost of its row objects). */
export function rowFromValues(values: readonly unknown[]): RecordRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < RECORD_COLUMNS.length; i++) row[RECORD_COLUMNS[i] as string] = values[i];
  return row as unknown as RecordRow;
}
