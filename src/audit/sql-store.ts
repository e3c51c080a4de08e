// The audit store on Kysely: one implementation for SQLite and PostgreSQL. The only difference is
// how an append holds the chain's end while it reads the head and inserts the next record
// (`holdChain`); everything else is the same SQL.
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { chainedDecision, GENESIS_HASH, recordHash } from "./chain.js";
import { type AuditDatabase, RECORD_COLUMNS, RECORDS_TABLE, recordToRow, rowToRecord } from "./table.js";
import type { AuditRecord, AuditStore, Decision, RecordFilter } from "./types.js";

/** Runs `work` with the chain's end held against every other writer, in one transaction. */
export type HoldChain = <T>(work: (db: Kysely<AuditDatabase>) => Promise<T>) => Promise<T>;

/** Records read per query while iterating: bounded memory for an export of millions. */
const PAGE = 1000;

export class SqlAuditStore implements AuditStore {
  constructor(
    private readonly db: Kysely<AuditDatabase>,
    private readonly holdChain: HoldChain,
  ) {}

  async append(decision: Decision): Promise<{ record: AuditRecord; appended: boolean }> {
    const body = chainedDecision(decision);
    const timeMs = Date.parse(body.time);
    if (Number.isNaN(timeMs)) {
      throw new TypeError(
        `audit: the decision's time ${JSON.stringify(body.time)} is not an ISO 8601 date-time`,
      );
    }
    const sameAsKey = body.sameAs === null ? null : createHash("sha256").update(body.sameAs).digest("hex");
    return this.holdChain(async (db) => {
      if (sameAsKey !== null) {
        const existing = await db
          .selectFrom(RECORDS_TABLE)
          .select(RECORD_COLUMNS)
          .where("same_as_key", "=", sameAsKey)
          .executeTakeFirst();
        if (existing) return { record: rowToRecord(existing), appended: false };
      }
      const head = await db
        .selectFrom(RECORDS_TABLE)
        .select(["sequence", "hash"])
        .orderBy("sequence", "desc")
        .limit(1)
        .executeTakeFirst();
      const unhashed: Omit<AuditRecord, "hash"> = {
        ...body,
        sequence: head ? Number(head.sequence) + 1 : 1,
        previousHash: head?.hash ?? GENESIS_HASH,
      };
      const record: AuditRecord = { ...unhashed, hash: recordHash(unhashed) };
      await db
        .insertInto(RECORDS_TABLE)
        .values(recordToRow(record, timeMs, sameAsKey))
        .execute();
      return { record, appended: true };
    });
  }

  async *records(filter: RecordFilter = {}): AsyncIterable<AuditRecord> {
    let after = 0;
    for (;;) {
      let query = this.db
        .selectFrom(RECORDS_TABLE)
        .select(RECORD_COLUMNS)
        .where("sequence", ">", after)
        .orderBy("sequence", "asc")
        .limit(PAGE);
      if (filter.repository !== undefined) query = query.where("repository", "=", filter.repository);
      if (filter.since !== undefined) query = query.where("time_ms", ">=", filter.since.getTime());
      if (filter.until !== undefined) query = query.where("time_ms", "<=", filter.until.getTime());
      const rows = await query.execute();
      for (const row of rows) yield rowToRecord(row);
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1]?.sequence);
    }
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** SQLite: `BEGIN IMMEDIATE` takes the database's write lock before the head is read. */
export function sqliteHoldChain(db: Kysely<AuditDatabase>): HoldChain {
  return (work) =>
    db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw error;
      }
    });
}

/**
 * PostgreSQL: a transaction-level advisory lock, one per schema (a test run's schema does not
 * wait on another's), released by the commit or rollback.
 */
const LOCK_CLASS = 0x52474155; // "RGAU": Readiness Gate audit

export function postgresHoldChain(db: Kysely<AuditDatabase>): HoldChain {
  return (work) =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(current_schema()))`.execute(trx);
      return work(trx);
    });
}
