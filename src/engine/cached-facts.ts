// Fetch once: every read of one evaluation goes through this cache, so gates can ask for the same
// file or tree as often as they like without another git process or GitHub request.
import type { Facts, Side } from "../facts/types.js";

export function cachedFacts(facts: Facts): Facts {
  // One map per side: keys are the paths themselves, with no key string to build per read.
  const reads: Record<Side, Map<string, ReturnType<Facts["readFile"]>>> = {
    base: new Map(),
    head: new Map(),
  };
  const lists: Record<Side, Map<string, ReturnType<Facts["listFiles"]>>> = {
    base: new Map(),
    head: new Map(),
  };
  const kinds: Record<Side, Map<string, ReturnType<Facts["entryKind"]>>> = {
    base: new Map(),
    head: new Map(),
  };
  let changes: ReturnType<Facts["changedFiles"]> | undefined;
  return {
    ...(facts.baseSha ? { baseSha: facts.baseSha } : {}),
    ...(facts.headSha ? { headSha: facts.headSha } : {}),
    ...(facts.people ? { people: facts.people } : {}),
    changedFiles: () => {
      changes ??= facts.changedFiles();
      return changes;
    },
    readFile: (side, path) => once(reads[side], path, () => facts.readFile(side, path)),
    listFiles: (side, dir) => once(lists[side], dir, () => facts.listFiles(side, dir)),
    entryKind: (side, path) => once(kinds[side], path, () => facts.entryKind(side, path)),
  };
}

/** A per-evaluation memo for computed values (parsed CODEOWNERS, team membership…). */
export function memoizer(): <T>(key: string, compute: () => Promise<T>) => Promise<T> {
  const values = new Map<string, Promise<unknown>>();
  return <T>(key: string, compute: () => Promise<T>) => once(values, key, compute) as Promise<T>;
}

function once<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}
