// Glob matching for repository paths: the kinds' roots and ignore globs, compiled once.
import picomatch from "picomatch";
import type { PolicyScope } from "./types.js";

/**
 * A matcher for a kind's `ignore` globs (repository-relative paths); never matches without globs.
 * Compiled once per evaluation and kind: compiling globs costs far more than matching them.
 */
export function ignoreMatcher({ policy, memo }: PolicyScope, kind: string): (path: string) => boolean {
  return memo(`ignore-globs:${kind}`, () => {
    const globs = policy.artifacts[kind]?.ignore ?? [];
    return globs.length === 0 ? () => false : globMatcher(globs);
  });
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
