// The store's schema, versioned. Migrations live in code (not files read at run time), so the
// compiled app carries them; Kysely's Migrator applies the missing ones when a store opens.
// Never edit a released migration: add the next one.
import { type Kysely, type Migration, type MigrationProvider, sql } from "kysely";
import { RECORDS_TABLE } from "./table.js";

export type Dialect = "sqlite" | "postgres";

/** Kysely's bookkeeping tables, named for this store so they read clearly in a shared database. */
export const MIGRATION_TABLE = "audit_migration";
export const MIGRATION_LOCK_TABLE = "audit_migration_lock";

export function auditMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    "0001_audit_records": {
      async up(db: Kysely<unknown>) {
        // SQLite: exactly `integer primary key` makes the sequence the rowid (the fastest lookup
        // of the chain's head). PostgreSQL: bigint, the chain may outgrow 2^31.
        const sequenceType = dialect === "sqlite" ? "integer" : "bigint";
        await db.schema
          .createTable(RECORDS_TABLE)
          .ifNotExists()
          .addColumn("sequence", sequenceType, (c) => c.primaryKey())
          .addColumn("time", "text", (c) => c.notNull())
          .addColumn("time_ms", "bigint", (c) => c.notNull())
          .addColumn("installation", "bigint")
          .addColumn("repository", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("pull", "integer")
          .addColumn("head_sha", "text", (c) => c.notNull())
          .addColumn("base_sha", "text")
          .addColumn("event", "text", (c) => c.notNull())
          .addColumn("delivery_id", "text")
          .addColumn("verdict", "text", (c) => c.notNull())
          .addColumn("conclusion", "text")
          .addColumn("policy_digest", "text")
          .addColumn("policy_sources", "text", (c) => c.notNull())
          .addColumn("gates", "text", (c) => c.notNull())
          .addColumn("approvals", "text", (c) => c.notNull())
          .addColumn("override", "text")
          .addColumn("app_version", "text", (c) => c.notNull())
          .addColumn("same_as", "text")
          .addColumn("same_as_key", "text", (c) => c.unique())
          .addColumn("previous_hash", "text", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull())
          .addColumn("stored_at", "text", (c) =>
            c
              .notNull()
              .defaultTo(
                dialect === "sqlite"
                  ? sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`
                  : sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
              ),
          )
          .execute();
        await db.schema
          .createIndex(`${RECORDS_TABLE}_repository_time`)
          .ifNotExists()
          .on(RECORDS_TABLE)
          .columns(["repository", "time_ms"])
          .execute();
        await db.schema
          .createIndex(`${RECORDS_TABLE}_time`)
          .ifNotExists()
          .on(RECORDS_TABLE)
          .column("time_ms")
          .execute();
      },
    },
    // The store's own questions: export pages by sequence (the primary key: no time index was ever
    // chosen for them), and the release gate by repository and pull request. (A deployment asks by
    // repository and head commit: this index narrows it to the repository only; see decisions.) Each
    // secondary index is a page more written by every append: two went, one came (SQLite, one
    // writer: about 4,900 → 5,200 appends/s, docs/benchmarks.md).
    "0002_indexes_for_the_questions_asked": {
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex(`${RECORDS_TABLE}_time`).ifExists().execute();
        await db.schema.dropIndex(`${RECORDS_TABLE}_repository_time`).ifExists().execute();
        await db.schema
          .createIndex(`${RECORDS_TABLE}_repository_pull`)
          .ifNotExists()
          .on(RECORDS_TABLE)
          .columns(["repository", "pull"])
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => auditMigrations(dialect) };
}
