// Glob matching for repository paths: the kinds' roots and ignore globs, compiled once.
import picomatch from "picomatch";
import type { Policy } from "../policy/schema.js";

const compiled = new WeakMap<Policy, Map<string, (path: string) => boolean>>();

/**
 * A matcher for a kind's `ignore` globs (repository-relative paths); never matches without globs.
 * Compiled once per policy and kind: compiling globs costs far more than matching them.
 */
export function ignoreMatcher(policy: Policy, kind: string): (path: string) => boolean {
  let byKind = compiled.get(policy);
  if (!byKind) {
    byKind = new Map();
    compiled.set(policy, byKind);
  }
  let matcher = byKind.get(kind);
  if (!matcher) {
    const globs = policy.artifacts[kind]?.ignore ?? [];
    matcher = globs.length === 0 ? () => false : globMatcher(globs);
    byKind.set(kind, matcher);
  }
  return matcher;
}

/**
 * `picomatch(globs, { dot: true })` for repository paths, which always use `/`. picomatch's own
 * matcher builds a result object on every call; a PR's every changed path is tested, so this
 * tests the same compiled expressions directly, with picomatch's exact-text shortcut.
 */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const compiled = globs.map((glob) => ({
    glob,
    regex: picomatch.makeRe(glob, { dot: true, windows: false }),
  }));
  return (path) => {
    if (path === "") return false;
    for (const { glob, regex } of compiled) if (path === glob || regex.test(path)) return true;
    return false;
  };
}
