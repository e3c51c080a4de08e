// The audit store on Kysely: one implementation for SQLite and PostgreSQL. The only difference is
// the driver an append runs its statements on (`RunQuery`); everything else is the same SQL.
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

/** Runs one statement Kysely compiled, on its own (autocommit): one round trip on PostgreSQL. */
export type RunQuery = <R>(query: CompiledQuery<R>) => Promise<R[]>;

/** Records read per query while iterating: bounded memory for an export of millions. */
const PAGE = 1000;

/**
 * Collisions in a row before an append gives up. Each one means another writer appended in
 * between (the chain moved on), so this bounds only a writer that keeps losing, never the chain.
 */
const MAX_ATTEMPTS = 1000;

/**
 * The append's two statements, built by Kysely once: compiling them on every append cost more
 * than running them. Each append binds its own values in the compiled parameters' order.
 */
function appendStatements(db: Kysely<AuditDatabase>, typedParameters: boolean) {
  const template = recordToRow(
    { ...chainedTemplate(), sequence: 0, previousHash: GENESIS_HASH, hash: GENESIS_HASH },
    0,
    null,
  );
  const columns = Object.keys(template) as (keyof typeof template)[];
  // One query answers both questions an insert that collided leaves: the record already holding
  // this sameAs (found = 1), and the chain's head as it is now (found = 0). Of the head only its
  // sequence and hash are read: not its few kilobytes of JSON.
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
  // The record is inserted only as the successor of a record that is there: record 1 after the
  // genesis hash, any other after the record its previousHash names at the sequence before. What
  // the process remembers of the head is only a guess; the database checks it, so a head that is
  // gone (a store restored from a backup under a running app) is a miss, not a gap.
  // A row that collides with either unique key (sequence, same_as_key) is not inserted either.
  // Either way no row comes back: no error to tell apart, and PostgreSQL checks the keys before it
  // writes the row (an insert that fails after writing its row and TOAST costs as much as one
  // that succeeds). Each parameter is cast to its column's type: PostgreSQL cannot infer a
  // parameter's type in a SELECT list, nor one used both as a value and in arithmetic. SQLite
  // needs no cast (and one would truncate a number its column's affinity would have kept whole).
  // The parameters are compiled as column names, then bound from the row by name.
  const value = (column: keyof RecordRow) =>
    typedParameters ? sql`cast(${column} as ${sql.raw(COLUMN_TYPES[column])})` : sql`${column}`;
  const table = sql.table(RECORDS_TABLE);
  const insert = sql`insert into ${table} (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(columns.map(value))}
    where (${value("sequence")} = 1 and ${value("previous_hash")} = ${sql.lit(GENESIS_HASH)})
      or exists (select 1 from ${table} where ${sql.ref("sequence")} = ${value("sequence")} - 1 and ${sql.ref("hash")} = ${value("previous_hash")})
    on conflict do nothing returning ${sql.ref("sequence")}`.compile(db);
  const bound = insert.parameters as (keyof RecordRow)[];
  return {
    lookup: (key: string | null) =>
      CompiledQuery.raw(lookup.sql, [key]) as CompiledQuery<RecordRow & { found: number | string }>,
    insert: (row: RecordRow) =>
      CompiledQuery.raw(
        insert.sql,
        bound.map((c) => row[c]),
      ) as CompiledQuery<Pick<RecordRow, "sequence">>,
  };
}

/** Each column's SQL type as the insert casts its parameter (both stores accept these names). */
const COLUMN_TYPES: Record<keyof RecordRow, string> = {
  sequence: "bigint",
  time: "text",
  time_ms: "bigint",
  installation: "bigint",
  repository: "text",
  kind: "text",
  pull: "integer",
  head_sha: "text",
  base_sha: "text",
  event: "text",
  delivery_id: "text",
  verdict: "text",
  conclusion: "text",
  policy_digest: "text",
  policy_sources: "text",
  gates: "text",
  approvals: "text",
  override: "text",
  app_version: "text",
  same_as: "text",
  same_as_key: "text",
  previous_hash: "text",
  hash: "text",
};

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

/** How verify is handed one stored record: ChainCheck.addStored. */
export type AddStored = ChainCheck["addStored"];

/**
 * Hands every stored record to `add`, in sequence order: a store's own way through the whole
 * chain (SQLite: streamed, half of it judged on a second thread).
 */
export type ReadChain = (add: AddStored) => Promise<void>;

/** The chain's last record as this process last saw it. */
interface Head {
  sequence: number;
  hash: string;
}

