// An artifact's content files: what an evaluation evaluates. Everything under the root except
// the manifest, evidence files and ignored paths.
import type { TreeEntry } from "../facts/types.js";
import type { Policy } from "../policy/schema.js";
import { appliedEvidenceFiles } from "./evidence-paths.js";
import { ignoreMatcher } from "./globs.js";
import type { TouchedArtifact } from "./types.js";

export { globMatcher, ignoreMatcher } from "./globs.js";

/**
 * Decides, for a path under the artifact, whether it is a content file: symlinks and submodules
 * included. Only the evidence of gates that apply to the artifact is left out.
 */
export function contentFileTest(artifact: TouchedArtifact, policy: Policy): (path: string) => boolean {
  const evidence = appliedEvidenceFiles(artifact, policy);
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
