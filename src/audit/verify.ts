// Checks a chain: records in sequence order in, the count and head hash out, or the first record
// that was altered, is missing, or was moved. Pure: it reads only the records it is given, so
// `audit verify`, the tests and an auditor's copy of an export all judge the same way.
import { GENESIS_HASH, recordHash } from "./chain.js";
import type { AuditRecord } from "./types.js";

export interface ChainProblem {
  /** The first position in the chain that is wrong. */
  sequence: number;
  kind: "altered" | "missing" | "reordered";
  message: string;
}

export interface ChainReport {
  /** True when no problem was found. */
  ok: boolean;
  count: number;
  /** The last record's hash (GENESIS_HASH for an empty chain): keep it to prove later that nothing after was cut. */
  headHash: string;
  problem?: ChainProblem;
}

/** Verifies records held in memory (an array, a parsed export). */
export function verifyChain(records: Iterable<AuditRecord>): ChainReport {
  const check = new ChainCheck();
  for (const record of records) check.add(record);
  return check.report();
}

/** Verifies records as a store streams them, without holding them all. */
export async function verifyChainOf(records: AsyncIterable<AuditRecord>): Promise<ChainReport> {
  const check = new ChainCheck();
  for await (const record of records) check.add(record);
  return check.report();
}

/**
 * One pass. After the first problem the pass goes on only to note each record's link (its hash
 * and the hash it chains to, ~130 bytes a record): a record whose content matches its hash only at
 * the place its link puts it in the original chain was moved ("reordered"), not edited ("altered").
 */
export class ChainCheck {
  private count = 0;
  private headHash = GENESIS_HASH;
  private previousHash = GENESIS_HASH;
  private problem: ChainProblem | undefined;
  /** The first record whose content does not match its hash: judged once every link is known. */
  private suspect: { position: number; record: AuditRecord | undefined } | undefined;
  /** previousHash → hash: the chain as the records themselves link it, whatever their order. */
  private readonly next = new Map<string, string>();

  add(record: AuditRecord): void {
    this.addStored(
      record,
      () => undefined,
      () => record,
    );
  }

  /**
   * A record as a store holds it: its links, a quick hash of its content as stored (when it
   * equals the record's hash, the content is proven without reading it), and the content read in
   * full for when it does not (undefined: unreadable, so altered).
   */
  addStored(
    record: Pick<AuditRecord, "sequence" | "previousHash" | "hash">,
    quickHash: () => string | undefined,
    content: () => AuditRecord | undefined,
  ): void {
    this.count++;
    const position = this.count;
    this.headHash = record.hash;
    if (this.problem) return;
    this.next.set(record.previousHash, record.hash);
    if (this.suspect) return;
    if (record.sequence !== position) {
      if (typeof record.sequence === "number" && record.sequence > position) {
        const gap =
          record.sequence - position === 1
            ? `record ${position} is`
            : `records ${position} to ${record.sequence - 1} are`;
        this.problem = {
          sequence: position,
          kind: "missing",
          message: `${gap} missing: the chain goes from ${position - 1} to ${record.sequence}`,
        };
      } else {
        this.problem = {
          sequence: position,
          kind: "reordered",
          message: `record ${JSON.stringify(record.sequence)} comes where record ${position} should be`,
        };
      }
      return;
    }
    if (quickHash() !== record.hash) {
      const full = content();
      if (full === undefined || safeHash(full) !== record.hash) {
        this.suspect = { position, record: full };
        return;
      }
    }
    if (record.previousHash !== this.previousHash) {
      // Intact itself, but not linked to the record before it: that one was rewritten, its hash
      // recomputed (or, for record 1, the chain does not start at the genesis hash).
      this.problem =
        position === 1
          ? {
              sequence: 1,
              kind: "altered",
              message: "record 1 does not start the chain: its previous hash is not the genesis hash",
            }
          : {
              sequence: position - 1,
              kind: "altered",
              message: `record ${position - 1} was rewritten: it is not the record ${position} is chained to`,
            };
      return;
    }
    this.previousHash = record.hash;
  }

  report(): ChainReport {
    const problem = this.problem ?? (this.suspect && this.judge(this.suspect.position, this.suspect.record));
    return problem
      ? { ok: false, count: this.count, headHash: this.headHash, problem }
      : { ok: true, count: this.count, headHash: this.headHash };
  }

  private judge(position: number, record: AuditRecord | undefined): ChainProblem {
    const original = record && this.depthOf(record.previousHash);
    if (record && original !== undefined && original + 1 !== position) {
      if (safeHash({ ...record, sequence: original + 1 }) === record.hash) {
        return {
          sequence: position,
          kind: "reordered",
          message: `record ${position} holds what was record ${original + 1}: records were moved`,
        };
      }
    }
    return {
      sequence: position,
      kind: "altered",
      message: `record ${position} was altered: its content does not match its hash`,
    };
  }

  /** How many links from the genesis hash `hash` is (0 for the genesis hash), if it is reachable. */
  private depthOf(hash: string): number | undefined {
    let current = GENESIS_HASH;
    for (let depth = 0; depth <= this.count; depth++) {
      if (current === hash) return depth;
      const following = this.next.get(current);
      if (following === undefined) return undefined;
      current = following;
    }
    return undefined;
  }
}

/** A record too broken to encode (a value JSON cannot hold) simply does not match. */
function safeHash(record: AuditRecord): string | undefined {
  try {
    return recordHash(record);
  } catch {
    return undefined;
  }
}
