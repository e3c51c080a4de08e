// Which artifacts a change touches (PRODUCT.md "Concepts"): a changed path, on either side of a
// rename, that lies under a directory matched by a kind's `roots`, unless the kind ignores it.
import picomatch from "picomatch";
import type { ChangedFile } from "../facts/types.js";
import { POLICY_KIND } from "../gates/approvals.js";
import { ignoreMatcher } from "../gates/content-files.js";
import { MANIFEST_FILE } from "../gates/evidence-file.js";
import { POLICY_PATH, type Policy } from "../policy/schema.js";

export interface Candidate {
  root: string;
  kind: string;
  /** Changed paths under the root that the kind does not ignore. */
  paths: string[];
  /** Changed paths under the root that the kind ignores (they still count if they are evidence). */
  ignored: string[];
}

export interface ArtifactResolver {
  /** The artifact a path lies in, or undefined. Cached per directory. */
  artifactOf(path: string): { root: string; kind: string } | undefined;
  isIgnored(kind: string, path: string): boolean;
}

export function artifactResolver(policy: Policy): ArtifactResolver {
  const kinds = Object.entries(policy.artifacts).map(([kind, spec]) => ({
    kind,
    isRoot: picomatch(spec.roots, { dot: true }),
    isIgnored: ignoreMatcher(policy, kind),
  }));
  const dirKind = new Map<string, string | null>();
  const kindOfDir = (dir: string): string | null => {
    let kind = dirKind.get(dir);
    if (kind === undefined) {
      kind = kinds.find((k) => k.isRoot(dir))?.kind ?? null;
      dirKind.set(dir, kind);
    }
    return kind;
  };
  return {
    artifactOf(path) {
      // The shortest matching ancestor directory is the root: `models/*` makes `models/churn`
      // the artifact of `models/churn/weights/v2.bin`.
      let slash = path.indexOf("/");
      while (slash !== -1) {
        const dir = path.slice(0, slash);
        const kind = kindOfDir(dir);
        if (kind) return { root: dir, kind };
        slash = path.indexOf("/", slash + 1);
      }
      return undefined;
    },
    isIgnored(kind, path) {
      return kinds.find((k) => k.kind === kind)?.isIgnored(path) ?? false;
    },
  };
}

/** Every artifact with a changed path under it, and the policy pseudo-artifact when edited. */
export function touchedCandidates(changes: readonly ChangedFile[], resolver: ArtifactResolver): Candidate[] {
  const byRoot = new Map<string, Candidate>();
  for (const change of changes) {
    const sides =
      change.previousPath && change.previousPath !== change.path
        ? [change.path, change.previousPath]
        : [change.path];
    for (const path of sides) {
      const found =
        path === POLICY_PATH ? { root: POLICY_PATH, kind: POLICY_KIND } : resolver.artifactOf(path);
      if (!found) continue;
      let candidate = byRoot.get(found.root);
      if (!candidate) {
        candidate = { ...found, paths: [], ignored: [] };
        byRoot.set(found.root, candidate);
      }
      const ignored =
        found.kind !== POLICY_KIND &&
        resolver.isIgnored(found.kind, path) &&
        path !== `${found.root}/${MANIFEST_FILE}`;
      (ignored ? candidate.ignored : candidate.paths).push(path);
    }
  }
  return [...byRoot.values()].sort((a, b) => a.root.localeCompare(b.root));
}
