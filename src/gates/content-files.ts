// An artifact's content files: what an evaluation evaluates. Everything under the root except
// the manifest, evidence files and ignored paths.
import picomatch from "picomatch";
import type { TreeEntry } from "../facts/types.js";
import type { Policy } from "../policy/schema.js";
import { evidenceFiles } from "./evidence-file.js";
import type { TouchedArtifact } from "./types.js";

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

/** Decides, for a path under the artifact, whether it is a content file. */
export function contentFileTest(artifact: TouchedArtifact, policy: Policy): (path: string) => boolean {
  const evidence = evidenceFiles(artifact, policy);
  const ignored = ignoreMatcher(policy, artifact.kind);
  return (path) => !evidence.has(path) && !ignored(path);
}

/** Content files at one side, keyed by path relative to the root, with their blob SHAs. */
export function contentFiles(
  artifact: TouchedArtifact,
  policy: Policy,
  tree: readonly TreeEntry[],
): Map<string, string> {
  const isContent = contentFileTest(artifact, policy);
  const prefix = `${artifact.root}/`;
  const files = new Map<string, string>();
  for (const entry of tree) {
    if (entry.path.startsWith(prefix) && isContent(entry.path))
      files.set(entry.path.slice(prefix.length), entry.sha);
  }
  return files;
}
