// The artifacts a PR touches, described: the candidates its changed paths name, plus those whose
// symbolic links a change outside every governed artifact may redirect (engine/entries.ts).
import type { ChangeList } from "../facts/types.js";
import type { GateScope, TouchedArtifact } from "../gates/types.js";
import type { LocatedError } from "../policy/located.js";
import { describeArtifact, touches } from "./artifacts.js";
import { redirectableLinks } from "./entries.js";
import { prefetchEvidence } from "./prefetch.js";
import { type ArtifactResolver, type Candidate, touchedCandidates } from "./touched.js";

export interface TouchedArtifacts {
  artifacts: TouchedArtifact[];
  /** Why the search for redirected links could not be made, which blocks the PR. */
  errors: LocatedError[];
}

export async function touchedArtifacts(
  scope: GateScope,
  resolver: ArtifactResolver,
  changes: ChangeList,
): Promise<TouchedArtifacts> {
  const { facts, policy } = scope;
  const { candidates, outside } = touchedCandidates(changes.files, resolver);
  // The base tree is listed only when a change lies outside every governed artifact; meanwhile the
  // candidates are described, their reads all asked in this turn. Handled at once: a failed
  // listing must not surface as an unhandled rejection while the descriptions are awaited.
  const none = new Map<string, { kind: string; links: string[] }>();
  const links = (outside ? redirectableLinks(facts, resolver) : Promise.resolve(none)).then(
    (found) => ({ found, error: undefined }),
    (error: Error) => ({ found: none, error }),
  );
  prefetchEvidence(facts, policy, candidates);
  const described = await Promise.all(candidates.map((c) => describeArtifact(scope, c)));
  const byRoot = new Map(described.map((artifact) => [artifact.root, artifact]));
  const { found, error } = await links;
  const linked: Candidate[] = [];
  for (const [root, { kind }] of found) {
    if (!byRoot.has(root)) linked.push({ root, kind, paths: [], ignored: [], atHead: [] });
  }
  prefetchEvidence(facts, policy, linked);
  for (const artifact of await Promise.all(linked.map((c) => describeArtifact(scope, c))))
    byRoot.set(artifact.root, artifact);
  for (const [root, { links: paths }] of found) {
    const artifact = byRoot.get(root) as TouchedArtifact;
    for (const path of paths) {
      if (!artifact.hiddenEntries.some((e) => e.path === path))
        artifact.hiddenEntries.push({ path, kind: "symlink", changed: false });
    }
  }
  const errors: LocatedError[] = error
    ? [
        {
          path: "",
          message: `the base tree could not be listed to find symbolic links under governed roots, which this pull request's other changes may redirect: ${error.message}`,
        },
      ]
    : [];
  const artifacts = [...byRoot.values()].filter(touches).sort((a, b) => a.root.localeCompare(b.root));
  return { artifacts, errors };
}
