// The two stores every audit test runs against: a SQLite file in a fresh directory, and PostgreSQL
// in a fresh schema (dropped after). `tamper` runs SQL on the store behind the app's back, as an
// attacker with database access would.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { type OpenAuditStoreOptions, openAuditStore } from "../../src/audit/open-store.js";
import type { AuditRecord, AuditStore, Decision } from "../../src/audit/types.js";
import { testService } from "../support/services.js";

export type Backend = "sqlite" | "postgres";
export const BACKENDS: readonly Backend[] = ["sqlite", "postgres"];

export const postgres = await testService("postgres");

/** Whether the backend's tests run here (PostgreSQL may be unreachable: skipped with one line). */
export function runs(backend: Backend): boolean {
  return backend === "sqlite" || postgres.available;
}

export interface TestStore {
  backend: Backend;
  /** The URL openAuditStore is given with `options`. */
  url: string;
  /** DATABASE_URL alone naming this store, as the CLI and the app read it (PostgreSQL: the schema in `options`). */
  databaseUrl: string;
  options: OpenAuditStoreOptions;
  /** PostgreSQL: the fresh schema. */
  schema?: string;
  open(): Promise<AuditStore>;
  tamper(statement: string): Promise<void>;
  /** Drops the schema / removes the directory. */
  dispose(): Promise<void>;
}

let counter = 0;

export async function freshStore(backend: Backend): Promise<TestStore> {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "readiness-audit-"));
    const path = join(dir, "readiness.sqlite");
    const url = `sqlite:${path}`;
    return {
      backend,
      url,
      databaseUrl: url,
      options: {},
      open: () => openAuditStore(url),
      async tamper(statement) {
        const db = new Database(path);
        try {
          db.exec(statement);
        } finally {
          db.close();
        }
      },
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `audit_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const url = postgres.url;
  const withSchema = async (statement: string) => {
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    backend,
    url,
    databaseUrl: `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    schema,
    options: { schema },
    open: () => openAuditStore(url, { schema }),
    tamper: withSchema,
    async dispose() {
      await withSchema(`drop schema if exists "${schema}" cascade`);
    },
  };
}

export function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    time: "2026-03-01T10:00:00.000Z",
    installation: 4242,
    repository: "acme/models",
    kind: "pull",
    pull: 7,
    headSha: "a".repeat(40),
    baseSha: "b".repeat(40),
    event: "pull_request.synchronize",
    deliveryId: "d-1",
    verdict: "blocked",
    conclusion: "failure",
    policy: { digest: `sha256:${"c".repeat(64)}`, sources: [`.github/readiness.yml@${"e".repeat(40)}`] },
    gates: [
      {
        artifact: "models/churn",
        gate: "evaluation",
        status: "fail",
        reasons: ["accuracy 0.87 is below the minimum 0.90"],
        evidence: [{ side: "head", path: "models/churn/eval/results.json", blobSha: "f".repeat(40) }],
      },
    ],
    approvals: [{ rule: "Compliance sign-off", login: "carol", review: 991, commit: "a".repeat(40) }],
    override: null,
    appVersion: "0.1.0",
    sameAs: null,
    ...overrides,
  };
}

export async function all(
  store: AuditStore,
  filter?: Parameters<AuditStore["records"]>[0],
): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const record of store.records(filter)) records.push(record);
  return records;
}
