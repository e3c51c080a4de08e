// Which artifacts a change touches (PRODUCT.md "Concepts"): a changed path, on either side of a
// rename, that lies under a path matched by a kind's `roots` (or is one), unless the kind ignores
// it; and the pseudo-artifacts (the policy file, CODEOWNERS) when edited.
import { CODEOWNERS_LOCATIONS } from "../evidence/codeowners.js";
import { memo } from "../facts/memo.js";
import type { ChangedFile } from "../facts/types.js";
import { MANIFEST_FILE } from "../gates/evidence-file.js";
import { globMatcher, ignoreMatcher } from "../gates/globs.js";
import type { PolicyScope } from "../gates/types.js";
import { CODEOWNERS_KIND, POLICY_KIND } from "../policy/pseudo-kinds.js";
import { POLICY_PATH, type Policy } from "../policy/schema.js";

export interface Candidate {
  root: string;
  kind: string;
  /** Changed paths under the root that the kind does not ignore. */
  paths: string[];
  /** Changed paths under the root that the kind ignores (they still count if they are evidence). */
  ignored: string[];
  /**
   * Changed paths under the root (ignored ones included) that exist at the head: added, modified,
   * a rename's new path. When there is one, so is the root, with no need to ask.
   */
  atHead: string[];
}

export interface ArtifactResolver {
  /**
   * The artifact a path is or lies in, or undefined: the shortest path the roots match among its
   * parent directories, else the path itself (a single file is an artifact too). Cached per
   * directory: the result is shared, read-only.
   */
  artifactOf(path: string): { root: string; kind: string } | undefined;
  /**
   * Whether the artifact's kind ignores a path under it. Its manifest is never ignored: changing
   * owners, tier or data categories is a governed change.
   */
  ignores(artifact: { root: string; kind: string }, path: string): boolean;
  /** The pseudo-artifact kind of a path (the policy file, a governed CODEOWNERS), if any. */
  pseudoKindOf(path: string): string | undefined;
}

export function artifactResolver(scope: PolicyScope): ArtifactResolver {
  const { policy } = scope;
  const kinds = Object.entries(policy.artifacts).map(([kind, spec]) => ({
    kind,
    isRoot: globMatcher(spec.roots),
  }));
  const ignoredBy = new Map(Object.keys(policy.artifacts).map((kind) => [kind, ignoreMatcher(scope, kind)]));
  const dirKinds = memo();
  const kindOfDir = (dir: string): string | undefined =>
    dirKinds(dir, () => kinds.find((k) => k.isRoot(dir))?.kind);
  // Files in one directory share their artifact: a PR's thousands of paths sit in far fewer folders.
  const byParent = memo();
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
      if (slash !== -1) {
        const parent = path.slice(0, slash);
        const found = byParent(parent, () => artifactOfParent(parent));
        if (found) return found;
      }
      // No ancestor is a root: the path itself may be one (`models/evil.onnx` under `models/*`,
      // a symlink or a submodule standing where an artifact directory would).
      const kind = kinds.find((k) => k.isRoot(path))?.kind;
      return kind ? { root: path, kind } : undefined;
    },
    ignores({ root, kind }, path) {
      // The path lies under the root: it is the manifest when it is the root, a slash and the name.
      const manifest = path.length === root.length + MANIFEST_FILE.length + 1 && path.endsWith(MANIFEST_FILE);
      return !manifest && (ignoredBy.get(kind)?.(path) ?? false);
    },
    pseudoKindOf: (path) => pseudoKindOf(policy, path),
  };
}

/** The pseudo-artifact a path is under the policy, if any. */
export function pseudoKindOf(policy: Policy, path: string): string | undefined {
  if (path === POLICY_PATH) return POLICY_KIND;
  if (policy.gates.ownership?.codeowners && (CODEOWNERS_LOCATIONS as readonly string[]).includes(path))
    return CODEOWNERS_KIND;
  return undefined;
}

export interface TouchedCandidates {
  candidates: Candidate[];
  /**
   * Some changed path lies outside every governed artifact (under no root, or ignored by its
   * kind): a symbolic link under a root may point to it.
   */
  outside: boolean;
}

/** Every artifact with a changed path under it, and each pseudo-artifact edited. */
export function touchedCandidates(
  changes: readonly ChangedFile[],
  resolver: ArtifactResolver,
): TouchedCandidates {
  const byRoot = new Map<string, Candidate>();
  let outside = false;
  const add = (path: string, change: ChangedFile) => {
    const pseudo = resolver.pseudoKindOf(path);
    const found = pseudo ? { root: path, kind: pseudo } : resolver.artifactOf(path);
    if (!found || pseudo) outside = true;
    if (!found) return;
    let candidate = byRoot.get(found.root);
    if (!candidate) {
      candidate = { ...found, paths: [], ignored: [], atHead: [] };
      byRoot.set(found.root, candidate);
    }
    if (path === change.path && change.status !== "removed") candidate.atHead.push(path);
    const ignored = !pseudo && resolver.ignores(found, path);
    if (ignored) outside = true;
    (ignored ? candidate.ignored : candidate.paths).push(path);
  };
  for (const change of changes) {
    add(change.path, change);
    if (change.previousPath && change.previousPath !== change.path) add(change.previousPath, change);
  }
  return { candidates: [...byRoot.values()].sort((a, b) => a.root.localeCompare(b.root)), outside };
}
