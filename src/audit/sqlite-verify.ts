// `audit verify` on SQLite: the whole chain read straight from better-sqlite3, on both cores.
// Proving a record (its JSON columns parse, its stored text hashes to its hash) needs no other
// record; only the links are judged in order. So a worker thread reads and proves the second half
// of the chain while this thread does the first, then this thread judges the second half's links
// (and reads in full any record the worker could not prove). A chain too short to pay for the
// thread's start, or a worker that fails, is read on this thread alone: the result is the same.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { type AddStored, addRow, type ReadChain, readable } from "./sql-store.js";
import type { VerifiedBatch, VerifyHalf } from "./sqlite-verify-worker.js";
import { RECORD_COLUMNS, RECORDS_TABLE, type RecordRow, rowFromValues } from "./table.js";

/**
 * Mapped, the file is read without a copy through SQLite's page cache (a quarter of the reading's
 * cost for a whole-chain pass); reads only, so a write is never at risk of it.
 */
const MMAP_BYTES = 1 << 30;

/** Below this many records a second thread's start (tens of milliseconds) costs more than it saves. */
export const PARALLEL_FROM = 10_000;

/** The worker's compiled module, beside this one (absent when running from TypeScript sources). */
const WORKER = new URL("./sqlite-verify-worker.js", import.meta.url);

/** How often this process handed half a chain to a worker, and took one back to read itself. */
export const secondThreads = { started: 0, fellBack: 0 };

export function sqliteReadChain(database: Database.Database, path: string): ReadChain {
  const select = `select ${RECORD_COLUMNS.map((c) => `"${c}"`).join(", ")} from "${RECORDS_TABLE}"`;
  const rows = function* (where: string, ...parameters: unknown[]): Iterable<RecordRow> {
    const statement = database.prepare(`${select} ${where} order by "sequence"`).raw(true);
    for (const values of statement.iterate(...parameters) as Iterable<unknown[]>) yield rowFromValues(values);
  };
  return async (add) => {
    if (path !== ":memory:") database.pragma(`mmap_size = ${MMAP_BYTES}`);
    const span = database
      .prepare(`select min("sequence") as low, max("sequence") as high from "${RECORDS_TABLE}"`)
      .get() as { low: number | null; high: number | null } | undefined;
    const [low, high] = [span?.low, span?.high];
    const parallel =
      path !== ":memory:" &&
      typeof low === "number" &&
      typeof high === "number" &&
      high - low >= PARALLEL_FROM &&
      existsSync(fileURLToPath(WORKER));
    if (!parallel) {
      for (const row of rows("")) addRow(add, row);
      return;
    }
    const split = Math.floor((low + high) / 2);
    secondThreads.started += 1;
    const second = provenOnWorker({
      path,
      sql: `${select} where "sequence" > ? order by "sequence"`,
      after: split,
      mmapBytes: MMAP_BYTES,
    });
    for (const row of rows(`where "sequence" <= ?`, split)) addRow(add, row);
    const batches = await second.catch(() => undefined);
    if (batches === undefined) {
      secondThreads.fellBack += 1;
      for (const row of rows(`where "sequence" > ?`, split)) addRow(add, row);
      return;
    }
    for (const batch of batches) addProven(add, batch);
  };
}

/** The worker's batches, all of them, or a rejection when it failed before saying it was done. */
function provenOnWorker(half: VerifyHalf): Promise<VerifiedBatch[]> {
  return new Promise((done, failed) => {
    const batches: VerifiedBatch[] = [];
    let finished = false;
    const worker = new Worker(WORKER, { workerData: half });
    worker.on("message", (batch: VerifiedBatch | null) => {
      if (batch !== null) batches.push(batch);
      else {
        finished = true;
        done(batches);
      }
    });
    worker.on("error", failed);
    worker.on("exit", (code) => {
      if (!finished)
        failed(new Error(`audit verify: the second thread ended (${code}) before its half was read`));
    });
  });
}

function addProven(add: AddStored, batch: VerifiedBatch): void {
  for (let i = 0; i < batch.length; i += 4) {
    const hash = batch[i + 2] as string;
    const row = batch[i + 3] as RecordRow | null;
    add(
      { sequence: batch[i] as number, previousHash: batch[i + 1] as string, hash },
      // Proven by the worker: its stored text hashed to this hash. Otherwise judged here in full.
      () => (row === null ? hash : undefined),
      () => (row === null ? undefined : readable(row)),
    );
  }
}
