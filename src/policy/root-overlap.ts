// Whether two `roots` globs can reach the same paths, decided without sampling (a sample such as
// `models/x` misses `models/[a-m]*`). A glob only matches paths that start with its literal
// prefix — the folders before its first glob character — so two roots whose prefixes are
// disjoint (neither is the other or one of its ancestors) can never match one path, nor a folder
// of the other's. The test is conservative: it may call two roots overlapping that match nothing
// in common, never the reverse.

/**
 * Anything picomatch may read as syntax, or that makes a character stand for another: wildcards,
 * classes, braces, extglobs, negation and escapes. Counting `+`, `@` and `!` even where picomatch
 * reads them literally only makes the prefix shorter, which stays safe.
 */
const GLOB_SYNTAX = /[*?[\]{}()!+@\\]/;

/**
 * `models/*` → `["models"]`, `models/fraud` → `["models", "fraud"]`, `*` and `{a,b}/c` → `[]`.
 * Stops at the first folder that is not plain text; `.`, `..` and empty folders stop it too,
 * as picomatch does not read them as repository paths do (`./models` matches `models`).
 */
export function literalPrefix(glob: string): string[] {
  const prefix: string[] = [];
  for (const folder of glob.split("/")) {
    if (folder === "" || folder === "." || folder === ".." || GLOB_SYNTAX.test(folder)) break;
    prefix.push(folder);
  }
  return prefix;
}

/** Whether `a` is `b` or one of its ancestor folders (`[]` is the repository's top). */
function isAncestorOrSame(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((folder, i) => folder === b[i]);
}

/** Whether some path one root can match is, contains or lies inside a path the other can match. */
export function rootsMayOverlap(a: string, b: string): boolean {
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  return isAncestorOrSame(pa, pb) || isAncestorOrSame(pb, pa);
}
