// The audit store on Kysely: one implementation for SQLite and PostgreSQL. The only difference is
// how an append holds the chain's end while it reads the head and inserts the next record
// (`holdChain`); everything else is the same SQL.
import { hash } from "node:crypto";
import type Database from "better-sqlite3";
import { CompiledQuery, type Kysely, sql } from "kysely";
import type pg from "pg";
import { chainedDecision, GENESIS_HASH, recordHash } from "./chain.js";
import {
  type AuditDatabase,
  RECORD_COLUMNS,
  RECORDS_TABLE,
  type RecordRow,
  recordToRow,
  rowToRecord,
  storedHash,
  storedText,
} from "./table.js";
import type { AuditRecord, AuditStore, Decision, RecordFilter } from "./types.js";
import { ChainCheck, type ChainReport } from "./verify.js";

/** Runs a query Kysely compiled, inside the append's transaction. */
export type RunQuery = <R>(query: CompiledQuery<R>) => Promise<R[]>;

/** Runs `work` with the chain's end held against every other writer, in one transaction. */
export type HoldChain = <T>(work: (run: RunQuery) => Promise<T>) => Promise<T>;

/** Records read per query while iterating: bounded memory for an export of millions. */
const PAGE = 1000;

/**
 * The append's three statements, built by Kysely once: compiling them on every append cost more
 * than running them. Each append binds its own values in the compiled parameters' order.
 */
function appendStatements(db: Kysely<AuditDatabase>) {
  const template = recordToRow(
    { ...chainedTemplate(), sequence: 0, previousHash: GENESIS_HASH, hash: GENESIS_HASH },
    0,
    null,
  );
  const columns = Object.keys(template) as (keyof typeof template)[];
  // One query answers both questions: the record already holding this sameAs (found = 1), and
  // the chain's head (found = 0). A round trip fewer on PostgreSQL, where each one is felt. Of
  // the head only its sequence and hash are read: not its few kilobytes of JSON every append.
  const headColumns = RECORD_COLUMNS.map((column) =>
    column === "sequence" || column === "hash" ? column : sql<never>`null`.as(column),
  );
  const lookup = db
    .selectFrom(RECORDS_TABLE)
    .select([...RECORD_COLUMNS, sql<number>`1`.as("found")])
    .where("same_as_key", "=", "")
    .unionAll(
      db
        .selectFrom(RECORDS_TABLE)
        .select([...headColumns, sql<number>`0`.as("found")])
        .where("sequence", "=", (eb) =>
          eb.selectFrom(RECORDS_TABLE).select(eb.fn.max("sequence").as("last")),
        ),
    )
    .compile();
  const insert = db.insertInto(RECORDS_TABLE).values(template).compile();
  return {
    lookup: (key: string | null) =>
      CompiledQuery.raw(lookup.sql, [key]) as CompiledQuery<RecordRow & { found: number | string }>,
    insert: (row: RecordRow) =>
      CompiledQuery.raw(
        insert.sql,
        columns.map((c) => row[c]),
      ),
  };
}

function chainedTemplate(): Decision {
  return chainedDecision({
    time: "",
    installation: null,
    repository: "",
    kind: "pull",
    pull: null,
    headSha: "",
    baseSha: null,
    event: "",
    deliveryId: null,
    verdict: "",
    conclusion: null,
    policy: { digest: null, sources: [] },
    gates: [],
    approvals: [],
    override: null,
    appVersion: "",
    sameAs: null,
  });
}

/** Every row in sequence order, streamed by the driver itself (SQLite: one row at a time). */
export type ReadChain = (query: CompiledQuery<RecordRow>) => Iterable<RecordRow>;

export class SqlAuditStore implements AuditStore {
  private readonly statements: ReturnType<typeof appendStatements>;

  constructor(
    private readonly db: Kysely<AuditDatabase>,
    private readonly holdChain: HoldChain,
    /** Without it, verify reads pages of rows through Kysely (PostgreSQL: each page one round trip). */
    private readonly readChain?: ReadChain,
  ) {
    this.statements = appendStatements(db);
  }

  async append(decision: Decision): Promise<{ record: AuditRecord; appended: boolean }> {
    const body = chainedDecision(decision);
    const timeMs = Date.parse(body.time);
    if (Number.isNaN(timeMs)) {
      throw new TypeError(
        `audit: the decision's time ${JSON.stringify(body.time)} is not an ISO 8601 date-time`,
      );
    }
    const sameAsKey = body.sameAs === null ? null : hash("sha256", body.sameAs, "hex");
    const statements = this.statements;
    return this.holdChain(async (run) => {
      const found = await run(statements.lookup(sameAsKey));
      const existing = found.find((row) => Number(row.found) === 1);
      if (existing) return { record: rowToRecord(existing), appended: false };
      const head = found.find((row) => Number(row.found) === 0);
      const unhashed: Omit<AuditRecord, "hash"> = {
        ...body,
        sequence: head ? Number(head.sequence) + 1 : 1,
        previousHash: head?.hash ?? GENESIS_HASH,
      };
      // The row's JSON columns are already RFC 8785: the hashed text is put together from them
      // rather than encoded a second time.
      const row = recordToRow({ ...unhashed, hash: "" }, timeMs, sameAsKey);
      const text = storedText(row);
      row.hash = text === undefined ? recordHash(unhashed) : hash("sha256", text, "hex");
      await run(statements.insert(row));
      // As a reader would get it (the same field order as `records()`), without parsing it back.
      return { record: rowToRecord(row, body), appended: true };
    });
  }

