// The second thread of a SQLite `audit verify` (sqlite-verify.ts): reads the records after the
// split from a connection of its own and proves each by its hash as stored (storedHash), the
// costly part of verify. It sends back each record's links and whether it was proven; a record
// that was not is sent whole, and the main thread judges it (and every link) as it would its own.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { rowFromValues, storedHash } from "./table.js";

export interface VerifyHalf {
  path: string;
  /** The query for the records after the split, in sequence order; its one parameter is the split. */
  sql: string;
  after: number;
  mmapBytes: number;
}

/**
 * One message per batch, flat: sequence, previous hash, hash, and null when proven or else the
 * row itself, for each record in order. `null` alone says the half is done.
 */
export type VerifiedBatch = unknown[];

const BATCH = 2000;

const half = workerData as VerifyHalf;
const port = parentPort;
if (port) {
  const database = new Database(half.path, { readonly: true, fileMustExist: true });
  try {
    database.pragma(`mmap_size = ${half.mmapBytes}`);
    const statement = database.prepare(half.sql).raw(true);
    let batch: VerifiedBatch = [];
    for (const values of statement.iterate(half.after) as Iterable<unknown[]>) {
      const row = rowFromValues(values);
      const proven = storedHash(row) === row.hash;
      batch.push(Number(row.sequence), row.previous_hash, row.hash, proven ? null : row);
      if (batch.length >= BATCH * 4) {
        port.postMessage(batch);
        batch = [];
      }
    }
    if (batch.length > 0) port.postMessage(batch);
    port.postMessage(null);
  } finally {
    database.close();
  }
}
