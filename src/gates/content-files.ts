// An artifact's content files: what an evaluation evaluates. Everything under the root except
// the manifest, evidence files and ignored paths.
import type { TreeEntry } from "../facts/types.js";
import { appliedEvidenceFiles, evidenceMatcher } from "./evidence-paths.js";
import { ignoreMatcher } from "./globs.js";
import type { PolicyScope, TouchedArtifact } from "./types.js";

export { globMatcher, ignoreMatcher } from "./globs.js";

/**
 * Decides, for a path under the artifact, whether it is a content file: symlinks and submodules
 * included. Only the evidence of gates that apply to the artifact is left out.
 */
export function contentFileTest(scope: PolicyScope, artifact: TouchedArtifact): (path: string) => boolean {
  // Evidence named with a trailing `/` is a folder (evaluation's `.eval_results/`): all it holds.
  const isEvidence = evidenceMatcher(appliedEvidenceFiles(scope, artifact));
  const ignored = ignoreMatcher(scope, artifact.kind);
  return (path) => !isEvidence(path) && !ignored(path);
}

/** Content files at one side, keyed by path relative to the root, with their blob SHAs. */
export function contentFiles(
  scope: PolicyScope,
  artifact: TouchedArtifact,
  tree: readonly TreeEntry[],
): Map<string, string> {
  const isContent = contentFileTest(scope, artifact);
  const prefix = `${artifact.root}/`;
  const files = new Map<string, string>();
  for (const entry of tree) {
    if (entry.path.startsWith(prefix) && isContent(entry.path))
      files.set(entry.path.slice(prefix.length), entry.sha);
  }
  return files;
}
