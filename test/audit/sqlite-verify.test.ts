// `audit verify` on a SQLite chain long enough to be read on two threads (sqlite-verify.ts): the
// second half proven on a worker thread must be judged exactly as one thread judges it — every
// kind of tampering, in either half and across the split. The worker runs as compiled JavaScript,
// so these verifies use the store's modules transpiled (writer-process.ts); the one-thread verify
// they are compared with is the store's TypeScript source (no worker beside it: one thread).
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainedDecision, GENESIS_HASH, recordHash } from "../../src/audit/chain.js";
import { openAuditStore } from "../../src/audit/open-store.js";
import type { SqlAuditStore } from "../../src/audit/sql-store.js";
import { PARALLEL_FROM } from "../../src/audit/sqlite-verify.js";
import { type RecordRow, recordToRow, rowToRecord } from "../../src/audit/table.js";
import type { ChainReport } from "../../src/audit/verify.js";
import { decision } from "./stores.js";
import { buildWriter, type WriterProgram } from "./writer-process.js";

const RECORDS = PARALLEL_FROM + 2000;
/** Where the chain is cut between the threads: the middle sequence. */
const SPLIT = Math.floor((1 + RECORDS) / 2);

let compiled: WriterProgram;
let dir: string;
let intact: string;

beforeAll(async () => {
  compiled = buildWriter();
  const compiledModule = (await import(pathToFileURL(join(compiled.modules, "open-store.js")).href)) as {
    openAuditStore: typeof openAuditStore;
  };
  compiledOpen = () => compiledModule.openAuditStore;
  threads = (
    (await import(pathToFileURL(join(compiled.modules, "sqlite-verify.js")).href)) as {
      secondThreads: typeof threads;
    }
  ).secondThreads;
  dir = mkdtempSync(join(tmpdir(), "readiness-sqlite-verify-"));
  intact = join(dir, "intact.sqlite");
  await (await openAuditStore(`sqlite:${intact}`)).close();
  const db = new Database(intact);
  const template = recordToRow(
    { ...chainedDecision(decision()), sequence: 0, previousHash: "", hash: "" },
    0,
    null,
  );
  const columns = Object.keys(template) as (keyof typeof template)[];
  const insert = db.prepare(
    `insert into audit_records (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`,
  );
  let previousHash = GENESIS_HASH;
  db.transaction(() => {
    for (let sequence = 1; sequence <= RECORDS; sequence++) {
      const unhashed = { ...chainedDecision(decision({ pull: sequence })), sequence, previousHash };
      const row = recordToRow({ ...unhashed, hash: recordHash(unhashed) }, Date.parse(unhashed.time), null);
      insert.run(...columns.map((c) => row[c]));
      previousHash = row.hash;
    }
  })();
  db.close();
}, 120_000);

