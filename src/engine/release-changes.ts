// The governed changes of a release range: each changed path resolved to its artifact by the same
// code that resolves a pull request's touched artifacts (engine/touched.ts), with the commits that
// changed it. An ignored path counts only when it is evidence (or the manifest), as in a PR.
import type { Manifest } from "../evidence/types.js";
import { memo } from "../facts/memo.js";
import type { ChangedFile } from "../facts/types.js";
import { evidenceFiles } from "../gates/evidence-file.js";
import { evidenceMatcher } from "../gates/evidence-paths.js";
import type { TouchedArtifact } from "../gates/types.js";
import type { Policy } from "../policy/schema.js";
import type { GovernedChange } from "./release-types.js";
import { artifactResolver, touchedCandidates } from "./touched.js";

/** A path changed in the range, with the commits that changed it. */
export interface RangeFile extends ChangedFile {
  commits: string[];
}

/**
 * Every changed path that lies in a governed artifact (or is a pseudo-artifact: the policy file, a
 * governed CODEOWNERS). `manifests` gives an artifact's manifest at the release commit, so evidence
 * paths it moves are known; without one the policy's default paths apply.
 */
export function governedChanges(
  policy: Policy,
  files: readonly RangeFile[],
  manifests: (root: string) => Manifest | undefined = () => undefined,
): GovernedChange[] {
  const scope = { policy, memo: memo() };
  const resolver = artifactResolver(scope);
  const changes: GovernedChange[] = [];
  for (const file of files) {
    const { candidates } = touchedCandidates([file], resolver);
    for (const candidate of candidates) {
      const counted = new Set(candidate.paths);
      if (candidate.ignored.length > 0) {
        const manifest = manifests(candidate.root);
        const artifact: TouchedArtifact = {
          root: candidate.root,
          kind: candidate.kind,
          tier: policy.artifacts[candidate.kind]?.tier ?? "low",
          removed: false,
          ...(manifest ? { manifest } : {}),
          rootEntry: "directory",
          hiddenEntries: [],
          owners: [],
          manifestErrors: [],
          changedPaths: [],
        };
        // A results folder (`.eval_results/`) holds evidence in every file below it.
        const isEvidence = evidenceMatcher(evidenceFiles(scope, artifact));
        for (const path of candidate.ignored) if (isEvidence(path)) counted.add(path);
      }
      for (const path of counted) {
        changes.push({
          path,
          ...(path === file.path && file.previousPath && file.previousPath !== file.path
            ? { previousPath: file.previousPath }
            : {}),
          ...(path !== file.path ? { previousPath: file.path } : {}),
          root: candidate.root,
          kind: candidate.kind,
          commits: [...file.commits],
        });
      }
    }
  }
  return changes;
}
