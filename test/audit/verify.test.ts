// verifyChain on records in memory: what each kind of tampering looks like to an auditor.
import { describe, expect, it } from "vitest";
import { chainedDecision, GENESIS_HASH, recordHash } from "../../src/audit/chain.js";
import type { AuditRecord } from "../../src/audit/types.js";
import { verifyChain } from "../../src/audit/verify.js";
import { decision } from "./stores.js";

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let previousHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= length; sequence++) {
    const unhashed = { ...chainedDecision(decision({ pull: sequence })), sequence, previousHash };
    const record = { ...unhashed, hash: recordHash(unhashed) };
    records.push(record);
    previousHash = record.hash;
  }
  return records;
}

/** Swaps the contents of two positions, each keeping its position's sequence number. */
function swapped(records: AuditRecord[], a: number, b: number): AuditRecord[] {
  const copy = records.map((r) => ({ ...r }));
  const [x, y] = [copy[a - 1] as AuditRecord, copy[b - 1] as AuditRecord];
  copy[a - 1] = { ...y, sequence: a };
  copy[b - 1] = { ...x, sequence: b };
  return copy;
}

describe("verifyChain", () => {
  it("an empty chain is intact, its head the genesis hash", () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it("an intact chain: the count and the last hash", () => {
    const records = chain(5);
    expect(verifyChain(records)).toEqual({ ok: true, count: 5, headHash: records[4]?.hash });
  });

  it("a changed value deep in a gate's reasons is altered, at that record", () => {
    const records = chain(5);
    const gate = records[3]?.gates[0];
    if (gate) gate.reasons = ["all good"];
    expect(verifyChain(records).problem).toEqual({
      sequence: 4,
      kind: "altered",
      message: "record 4 was altered: its content does not match its hash",
    });
  });

  it("a missing first or middle record", () => {
    expect(verifyChain(chain(5).slice(1)).problem).toMatchObject({ sequence: 1, kind: "missing" });
    const records = chain(6);
    records.splice(2, 2);
    expect(verifyChain(records).problem).toEqual({
      sequence: 3,
      kind: "missing",
      message: "records 3 to 4 are missing: the chain goes from 2 to 5",
    });
  });

  it("swapped neighbours and far-apart records are reordered, named where they came from", () => {
    expect(verifyChain(swapped(chain(6), 3, 4)).problem).toEqual({
      sequence: 3,
      kind: "reordered",
      message: "record 3 holds what was record 4: records were moved",
    });
    expect(verifyChain(swapped(chain(6), 1, 5)).problem).toMatchObject({ sequence: 1, kind: "reordered" });
  });

  it("records handed over out of order are caught at the first misplaced one", () => {
    const records = chain(3);
    expect(verifyChain([records[0], records[2], records[1]] as AuditRecord[]).problem).toMatchObject({
      sequence: 2,
      kind: "missing",
    });
    expect(verifyChain([records[1], records[0]] as AuditRecord[]).problem).toMatchObject({
      sequence: 1,
      kind: "missing",
    });
    expect(verifyChain([records[0], records[0]] as AuditRecord[]).problem).toMatchObject({
      sequence: 2,
      kind: "reordered",
    });
  });

  it("a record rewritten with its hash recomputed is caught by the next record's link", () => {
    const records = chain(4);
    const forged = { ...(records[1] as AuditRecord), verdict: "ready" };
    records[1] = { ...forged, hash: recordHash(forged) };
    expect(verifyChain(records).problem).toEqual({
      sequence: 2,
      kind: "altered",
      message: "record 2 was rewritten: it is not the record 3 is chained to",
    });
  });

  it("a first record that does not start at the genesis hash is altered", () => {
    const [first] = chain(1);
    const forged = { ...(first as AuditRecord), previousHash: "1".repeat(64) };
    expect(verifyChain([{ ...forged, hash: recordHash(forged) }]).problem).toMatchObject({
      sequence: 1,
      kind: "altered",
    });
  });
});
