// `audit verify` proves most records from their rows as stored, without parsing them (storedHash):
// that shortcut must give exactly the chain's hash for what the store writes, and must never let a
// changed row pass — a row it cannot prove goes to the full check, which decides.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chainedDecision, GENESIS_HASH, recordHash } from "../../src/audit/chain.js";
import type { SqlAuditStore } from "../../src/audit/sql-store.js";
import { recordToRow, storedHash, storedText } from "../../src/audit/table.js";
import type { AuditRecord } from "../../src/audit/types.js";
import { all, BACKENDS, type Backend, decision, freshStore, runs, type TestStore } from "./stores.js";

function record(overrides: Parameters<typeof decision>[0] = {}): AuditRecord {
  const unhashed = { ...chainedDecision(decision(overrides)), sequence: 12, previousHash: GENESIS_HASH };
  return { ...unhashed, hash: recordHash(unhashed) };
}

describe("storedHash", () => {
  it("is the chain's hash for every field, nulls, an override and awkward text included", () => {
    const records = [
      record(),
      record({
        installation: null,
        pull: null,
        baseSha: null,
        deliveryId: null,
        conclusion: null,
        policy: { digest: null, sources: [] },
        sameAs: "acme/models#7@aaa",
        override: {
          by: "dana",
          reason: 'hotfix "now", é \u2028 😀',
          at: "2026-03-01T10:00:00.000Z",
          expiresAt: "2026-03-02T10:00:00.000Z",
          state: "active",
        },
      }),
      record({ verdict: "line\nbreak\ttab \\ back", repository: "ÅÄÖ/ü", gates: [] }),
    ];
    for (const r of records) {
      const row = recordToRow(r, Date.parse(r.time), null);
      expect(storedHash(row)).toBe(r.hash);
      expect(storedText(row)).toBe(JSON.stringify(JSON.parse(storedText(row) ?? "")));
    }
  });

  it("cannot prove a row whose JSON column is not one whole JSON value, or whose number is not a number", () => {
    const r = record();
    const row = recordToRow(r, Date.parse(r.time), null);
    expect(storedHash({ ...row, gates: `${row.gates.slice(0, -1)}` })).toBeUndefined();
    expect(storedHash({ ...row, installation: "many" })).toBeUndefined();
  });

  it("differs from the hash when a row holds its JSON in another (equivalent) form", () => {
    const r = record();
    const row = recordToRow(r, Date.parse(r.time), null);
    expect(storedHash({ ...row, gates: JSON.stringify(JSON.parse(row.gates), null, 1) })).not.toBe(r.hash);
  });
});

describe.each(BACKENDS)(
  "%s: verify proves rows as stored and judges the rest in full",
  (backend: Backend) => {
    let where: TestStore;

    beforeEach(async () => {
      if (!runs(backend)) return;
      where = await freshStore(backend);
      const store = await where.open();
      for (let pull = 1; pull <= 4; pull++) await store.append(decision({ pull }));
      await store.close();
    });

    afterEach(async () => {
      if (runs(backend)) await where.dispose();
    });

    async function verify() {
      const store = (await where.open()) as SqlAuditStore;
      try {
        return { report: await store.verify() };
      } finally {
        await store.close();
      }
    }

    it.runIf(runs(backend))("an intact store: the count and the last record's hash", async () => {
      const store = await where.open();
      const head = (await all(store)).at(-1)?.hash;
      await store.close();
      expect(head).toMatch(/^[0-9a-f]{64}$/);
      expect((await verify()).report).toEqual({ ok: true, count: 4, headHash: head });
    });

    it.runIf(runs(backend))(
      "the same values re-encoded (spaces, key order) are still the same record",
      async () => {
        await where.tamper(
          `update audit_records set gates = '[ ' || substr(gates, 2), approvals = '[{"rule":"Compliance sign-off","login":"carol","review":991,"commit":"${"a".repeat(40)}"}]' where sequence = 2`,
        );
        expect((await verify()).report).toMatchObject({ ok: true, count: 4 });
      },
    );

    it.runIf(runs(backend))("a JSON column cut short is altered (not a crash), at its record", async () => {
      await where.tamper(`update audit_records set gates = substr(gates, 1, 20) where sequence = 3`);
      expect((await verify()).report.problem).toEqual({
        sequence: 3,
        kind: "altered",
        message: "record 3 was altered: its content does not match its hash",
      });
    });

    it.runIf(runs(backend))(
      "bytes moved between JSON columns, the record's text unchanged, are altered",
      async () => {
        // A record whose override happens to hold a `policy` of its own: its text has the same
        // separators as the record's policy, so cutting the override short and pushing the rest into
        // the next columns leaves the hashed text byte for byte the same — but not one record.
        const store = await where.open();
        const override = {
          by: "dana",
          policy: { digest: "x", sources: [] },
        } as unknown as AuditRecord["override"];
        const fifth = await store.append(decision({ pull: 5, override }));
        await store.close();
        const policy = fifth.record.policy;
        const sources = `[]}},"policy":{"digest":${JSON.stringify(policy.digest)},"sources":${JSON.stringify(policy.sources)}`;
        await where.tamper(
          `update audit_records set override = '{"by":"dana"', policy_digest = 'x', policy_sources = '${sources}' where sequence = 5`,
        );
        expect((await verify()).report.problem).toEqual({
          sequence: 5,
          kind: "altered",
          message: "record 5 was altered: its content does not match its hash",
        });
      },
    );
  },
);