  async *records(filter: RecordFilter = {}): AsyncIterable<AuditRecord> {
    for await (const rows of this.pages(filter)) for (const row of rows) yield rowToRecord(row);
  }

  /**
   * `audit verify` over the whole chain. A record whose row hashes to its hash as stored is
   * proven without being parsed or re-encoded (storedHash); only one that does not is read in
   * full and judged by the chain's own hash.
   */
  async verify(): Promise<ChainReport> {
    const check = new ChainCheck();
    const add = (row: RecordRow) =>
      check.addStored(
        { sequence: Number(row.sequence), previousHash: row.previous_hash, hash: row.hash },
        () => storedHash(row),
        () => readable(row),
      );
    if (this.readChain) {
      // Streamed: a page of rows held while the next is parsed cost more in garbage collection
      // than the reading itself. Synchronous, so nothing else uses the connection meanwhile.
      const all = this.db.selectFrom(RECORDS_TABLE).select(RECORD_COLUMNS).orderBy("sequence", "asc");
      for (const row of this.readChain(all.compile())) add(row);
    } else {
      for await (const rows of this.pages({})) for (const row of rows) add(row);
    }
    return check.report();
  }

  /** The rows in sequence order, a page at a time: bounded memory for millions of records. */
  private async *pages(filter: RecordFilter): AsyncIterable<RecordRow[]> {
    // `in ()` is not SQL, and an empty list asks for nothing.
    if (filter.kinds?.length === 0 || filter.pulls?.length === 0) return;
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
      if (filter.kinds !== undefined) query = query.where("kind", "in", [...filter.kinds]);
      if (filter.pulls !== undefined) query = query.where("pull", "in", [...filter.pulls]);
      if (filter.headSha !== undefined) query = query.where("head_sha", "=", filter.headSha);
      const rows = await query.execute();
      yield rows;
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

/** The record a row holds, or undefined when its JSON columns do not parse (tampered). */
function readable(row: RecordRow): AuditRecord | undefined {
  try {
    return rowToRecord(row);
  } catch {
    return undefined;
  }
}

/**
 * SQLite: better-sqlite3 steps through the rows of one prepared statement, as arrays (half the
 * cost of its row objects), named here in the query's column order.
 */
const VERIFY_MMAP_BYTES = 1 << 30;

export function sqliteReadChain(database: Database.Database): ReadChain {
  return function* (query) {
    const columns = RECORD_COLUMNS;
    // Mapped, the file is read without a copy through SQLite's page cache (a quarter of the
    // reading's cost for a whole-chain pass); reads only, so a write is never at risk of it.
    if (database.name !== ":memory:") database.pragma(`mmap_size = ${VERIFY_MMAP_BYTES}`);
    const statement = database.prepare(query.sql).raw(true);
    for (const values of statement.iterate(...query.parameters) as Iterable<unknown[]>) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
      yield row as unknown as RecordRow;
    }
  };
}

/**
 * SQLite: `BEGIN IMMEDIATE` takes the database's write lock (other processes wait, up to the busy
 * timeout) before the head is read; a promise queue keeps this process's appends one at a time on
 * its one connection. better-sqlite3 runs the SQL Kysely compiled, each statement prepared once:
 * preparing every statement again cost more than the append itself.
 */
export function sqliteHoldChain(database: Database.Database): HoldChain {
  const prepared = new Map<string, Database.Statement>();
  const statement = (text: string) => {
    let found = prepared.get(text);
    if (!found) {
      found = database.prepare(text);
      prepared.set(text, found);
    }
    return found;
  };
  const run: RunQuery = async <R>(query: CompiledQuery<R>) => {
    const found = statement(query.sql);
    if (found.reader) return found.all(...query.parameters) as R[];
    found.run(...query.parameters);
    return [];
  };
  let queue: Promise<unknown> = Promise.resolve();
  return (work) => {
    const turn = queue.then(async () => {
      statement("begin immediate").run();
      try {
        const result = await work(run);
        statement("commit").run();
        return result;
      } catch (error) {
        if (database.inTransaction) statement("rollback").run();
        throw error;
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
}

/**
 * PostgreSQL: a transaction-level advisory lock, one per schema (a test run's schema does not
 * wait on another's), released by the commit or rollback.
 */
const LOCK_CLASS = 0x52474155; // "RGAU": Readiness Gate audit

export function postgresHoldChain(pool: pg.Pool): HoldChain {
  // BEGIN and the lock in one simple-protocol round trip (no parameters: the key is a constant).
  const beginLocked = `begin; select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(current_schema()))`;
  // The append's statements are prepared once on each connection (named): the server parses and
  // plans them once, not on every append.
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `readiness_audit_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  const run: (client: pg.PoolClient) => RunQuery = (client) => async (query) => {
    const result = await client.query({
      name: nameOf(query.sql),
      text: query.sql,
      values: [...query.parameters],
    });
    return result.rows;
  };
  return async (work) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(beginLocked);
      try {
        const result = await work(run(client));
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch((failed: Error) => {
          broken = failed;
        });
        throw error;
      }
    } finally {
      // A connection that could not even roll back is not given to the next append.
      client.release(broken);
    }
  };
}