afterAll(() => {
  compiled?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let copies = 0;

/** A copy of the intact chain with `tampering` done to it (SQL, or a function given the database). */
function tampered(tampering: string | ((db: Database.Database) => void)): string {
  const path = join(dir, `copy-${copies++}.sqlite`);
  copyFileSync(intact, path);
  const db = new Database(path);
  if (typeof tampering === "string") db.exec(tampering);
  else tampering(db);
  db.close();
  return path;
}

/** Record `sequence` given another verdict and its hash recomputed: intact by itself, not the one the next record links to. */
function rewritten(sequence: number): (db: Database.Database) => void {
  return (db) => {
    const row = db.prepare("select * from audit_records where sequence = ?").get(sequence) as RecordRow;
    const { hash: _old, ...unhashed } = { ...rowToRecord(row), verdict: "ready" };
    db.prepare("update audit_records set verdict = ?, hash = ? where sequence = ?").run(
      "ready",
      recordHash(unhashed),
      sequence,
    );
  };
}

async function verifyWith(open: typeof openAuditStore, path: string): Promise<ChainReport> {
  const store = (await open(`sqlite:${path}`, { create: false })) as SqlAuditStore;
  try {
    return await store.verify();
  } finally {
    await store.close();
  }
}

/** openAuditStore of the compiled modules: its verify runs the worker. */
let compiledOpen: () => typeof openAuditStore;
/** The compiled verify's count of second threads started and halves taken back. */
let threads: { started: number; fellBack: number };

/** The report of the compiled store (two threads) and of the source (one thread). */
async function bothWays(path: string): Promise<{ twoThreads: ChainReport; oneThread: ChainReport }> {
  return {
    twoThreads: await verifyWith(compiledOpen(), path),
    oneThread: await verifyWith(openAuditStore, path),
  };
}

describe(`SQLite verify on two threads (${RECORDS} records, split after ${SPLIT})`, () => {
  it("an intact chain: the same count and head hash as one thread", async () => {
    const before = { ...threads };
    const { twoThreads, oneThread } = await bothWays(intact);
    // The second half really was proven on the worker (one thread alone gives the same report).
    expect(threads).toEqual({ started: before.started + 1, fellBack: before.fellBack });
    expect(twoThreads).toMatchObject({ ok: true, count: RECORDS });
    expect(twoThreads).toEqual(oneThread);
  });

  it("a worker that cannot read its half leaves it to this thread: the same report", async () => {
    const path = tampered(`update audit_records set verdict = 'ready' where sequence = ${SPLIT + 7}`);
    const oneThread = await verifyWith(openAuditStore, path);
    const store = (await compiledOpen()(`sqlite:${path}`, { create: false })) as SqlAuditStore;
    try {
      // The open store keeps reading the file it has open; the worker, opening it by name, fails.
      rmSync(path);
      const before = { ...threads };
      expect(await store.verify()).toEqual(oneThread);
      expect(threads).toEqual({ started: before.started + 1, fellBack: before.fellBack + 1 });
    } finally {
      await store.close();
    }
    expect(oneThread.problem).toMatchObject({ sequence: SPLIT + 7, kind: "altered" });
  });

  it.each([
    [
      "a value changed in the second half",
      `update audit_records set verdict = 'ready' where sequence = ${SPLIT + 1500}`,
      { sequence: SPLIT + 1500, kind: "altered" },
    ],
    [
      "a JSON column cut short in the second half",
      `update audit_records set gates = substr(gates, 1, 20) where sequence = ${RECORDS}`,
      { sequence: RECORDS, kind: "altered" },
    ],
    [
      "the first record of the second half with its stored hash overwritten",
      `update audit_records set hash = '${"0".repeat(64)}' where sequence = ${SPLIT + 1}`,
      { sequence: SPLIT + 1, kind: "altered" },
    ],
    [
      "the last record of the first half rewritten with its hash recomputed: caught by the link across the split",
      rewritten(SPLIT),
      {
        sequence: SPLIT,
        kind: "altered",
        message: `record ${SPLIT} was rewritten: it is not the record ${SPLIT + 1} is chained to`,
      },
    ],
    [
      "a record deleted in the second half",
      `delete from audit_records where sequence = ${SPLIT + 10}`,
      { sequence: SPLIT + 10, kind: "missing" },
    ],
    [
      "two records of the second half swapped",
      `update audit_records set sequence = -1 where sequence = ${SPLIT + 20};
       update audit_records set sequence = ${SPLIT + 20} where sequence = ${SPLIT + 21};
       update audit_records set sequence = ${SPLIT + 21} where sequence = -1;`,
      // The swapped rows keep their own sequence numbers inside their hashed text.
      { kind: "reordered" },
    ],
    [
      "the first record of the second half deleted",
      `delete from audit_records where sequence = ${SPLIT + 1}`,
      { sequence: SPLIT + 1, kind: "missing" },
    ],
  ])("%s: found where one thread finds it", async (_what, tampering, problem) => {
    const { twoThreads, oneThread } = await bothWays(tampered(tampering));
    expect(twoThreads).toMatchObject({ ok: false, count: expect.any(Number), problem });
    expect(twoThreads).toEqual(oneThread);
  });
});
