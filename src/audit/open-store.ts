// Opens the audit store `DATABASE_URL` names: unset → SQLite at ./data/readiness.sqlite;
// `sqlite:PATH` → that SQLite file; `postgres://` or `postgresql://` → PostgreSQL. Pending
// migrations are applied on open; a store migrated by a newer app is refused. Every error names
// DATABASE_URL (with any password masked), so the operator knows what to fix.
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import {
  auditMigrations,
  type Dialect,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  migrationProvider,
} from "./migrations.js";
import { postgresRunQuery, SqlAuditStore, sqliteRunQuery } from "./sql-store.js";
import { sqliteReadChain } from "./sqlite-verify.js";
import type { AuditDatabase } from "./table.js";

export const DEFAULT_SQLITE_PATH = "./data/readiness.sqlite";

export interface OpenAuditStoreOptions {
  /** Where a relative SQLite path (and the default) is resolved; default the process's directory. */
  cwd?: string;
  /** false: a missing SQLite file is an error instead of a new, empty store (the CLI reads one). */
  create?: boolean;
  /** PostgreSQL: the schema the store lives in (created when missing); default the server's search_path. */
  schema?: string;
}

/** A store that cannot be opened: the message names DATABASE_URL and what to do. */
export class AuditStoreError extends Error {
  override name = "AuditStoreError";
}

/** The store was migrated by a newer app: this one must not write to it (and the app does not start). */
export class NewerStoreError extends AuditStoreError {
  override name = "NewerStoreError";
}

export type StoreLocation = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

const ACCEPTED =
  "use sqlite:PATH for a SQLite file, postgres://USER@HOST:PORT/DATABASE (or postgresql://…) for PostgreSQL, or leave it unset for the embedded store at ./data/readiness.sqlite";

/** Where DATABASE_URL points. Throws AuditStoreError for a value that is neither form. */
export function storeLocation(databaseUrl: string | undefined, cwd = process.cwd()): StoreLocation {
  if (databaseUrl === undefined || databaseUrl.trim() === "") {
    return { dialect: "sqlite", path: resolve(cwd, DEFAULT_SQLITE_PATH) };
  }
  const value = databaseUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: "postgres", url: value };
  const sqlite = /^sqlite:(.*)$/i.exec(value);
  if (sqlite) {
    // `sqlite:///abs/path` (URL style) and `sqlite:/abs/path` name the same file.
    const path = (sqlite[1] ?? "").replace(/^\/\/(?=\/)/, "");
    if (path === "") throw new AuditStoreError(`DATABASE_URL "${value}" names no file: ${ACCEPTED}`);
    return { dialect: "sqlite", path: path === ":memory:" ? path : resolve(cwd, path) };
  }
  throw new AuditStoreError(
    `DATABASE_URL ${JSON.stringify(masked(value))} is not a store this app knows: ${ACCEPTED}`,
  );
}

export async function openAuditStore(
  databaseUrl: string | undefined,
  options: OpenAuditStoreOptions = {},
): Promise<SqlAuditStore> {
  const location = storeLocation(databaseUrl, options.cwd);
  const named = describe(databaseUrl, location);
  if (location.dialect === "sqlite") {
    const database = openSqlite(location.path, options.create ?? true, named);
    const db = new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database }) });
    await migrate(db, "sqlite", named);
    return new SqlAuditStore(db, sqliteRunQuery(database), {
      readChain: sqliteReadChain(database, location.path),
    });
  }
  const { db, pool } = await openPostgres(location.url, options.schema, named);
  await migrate(db, "postgres", named);
  return new SqlAuditStore(db, postgresRunQuery(pool), { typedParameters: true });
}

/** How errors name the store: the variable, its value (password masked) and the file or server. */
function describe(databaseUrl: string | undefined, location: StoreLocation): string {
  if (databaseUrl === undefined || databaseUrl.trim() === "") {
    return `DATABASE_URL (unset: the embedded SQLite store at ${location.dialect === "sqlite" ? location.path : ""})`;
  }
  if (location.dialect === "sqlite")
    return `DATABASE_URL=${databaseUrl.trim()} (the SQLite file ${location.path})`;
  return `DATABASE_URL=${masked(location.url)}`;
}

function masked(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
  }
}

