// What sits under a governed root (PRODUCT.md "Under a root, everything is governed"): whether the
// root is a directory or a single file, symlink or submodule, and which changed paths under it are
// symbolic links or submodules. Every changed path is asked at once, so a batching source answers
// them together.
import type { EntryKind, Facts } from "../facts/types.js";
import type { HiddenEntry } from "../gates/types.js";
import type { ArtifactResolver, Candidate } from "./touched.js";

export interface ArtifactEntries {
  rootEntry: EntryKind;
  hidden: HiddenEntry[];
}

const isHidden = (kind: EntryKind): kind is HiddenEntry["kind"] => kind === "symlink" || kind === "submodule";

export async function candidateEntries(facts: Facts, candidate: Candidate): Promise<ArtifactEntries> {
  const kinds = await Promise.all(candidate.atHead.map((path) => facts.entryKind("head", path)));
  const hidden: HiddenEntry[] = [];
  let rootEntry: EntryKind | undefined;
  for (const [i, path] of candidate.atHead.entries()) {
    const kind = kinds[i] as EntryKind;
    if (path === candidate.root) rootEntry = kind;
    if (isHidden(kind)) hidden.push({ path, kind, changed: true });
  }
  // A changed path below the root exists at the head, so the root is a directory; with none (only
  // removals), ask what is left.
  rootEntry ??= candidate.atHead.length > 0 ? "directory" : await facts.entryKind("head", candidate.root);
  return { rootEntry, hidden };
}

/**
 * Symbolic links under governed roots that a change outside every governed artifact may have
 * redirected: the base tree's links under a root that are still links at the head. Which file a
 * link reaches is not judged: any such link touches its artifact, and fails it, an existing
 * violation brought to light rather than a new one let in. A submodule needs no such search: its
 * content changes only with its own path. Called only when some changed path is outside.
 */
export async function redirectableLinks(
  facts: Facts,
  resolver: ArtifactResolver,
): Promise<Map<string, { kind: string; links: string[] }>> {
  const byRoot = new Map<string, { kind: string; links: string[] }>();
  const links = (await facts.listFiles("base", "")).filter(
    (entry) => entry.kind === "symlink" && resolver.artifactOf(entry.path) !== undefined,
  );
  const still = await Promise.all(links.map((link) => facts.entryKind("head", link.path)));
  for (const [i, link] of links.entries()) {
    if (still[i] !== "symlink") continue;
    const found = resolver.artifactOf(link.path);
    if (!found) continue;
    const entry = byRoot.get(found.root) ?? { kind: found.kind, links: [] };
    entry.links.push(link.path);
    byRoot.set(found.root, entry);
  }
  return byRoot;
}
