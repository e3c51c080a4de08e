// The files an evaluation read, each with its git blob SHA, for the audit record: the facts the
// engine gets are wrapped so every successful read is noted on its way through. The GitHub source
// gives the blob's SHA with its content; where a source does not, it is computed from the bytes.
import { gitBlobSha } from "../facts/blob-sha.js";
import type { Facts } from "../facts/types.js";
import type { EvidenceRead } from "./types.js";

export interface NotedReads<F extends Facts> {
  /** The facts to evaluate with: the same answers, every file read noted. */
  facts: F;
  /** What was read so far, in the order of the reads. */
  reads(): EvidenceRead[];
}

export function noteReads<F extends Facts>(source: F): NotedReads<F> {
  const reads: EvidenceRead[] = [];
  // Everything else (the base SHA that becomes known, the people, the app's own questions) is
  // the source's: only readFile is looked at.
  const facts = new Proxy(source, {
    get(target, key, receiver) {
      if (key !== "readFile") return Reflect.get(target, key, receiver);
      return async (side: "base" | "head", path: string) => {
        const read = await target.readFile(side, path);
        if (read.kind === "ok") reads.push({ side, path, blobSha: read.sha ?? gitBlobSha(read.bytes) });
        return read;
      };
    },
  });
  return { facts, reads: () => [...reads] };
}