export class SqlAuditStore implements AuditStore {
  private readonly statements: ReturnType<typeof appendStatements>;
  private readonly readChain: ReadChain | undefined;
  /** The head this process last wrote: its next append links to it without reading it. */
  private head: Head | undefined;
  /** This process's appends, one at a time: two of its own would only collide with each other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<AuditDatabase>,
    private readonly run: RunQuery,
    options: {
      /** Without it, verify reads pages of rows through Kysely (PostgreSQL: each page one round trip). */
      readChain?: ReadChain;
      /** PostgreSQL: the append's parameters are cast to their columns' types. */
      typedParameters?: boolean;
    } = {},
  ) {
    this.readChain = options.readChain;
    this.statements = appendStatements(db, options.typedParameters ?? false);
  }

  /**
   * Appends optimistically, in one statement: the record is inserted as the successor of the head
   * this process knows, in a transaction of its own. The table's unique keys settle every race:
   * when another writer's record is already at that sequence, or a record already holds this
   * sameAs, nothing is inserted; one lookup then tells which (the existing record is the answer,
   * nothing appended) and gives the head as it is now, which the record is re-linked to. A record
   * links only to a head that was committed (read, or written by this process), and rows are
   * never updated, so the chain stays one chain with no gap however many processes append.
   */
  append(decision: Decision): Promise<{ record: AuditRecord; appended: boolean }> {
    const turn = this.queue.then(() => this.appendNow(decision));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async appendNow(decision: Decision): Promise<{ record: AuditRecord; appended: boolean }> {
    const body = chainedDecision(decision);
    const timeMs = Date.parse(body.time);
    if (Number.isNaN(timeMs)) {
      throw new TypeError(
        `audit: the decision's time ${JSON.stringify(body.time)} is not an ISO 8601 date-time`,
      );
    }
    const sameAsKey = body.sameAs === null ? null : hash("sha256", body.sameAs, "hex");
    const { run, statements } = this;
    // The JSON columns are encoded once; only the link and the hash change between attempts.
    const row = recordToRow(
      { ...body, sequence: 0, previousHash: GENESIS_HASH, hash: "" },
      timeMs,
      sameAsKey,
    );
    let head = this.head;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (head === undefined) {
        // The first append of this process, or one whose insert collided: look the chain up.
        const found = await run(statements.lookup(sameAsKey));
        const existing = found.find((r) => Number(r.found) === 1);
        if (existing) return { record: rowToRecord(existing), appended: false };
        const last = found.find((r) => Number(r.found) === 0);
        head = last
          ? { sequence: Number(last.sequence), hash: last.hash }
          : { sequence: 0, hash: GENESIS_HASH };
      }
      row.sequence = head.sequence + 1;
      row.previous_hash = head.hash;
      // The row's JSON columns are already RFC 8785: the hashed text is put together from them
      // rather than encoded a second time.
      const text = storedText(row);
      row.hash =
        text === undefined
          ? recordHash({ ...body, sequence: row.sequence, previousHash: row.previous_hash })
          : hash("sha256", text, "hex");
      const inserted = await run(statements.insert(row));
      if (inserted.length === 0) {
        head = this.head = undefined;
        continue;
      }
      this.head = { sequence: row.sequence, hash: row.hash };
      // As a reader would get it (the same field order as `records()`), without parsing it back.
      return { record: rowToRecord(row, body), appended: true };
    }
    throw new Error(
      `audit: the append lost ${MAX_ATTEMPTS} races for the chain's end in a row; not appended`,
    );
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
    const add: AddStored = (record, quickHash, content) => check.addStored(record, quickHash, content);
    if (this.readChain) await this.readChain(add);
    else for await (const rows of this.pages({})) for (const row of rows) addRow(add, row);
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

/**
 * A row as verify judges it: proven by its hash as stored when that matches (storedHash), read in
 * full and judged by the chain's own hash only when it does not.
 */
export function addRow(add: AddStored, row: RecordRow): void {
  add(
    { sequence: Number(row.sequence), previousHash: row.previous_hash, hash: row.hash },
    () => storedHash(row),
    () => readable(row),
  );
}

/** The record a row holds, or undefined when its JSON columns do not parse (tampered). */
export function readable(row: RecordRow): AuditRecord | undefined {
  try {
    return rowToRecord(row);
  } catch {
    return undefined;
  }
}

/**
 * SQLite: each statement is its own transaction; an insert takes the database's write lock for
 * its commit (other processes wait, up to the busy timeout). better-sqlite3 runs the SQL Kysely
 * compiled, each statement prepared once: preparing every statement again cost more than the
 * append itself.
 */
export function sqliteRunQuery(database: Database.Database): RunQuery {
  const prepared = new Map<string, Database.Statement>();
  return async <R>(query: CompiledQuery<R>) => {
    let statement = prepared.get(query.sql);
    if (!statement) {
      statement = database.prepare(query.sql);
      prepared.set(query.sql, statement);
    }
    if (statement.reader) return statement.all(...query.parameters) as R[];
    statement.run(...query.parameters);
    return [];
  };
}

/**
 * PostgreSQL: each statement in autocommit, named so that each connection parses and plans it
 * once. A durable insert is one round trip and one WAL flush; an insert whose key another
 * writer's uncommitted insert holds waits for that commit, then inserts nothing.
 */
export function postgresRunQuery(pool: pg.Pool): RunQuery {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `readiness_audit_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  return async <R>(query: CompiledQuery<R>) => {
    const result = await pool.query({
      name: nameOf(query.sql),
      text: query.sql,
      values: [...query.parameters],
    });
    return result.rows as R[];
  };
}
