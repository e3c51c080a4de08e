// A real recorder for the app's tests: the spool in a temporary directory and the audit store on
// SQLite (a file there) or PostgreSQL (a fresh schema, dropped after), optionally starting down.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createMetrics, type Metrics } from "../../src/app/metrics.js";
import { openAuditStore } from "../../src/audit/open-store.js";
import { createRecorder, type Recorder } from "../../src/audit/recorder.js";
import type { AuditRecord, AuditStore } from "../../src/audit/types.js";

export const CLOSED_PORT = "postgres://postgres@127.0.0.1:1/test";

export interface Recording {
  recorder: Recorder;
  metrics: Metrics;
  /** Every record the store holds, after appending what waits. */
  records(): Promise<AuditRecord[]>;
  /** Points the recorder at the real store (it starts at `down` when given). */
  bringUp(): void;
  /** Points it at a closed port again. */
  takeDown(): void;
  close(): Promise<void>;
}

let schemas = 0;

/** `postgresUrl`: the server of the test run (test/support/services.ts). */
export async function recording(
  backend: "sqlite" | "postgres",
  postgresUrl: string,
  options: { down?: boolean } = {},
): Promise<Recording> {
  const cleanup: Array<() => Promise<void> | void> = [];
  const dir = mkdtempSync(join(tmpdir(), "record-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const url = backend === "sqlite" ? `sqlite:${join(dir, "audit.sqlite")}` : postgresUrl;
  const schema = backend === "sqlite" ? undefined : `record_${process.pid}_${++schemas}`;
  const storeOptions = schema === undefined ? {} : { schema };
  if (schema !== undefined) cleanup.push(() => dropSchema(postgresUrl, schema));
  let target = options.down ? CLOSED_PORT : url;
  const metrics = createMetrics();
  const recorder = createRecorder({
    connect: () => openAuditStore(target, storeOptions),
    spoolPath: join(dir, "spool.jsonl"),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    gauges: { pending: (n) => metrics.auditPending.set(n), appended: () => metrics.auditAppended.inc() },
    retry: { min: 60_000, max: 60_000 },
  });
  let reader: AuditStore | undefined;
  cleanup.push(async () => {
    await recorder.close();
    await reader?.close();
  });
  return {
    recorder,
    metrics,
    bringUp: () => {
      target = url;
    },
    takeDown: () => {
      target = CLOSED_PORT;
    },
    async records() {
      await recorder.drain();
      reader ??= await openAuditStore(url, storeOptions);
      const records: AuditRecord[] = [];
      for await (const record of reader.records()) records.push(record);
      return records;
    },
    async close() {
      for (const step of cleanup.reverse()) await step();
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
