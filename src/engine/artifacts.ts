// From a candidate root to a TouchedArtifact: its manifest at both sides, its tier, what its root
// is at the head (removed, a directory, a single file, a link or submodule), the links and
// submodules under it, and whether an ignored-only change still touches it because it edits evidence.

import { readManifest } from "../evidence/manifest.js";
import type { Manifest } from "../evidence/types.js";
import {
  type EvidenceText,
  evidenceFiles,
  evidenceMatcher,
  joinUnderRoot,
  MANIFEST_FILE,
  readEvidenceText,
} from "../gates/evidence-file.js";
import type { GateScope, TouchedArtifact } from "../gates/types.js";
import type { LocatedError } from "../policy/located.js";
import { isPseudoKind } from "../policy/pseudo-kinds.js";
import { TIERS, type Tier } from "../policy/schema.js";
import { candidateEntries } from "./entries.js";
import type { Candidate } from "./touched.js";

interface ManifestRead {
  manifest?: Manifest;
  errors: LocatedError[];
}

function parseManifest(path: string, read: EvidenceText): ManifestRead {
  if (!read.ok) return { errors: read.missing ? [] : [{ path, line: 1, message: read.reason }] };
  const parsed = readManifest(path, read.text);
  return parsed.ok ? { manifest: parsed.value, errors: [] } : { errors: parsed.errors };
}

/** The highest of the tiers given ("low" when none is). */
export function higherTier(...tiers: Array<Tier | undefined>): Tier {
  return tiers.reduce<Tier>((high, t) => (t && TIERS.indexOf(t) > TIERS.indexOf(high) ? t : high), "low");
}

/**
 * Every candidate is described, even one whose only changes are ignored files that are not
 * evidence: `touches` then says whether it counts (links found later can still make it count).
 */
export async function describeArtifact(scope: GateScope, candidate: Candidate): Promise<TouchedArtifact> {
  const { policy, facts } = scope;
  if (isPseudoKind(candidate.kind)) {
    const read = await facts.readFile("head", candidate.root);
    return {
      root: candidate.root,
      kind: candidate.kind,
      tier: "high",
      removed: read.kind === "missing",
      rootEntry: read.kind === "missing" ? "missing" : "file",
      owners: [],
      hiddenEntries: [],
      manifestErrors: [],
      changedPaths: candidate.paths,
    };
  }
  const path = joinUnderRoot(candidate.root, MANIFEST_FILE);
  // Asked together: a batching source answers the entries and both manifests in one request.
  const [entries, headText, baseText] = await Promise.all([
    candidateEntries(facts, candidate),
    readEvidenceText(scope, path, "head"),
    readEvidenceText(scope, path, "base"),
  ]);
  const removed = entries.rootEntry === "missing";
  const base = parseManifest(path, baseText);
  // Most PRs leave the manifest alone: the same text parses to the same manifest.
  const unchanged = headText.ok && baseText.ok && headText.text === baseText.text;
  const head = removed ? { errors: [] } : unchanged ? base : parseManifest(path, headText);
  if (!removed && !headText.ok && headText.missing && baseText.ok) {
    // The artifact stays, its manifest goes: its tier, data categories and evidence paths with it.
    head.errors.push({
      path,
      message: `${MANIFEST_FILE} was removed, but the artifact remains: keep its manifest`,
    });
  }
  const manifest = removed ? base.manifest : head.manifest;
  const kindTier = policy.artifacts[candidate.kind]?.tier ?? "low";
  const artifact: TouchedArtifact = {
    root: candidate.root,
    kind: candidate.kind,
    // A manifest can raise the kind's tier, never lower it, and a PR cannot drop its own raise.
    tier: higherTier(kindTier, head.manifest?.tier, base.manifest?.tier),
    heldTiers: [
      ...new Set([
        kindTier,
        higherTier(kindTier, base.manifest?.tier),
        higherTier(kindTier, head.manifest?.tier, base.manifest?.tier),
      ]),
    ],
    removed,
    ...(manifest ? { manifest } : {}),
    ...(base.manifest
      ? { baseManifest: base.manifest, baseTier: higherTier(kindTier, base.manifest.tier) }
      : {}),
    rootEntry: entries.rootEntry,
    hiddenEntries: entries.hidden,
    owners: base.manifest?.owners ?? head.manifest?.owners ?? [],
    manifestErrors: head.errors,
    changedPaths: candidate.paths,
  };
  if (candidate.ignored.length > 0) {
    // Ignored paths still touch the artifact when they are evidence, or a link or submodule.
    const isEvidence = evidenceMatcher(evidenceFiles(scope, artifact));
    const hidden = new Set(entries.hidden.map((e) => e.path));
    const counted = candidate.ignored.filter((p) => isEvidence(p) || hidden.has(p));
    if (counted.length > 0) artifact.changedPaths = [...candidate.paths, ...counted].sort();
  }
  return artifact;
}

/** Whether the artifact is touched: a governed path under it changed, or a link under it counts. */
export function touches(artifact: TouchedArtifact): boolean {
  return artifact.changedPaths.length > 0 || artifact.hiddenEntries.length > 0;
}
