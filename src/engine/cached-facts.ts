// Fetch once: every read of one evaluation goes through this cache, so gates can ask for the same
// file or tree as often as they like without another git process or GitHub request.
import { type Memo, memo } from "../facts/memo.js";
import type { Facts, Side } from "../facts/types.js";

export function cachedFacts(facts: Facts): Facts {
  // One memo per side: keys are the paths themselves, with no key string to build per read.
  const reads: Record<Side, Memo> = { base: memo(), head: memo() };
  const lists: Record<Side, Memo> = { base: memo(), head: memo() };
  const kinds: Record<Side, Memo> = { base: memo(), head: memo() };
  const changes = memo();
  return {
    ...(facts.baseSha ? { baseSha: facts.baseSha } : {}),
    ...(facts.headSha ? { headSha: facts.headSha } : {}),
    ...(facts.people ? { people: facts.people } : {}),
    changedFiles: () => changes("", () => facts.changedFiles()),
    readFile: (side, path) => reads[side](path, () => facts.readFile(side, path)),
    listFiles: (side, dir) => lists[side](dir, () => facts.listFiles(side, dir)),
    entryKind: (side, path) => kinds[side](path, () => facts.entryKind(side, path)),
  };
}
