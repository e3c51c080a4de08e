// Which artifacts a change touches (PRODUCT.md "Concepts"): a changed path, on either side of a
// rename, that lies under a directory matched by a kind's `roots`, unless the kind ignores it.
import type { ChangedFile } from "../facts/types.js";
import { POLICY_KIND } from "../gates/approvals.js";
import { globMatcher, ignoreMatcher } from "../gates/content-files.js";
import { MANIFEST_FILE } from "../gates/evidence-file.js";
import { POLICY_PATH, type Policy } from "../policy/schema.js";

export interface Candidate {
  root: string;
  kind: string;
  /** Changed paths under the root that the kind does not ignore. */
  paths: string[];
  /** Changed paths under the root that the kind ignores (they still count if they are evidence). */
  ignored: string[];
  /**
   * A changed path under the root exists at the head (added, modified, a rename's new path), so
   * the root does too, with no need to list it.
   */
  atHead: boolean;
}

export interface ArtifactResolver {
  /** The artifact a path lies in, or undefined. Cached per directory: the result is shared, read-only. */
  artifactOf(path: string): { root: string; kind: string } | undefined;
  isIgnored(kind: string, path: string): boolean;
}

export function artifactResolver(policy: Policy): ArtifactResolver {
  const kinds = Object.entries(policy.artifacts).map(([kind, spec]) => ({
    kind,
    isRoot: globMatcher(spec.roots),
  }));
  const ignoredBy = new Map(Object.keys(policy.artifacts).map((kind) => [kind, ignoreMatcher(policy, kind)]));
  const dirKind = new Map<string, string | null>();
  const kindOfDir = (dir: string): string | null => {
    let kind = dirKind.get(dir);
    if (kind === undefined) {
      kind = kinds.find((k) => k.isRoot(dir))?.kind ?? null;
      dirKind.set(dir, kind);
    }
    return kind;
  };
  // Files in one directory share their artifact: a PR's thousands of paths sit in far fewer folders.
  const byParent = new Map<string, { root: string; kind: string } | undefined>();
  const artifactOfParent = (parent: string): { root: string; kind: string } | undefined => {
    // The shortest matching ancestor directory is the root: `models/*` makes `models/churn`
    // the artifact of `models/churn/weights/v2.bin`.
    for (let slash = parent.indexOf("/"); ; slash = parent.indexOf("/", slash + 1)) {
      const dir = slash === -1 ? parent : parent.slice(0, slash);
      const kind = kindOfDir(dir);
      if (kind) return { root: dir, kind };
      if (slash === -1) return undefined;
    }
  };
  return {
    artifactOf(path) {
      const slash = path.lastIndexOf("/");
      if (slash === -1) return undefined;
      const parent = path.slice(0, slash);
      if (byParent.has(parent)) return byParent.get(parent);
      const found = artifactOfParent(parent);
      byParent.set(parent, found);
      return found;
    },
    isIgnored(kind, path) {
      return ignoredBy.get(kind)?.(path) ?? false;
    },
  };
}

/** Every artifact with a changed path under it, and the policy pseudo-artifact when edited. */
export function touchedCandidates(changes: readonly ChangedFile[], resolver: ArtifactResolver): Candidate[] {
  const byRoot = new Map<string, Candidate>();
  const add = (path: string, change: ChangedFile) => {
    const found = path === POLICY_PATH ? { root: POLICY_PATH, kind: POLICY_KIND } : resolver.artifactOf(path);
    if (!found) return;
    let candidate = byRoot.get(found.root);
    if (!candidate) {
      candidate = { ...found, paths: [], ignored: [], atHead: false };
      byRoot.set(found.root, candidate);
    }
    if (path === change.path && change.status !== "removed") candidate.atHead = true;
    const ignored =
      found.kind !== POLICY_KIND &&
      resolver.isIgnored(found.kind, path) &&
      path !== `${found.root}/${MANIFEST_FILE}`;
    (ignored ? candidate.ignored : candidate.paths).push(path);
  };
  for (const change of changes) {
    add(change.path, change);
    if (change.previousPath && change.previousPath !== change.path) add(change.previousPath, change);
  }
  return [...byRoot.values()].sort((a, b) => a.root.localeCompare(b.root));
}