function openSqlite(path: string, create: boolean, named: string): Database.Database {
  if (path !== ":memory:") {
    if (!existsSync(path)) {
      if (!create) throw new AuditStoreError(`${named}: no audit store there (the file does not exist)`);
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (error) {
        throw new AuditStoreError(`${named}: cannot create its directory: ${reason(error)}`);
      }
    }
    // WAL keeps its journal beside the file: both the file and its directory must be writable.
    for (const [what, target] of [
      ["directory", dirname(path)],
      ["file", path],
    ] as const) {
      if (what === "file" && !existsSync(target)) continue;
      try {
        accessSync(target, constants.R_OK | constants.W_OK);
      } catch {
        throw new AuditStoreError(
          `${named}: the ${what} ${target} is read-only; the audit store must be able to write there`,
        );
      }
    }
  }
  let database: Database.Database;
  try {
    database = new Database(path, { fileMustExist: !create });
    // Several processes may write: wait for the write lock rather than fail at once.
    database.pragma("busy_timeout = 10000");
    // WAL: readers never block the writer. synchronous=NORMAL: a commit is not fsync'd by
    // itself; a power loss can lose the last commits, never corrupt the chain (docs/audit.md).
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
  } catch (error) {
    throw new AuditStoreError(`${named}: cannot open the SQLite audit store: ${reason(error)}`);
  }
  return database;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

async function openPostgres(
  url: string,
  schema: string | undefined,
  named: string,
): Promise<{ db: Kysely<AuditDatabase>; pool: pg.Pool }> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new AuditStoreError(`${named}: schema ${JSON.stringify(schema)} is not a plain SQL identifier`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 10_000,
    // Connections are kept, not closed after 10 idle seconds (pg's default): a quiet app probed by
    // /readyz every few seconds would otherwise open a new one per probe. They close with the store.
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client's error (the server restarting) must not crash the process: the next query fails instead.
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await client.query(`create schema if not exists "${schema}"`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AuditStoreError(`${named}: cannot reach the PostgreSQL audit store: ${reason(error)}`);
  }
  return { db: new Kysely<AuditDatabase>({ dialect: new PostgresDialect({ pool }) }), pool };
}

async function migrate(db: Kysely<AuditDatabase>, dialect: Dialect, named: string): Promise<void> {
  const known = Object.keys(auditMigrations(dialect)).sort();
  try {
    const applied = await appliedMigrations(db, dialect);
    const unknown = applied.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new NewerStoreError(
        `${named}: the audit store was migrated by a newer Readiness Gate (migration ${unknown.join(", ")}; this version knows up to ${known[known.length - 1]}). Upgrade the app, or point DATABASE_URL at another store.`,
      );
    }
    const migrator = new Migrator({
      db,
      provider: migrationProvider(dialect),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
      // Kysely looks for its tables in every schema unless told which: name the one the store's
      // queries go to, so another store in the same database is not mistaken for this one.
      ...(dialect === "postgres" ? { migrationTableSchema: await currentSchema(db) } : {}),
    });
    // SQLite has no lock across processes for the migrator: two processes opening a new file at
    // once may collide (SQLITE_BUSY); the loser retries and finds the work done.
    for (let attempt = 1; ; attempt++) {
      const { error } = await migrator.migrateToLatest();
      if (error === undefined) return;
      if (attempt >= 5) throw error;
      await new Promise((done) => setTimeout(done, 50 * attempt));
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    if (error instanceof AuditStoreError) throw error;
    throw new AuditStoreError(`${named}: cannot prepare the audit store's tables: ${reason(error)}`);
  }
}

async function currentSchema(db: Kysely<AuditDatabase>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("the connection's search_path names no existing schema");
  return schema;
}

/** Names of the migrations the store has run; none for a new store. */
async function appliedMigrations(db: Kysely<AuditDatabase>, dialect: Dialect): Promise<string[]> {
  // Looked up where the store's queries go (PostgreSQL: the search_path, not any schema).
  const exists =
    dialect === "sqlite"
      ? sql<{
          found: unknown;
        }>`select name as found from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`
      : sql<{ found: unknown }>`select to_regclass(${MIGRATION_TABLE}) as found`;
  const found = (await exists.execute(db)).rows[0]?.found;
  if (found === undefined || found === null) return [];
  const untyped = db as unknown as Kysely<Record<string, { name: string }>>;
  const rows = await untyped.selectFrom(MIGRATION_TABLE).select("name").execute();
  return rows.map((row) => row.name);
}

function reason(error: unknown): string {
  const e = error as { message?: string; code?: string };
  const message = e.message || String(error);
  return e.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
