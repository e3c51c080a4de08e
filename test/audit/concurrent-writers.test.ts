// Several app processes append to one store at once: the chain must stay one chain, numbered
// 1..N with no gap, every decision in it exactly once. Real processes (child_process.fork), each
// with its own connection, against each store.
import { fork } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/audit/types.js";
import { verifyChain } from "../../src/audit/verify.js";
import { all, BACKENDS, type Backend, decision, freshStore, runs, type TestStore } from "./stores.js";
import { buildWriter, type WriterProgram } from "./writer-process.js";

const PROCESSES = 4;
const EACH = 200;

let writer: WriterProgram;
beforeAll(() => {
  writer = buildWriter();
});
afterAll(() => writer?.dispose());

/** Starts a writer; resolves once its store is open, with a way to say go and await its end. */
function startWriter(args: string[]): Promise<{ go(): Promise<{ code: number | null; stderr: string }> }> {
  return new Promise((ready, failed) => {
    const child = fork(writer.path, args, { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const ended = new Promise<{ code: number | null; stderr: string }>((done) =>
      child.on("exit", (code) => done({ code, stderr })),
    );
    child.on("error", failed);
    child.once("message", () =>
      ready({
        go() {
          child.send("go");
          return ended;
        },
      }),
    );
    void ended.then((result) => failed(new Error(`writer ended before it was ready: ${result.stderr}`)));
  });
}

/**
 * One writer process per tag, EACH appends each, all started together on a store that exists
 * (migrated) before they start, as with an app already running; the chain they left.
 */
async function writeTogether(
  where: TestStore,
  tags: string[],
  extraArgs: (i: number) => string[],
): Promise<AuditRecord[]> {
  await (await where.open()).close();
  const writers = await Promise.all(
    tags.map((tag, i) => startWriter([where.url, where.schema ?? "", String(EACH), tag, ...extraArgs(i)])),
  );
  const results = await Promise.all(writers.map((w) => w.go()));
  for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
  const store = await where.open();
  try {
    return await all(store);
  } finally {
    await store.close();
  }
}

describe.each(BACKENDS)("%s: concurrent writers in separate processes", (backend: Backend) => {
  it.runIf(runs(backend))(
    `${PROCESSES} processes × ${EACH} appends make one chain, 1..${PROCESSES * EACH}, every record once`,
    async () => {
      const where = await freshStore(backend);
      try {
        const tags = Array.from({ length: PROCESSES }, (_, i) => `writer${i}`);
        const records = await writeTogether(where, tags, () => []);
        expect(records.map((r) => r.sequence)).toEqual(
          Array.from({ length: PROCESSES * EACH }, (_, i) => i + 1),
        );
        const delivered = records.map((r) => r.deliveryId).sort();
        const expected = tags
          .flatMap((tag) => Array.from({ length: EACH }, (_, i) => `${tag}-${i + 1}`))
          .sort();
        expect(delivered).toEqual(expected);
        // The writers really overlapped (one after another would change writer only 3 times along
        // the chain): otherwise this proves nothing. SQLite's lock is not fair, so the changes are
        // counted over the whole chain, not its start.
        const writerOf = records.map((r) => r.deliveryId?.split("-")[0]);
        const changes = writerOf.filter((w, i) => i > 0 && w !== writerOf[i - 1]).length;
        expect(changes).toBeGreaterThan(PROCESSES - 1);
        expect(verifyChain(records)).toMatchObject({ ok: true, count: PROCESSES * EACH });
      } finally {
        await where.dispose();
      }
    },
    120_000,
  );

  it.runIf(runs(backend))(
    `${PROCESSES} processes appending the same ${EACH} decisions record each once, in one chain`,
    async () => {
      const where = await freshStore(backend);
      try {
        const tags = Array.from({ length: PROCESSES }, (_, i) => `replica${i}`);
        const records = await writeTogether(where, tags, (i) => [String((i * EACH) / PROCESSES)]);
        expect(records.map((r) => r.sequence)).toEqual(Array.from({ length: EACH }, (_, i) => i + 1));
        expect(records.map((r) => r.sameAs).sort()).toEqual(
          Array.from({ length: EACH }, (_, i) => `decision-${i + 1}`).sort(),
        );
        // Several replicas recorded decisions (they raced, rather than one doing it all).
        expect(new Set(records.map((r) => r.deliveryId?.split("-")[0])).size).toBeGreaterThan(1);
        expect(verifyChain(records)).toMatchObject({ ok: true, count: EACH });
      } finally {
        await where.dispose();
      }
    },
    120_000,
  );

  it.runIf(runs(backend))(
    "a writer whose last known head is stale links its record to the newer one, and finds a decision another wrote",
    async () => {
      const where = await freshStore(backend);
      const [a, b] = [await where.open(), await where.open()];
      try {
        const d = (n: number) => decision({ pull: n, deliveryId: `d-${n}`, sameAs: `decision-${n}` });
        // Each append of one store comes after the other's: each time its remembered head is behind.
        const order = [
          await a.append(d(1)),
          await b.append(d(2)),
          await a.append(d(3)),
          await b.append(d(4)),
        ];
        expect(order.map((o) => [o.record.sequence, o.appended])).toEqual([
          [1, true],
          [2, true],
          [3, true],
          [4, true],
        ]);
        // b wrote decision 2; a, a record behind, is told it is there rather than recording it again.
        const again = await a.append({ ...d(2), deliveryId: "d-2-redelivered" });
        expect(again).toMatchObject({ appended: false, record: { sequence: 2, deliveryId: "d-2" } });
        const records = await all(a);
        expect(records.map((r) => r.deliveryId)).toEqual(["d-1", "d-2", "d-3", "d-4"]);
        expect(verifyChain(records)).toMatchObject({ ok: true, count: 4 });
      } finally {
        await a.close();
        await b.close();
        await where.dispose();
      }
    },
  );

  it.runIf(runs(backend))(
    "a head that is gone (the store restored from a backup under a running app) is not linked to: no gap",
    async () => {
      const where = await freshStore(backend);
      const store = await where.open();
      try {
        for (const n of [1, 2, 3]) await store.append(decision({ pull: n, deliveryId: `d-${n}` }));
        // Restored from a backup taken after record 2: the process still remembers record 3.
        await where.tamper("delete from audit_records where sequence = 3");
        const next = await store.append(decision({ pull: 4, deliveryId: "d-4" }));
        expect(next).toMatchObject({ appended: true, record: { sequence: 3 } });
        const records = await all(store);
        expect(records.map((r) => r.deliveryId)).toEqual(["d-1", "d-2", "d-4"]);
        expect(verifyChain(records)).toMatchObject({ ok: true, count: 3 });
      } finally {
        await store.close();
        await where.dispose();
      }
    },
  );
});
