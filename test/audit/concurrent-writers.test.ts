// Several app processes append to one store at once: the chain must stay one chain, numbered
// 1..N with no gap, every decision in it exactly once. Real processes (child_process.fork), each
// with its own connection, against each store.
import { fork } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/audit/verify.js";
import { all, BACKENDS, type Backend, freshStore, runs } from "./stores.js";
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

describe.each(BACKENDS)("%s: concurrent writers in separate processes", (backend: Backend) => {
  it.runIf(runs(backend))(
    `${PROCESSES} processes × ${EACH} appends make one chain, 1..${PROCESSES * EACH}, every record once`,
    async () => {
      const where = await freshStore(backend);
      try {
        // The store exists (migrated) before the writers start, as with an app already running.
        await (await where.open()).close();
        const tags = Array.from({ length: PROCESSES }, (_, i) => `writer${i}`);
        const writers = await Promise.all(
          tags.map((tag) => startWriter([where.url, where.schema ?? "", String(EACH), tag])),
        );
        const results = await Promise.all(writers.map((w) => w.go()));
        for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });

        const store = await where.open();
        const records = await all(store);
        await store.close();
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
});
