// The audit store's contract, run against both stores: a real SQLite file and PostgreSQL in a
// fresh schema. What the app and an auditor rely on: one gap-free chain, a redelivery recorded
// once, filters that select what they say, big records kept whole, a newer store refused.
import { afterEach, describe, expect, it } from "vitest";
import { GENESIS_HASH, recordHash } from "../../src/audit/chain.js";
import type { AuditStore } from "../../src/audit/types.js";
import { verifyChain } from "../../src/audit/verify.js";
import { all, BACKENDS, type Backend, decision, freshStore, runs, type TestStore } from "./stores.js";

describe.each(BACKENDS)("the %s audit store", (backend: Backend) => {
  let where: TestStore | undefined;
  let store: AuditStore | undefined;

  async function open(): Promise<AuditStore> {
    where ??= await freshStore(backend);
    store = await where.open();
    return store;
  }

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await where?.dispose();
    where = undefined;
  });

  it.runIf(runs(backend))("chains records 1, 2, 3 each to the hash of the one before", async () => {
    const s = await open();
    const appended = [];
    for (const pull of [1, 2, 3]) appended.push(await s.append(decision({ pull, deliveryId: `d-${pull}` })));
    expect(appended.map((a) => [a.record.sequence, a.appended])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    const records = await all(s);
    expect(records).toEqual(appended.map((a) => a.record));
    expect(records[0]?.previousHash).toBe(GENESIS_HASH);
    expect(records[1]?.previousHash).toBe(records[0]?.hash);
    expect(records[2]?.previousHash).toBe(records[1]?.hash);
    for (const record of records) expect(recordHash(record)).toBe(record.hash);
    expect(records[1]).toMatchObject(decision({ pull: 2, deliveryId: "d-2" }));
    expect(verifyChain(records)).toMatchObject({ ok: true, count: 3, headHash: records[2]?.hash });
  });

  it.runIf(runs(backend))("records a redelivered decision (the same sameAs) once", async () => {
    const s = await open();
    const first = await s.append(decision({ sameAs: "acme/models#7@aaa:blocked", deliveryId: "d-1" }));
    const again = await s.append(decision({ sameAs: "acme/models#7@aaa:blocked", deliveryId: "d-2" }));
    expect(again.appended).toBe(false);
    expect(again.record).toEqual(first.record);
    expect(again.record.deliveryId).toBe("d-1");
    // No sameAs: every append is a record of its own.
    await s.append(decision({ sameAs: null }));
    await s.append(decision({ sameAs: null }));
    expect((await all(s)).map((r) => r.sequence)).toEqual([1, 2, 3]);
  });

  it.runIf(runs(backend))("keeps a sameAs of any length (a hostile branch name in the key)", async () => {
    const s = await open();
    const long = `acme/models#7@${"x".repeat(20_000)}`;
    expect((await s.append(decision({ sameAs: long }))).appended).toBe(true);
    expect((await s.append(decision({ sameAs: long }))).appended).toBe(false);
    expect((await all(s))[0]?.sameAs).toBe(long);
  });

  it.runIf(runs(backend))("selects by repository and by time, bounds included", async () => {
    const s = await open();
    await s.append(decision({ repository: "acme/models", time: "2026-01-31T23:59:59.999Z" }));
    await s.append(decision({ repository: "acme/other", time: "2026-02-01T00:00:00Z" }));
    await s.append(decision({ repository: "acme/models", time: "2026-02-15T12:00:00+02:00" }));
    await s.append(decision({ repository: "acme/models", time: "2026-03-01T00:00:00.000Z" }));
    const seqs = async (filter: Parameters<AuditStore["records"]>[0]) =>
      (await all(s, filter)).map((r) => r.sequence);
    expect(await seqs({ repository: "acme/models" })).toEqual([1, 3, 4]);
    expect(await seqs({ repository: "acme/nothing" })).toEqual([]);
    expect(await seqs({ since: new Date("2026-02-01T00:00:00Z") })).toEqual([2, 3, 4]);
    expect(await seqs({ until: new Date("2026-02-15T10:00:00Z") })).toEqual([1, 2, 3]);
    expect(
      await seqs({
        repository: "acme/models",
        since: new Date("2026-02-01T00:00:00Z"),
        until: new Date("2026-02-28T23:59:59Z"),
      }),
    ).toEqual([3]);
  });

  it.runIf(runs(backend))(
    "pages through more records than one query reads, in order",
    async () => {
      const s = await open();
      for (let pull = 1; pull <= 1001; pull++) await s.append(decision({ pull }));
      const records = await all(s);
      expect(records.map((r) => r.sequence)).toEqual(Array.from({ length: 1001 }, (_, i) => i + 1));
      expect(verifyChain(records).ok).toBe(true);
    },
    60_000,
  );

  it.runIf(runs(backend))("stores a decision with 50,000 gate reasons whole", async () => {
    const s = await open();
    const reasons = Array.from(
      { length: 50_000 },
      (_, i) => `models/m${i}/eval/results.json: metric ${i} missing`,
    );
    const big = decision({
      gates: [{ artifact: null, gate: "evaluation", status: "fail", reasons, evidence: [] }],
    });
    const { record, appended } = await s.append(big);
    expect(appended).toBe(true);
    const [read] = await all(s);
    expect(read?.gates[0]?.reasons).toHaveLength(50_000);
    expect(read?.gates[0]?.reasons[49_999]).toBe(reasons[49_999]);
    expect(read?.hash).toBe(record.hash);
    expect(verifyChain([read as NonNullable<typeof read>]).ok).toBe(true);
  });

  it.runIf(runs(backend))(
    "records text JSON and RFC 8785 cannot hold as it would read back (NUL, lone surrogates)",
    async () => {
      const s = await open();
      const { record } = await s.append(
        decision({
          gates: [
            {
              artifact: "models/\u0000x",
              gate: "privacy",
              status: "fail",
              reasons: ["bad \ud800 name"],
              evidence: [],
            },
          ],
        }),
      );
      const [read] = await all(s);
      expect(read?.gates[0]?.artifact).toBe("models/\u0000x");
      expect(read?.gates[0]?.reasons[0]).toBe("bad \ufffd name");
      expect(read).toEqual(record);
      expect(verifyChain(await all(s)).ok).toBe(true);
    },
  );

  it.runIf(runs(backend))("refuses a decision whose time is not a date, saying which field", async () => {
    const s = await open();
    await expect(s.append(decision({ time: "yesterday" }))).rejects.toThrow(
      /time "yesterday" is not an ISO 8601/,
    );
    expect(await all(s)).toEqual([]);
  });

  it.runIf(runs(backend))("keeps the chain across a restart, migrations applied once", async () => {
    const s = await open();
    await s.append(decision({ pull: 1 }));
    await s.close();
    const reopened = await open();
    await reopened.append(decision({ pull: 2 }));
    const records = await all(reopened);
    expect(records.map((r) => r.sequence)).toEqual([1, 2]);
    expect(verifyChain(records).ok).toBe(true);
    await reopened.ping();
  });

  it.runIf(runs(backend))(
    "refuses to open a store a newer app has migrated, naming DATABASE_URL",
    async () => {
      const s = await open();
      await s.close();
      store = undefined;
      await where?.tamper(
        `insert into audit_migration (name, timestamp) values ('0003_from_the_future', '2030-01-01T00:00:00.000Z')`,
      );
      await expect(open()).rejects.toThrow(
        /DATABASE_URL.*migrated by a newer Readiness Gate \(migration 0003_from_the_future; this version knows up to 0002_indexes_for_the_questions_asked\)/,
      );
      store = undefined;
    },
  );
});
