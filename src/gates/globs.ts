// Glob matching for repository paths: the kinds' roots and ignore globs, compiled once.
import picomatch from "picomatch";
import { isPlainPath } from "../evidence/manifest.js";
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
    ending: ANY_FILE_ENDING.exec(glob)?.[1],
  }));
  return (path) => {
    if (path === "") return false;
    for (const { glob, regex, ending } of compiled) {
      // `**/*.md`, the commonest ignore glob, is a file name ending: a plain path ends with it or
      // does not match. A path with an empty, `.` or `..` segment, or a line break (which picomatch's
      // `.` does not match), goes to the expression.
      if (ending !== undefined && isPlainPath(path) && !LINE_BREAK.test(path)) {
        if (path.endsWith(ending)) return true;
      } else if (path === glob || regex.test(path)) return true;
    }
    return false;
  };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;
/** A glob for any file with a literal name ending (two stars, a slash, a star, `.md`): its ending. */
const ANY_FILE_ENDING = /^\*\*\/\*(\.[A-Za-z0-9_.-]+)$/;
