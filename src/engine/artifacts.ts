// From a candidate root to a TouchedArtifact: its manifest, its tier, whether it was removed, and
// whether an ignored-only change still touches it because it edits evidence.
import { posix } from "node:path";
import { readManifest } from "../evidence/manifest.js";
import type { Manifest } from "../evidence/types.js";
import type { Facts } from "../facts/types.js";
import { POLICY_KIND } from "../gates/approvals.js";
import { type EvidenceText, evidenceFiles, MANIFEST_FILE, readEvidenceText } from "../gates/evidence-file.js";
import type { GateScope, TouchedArtifact } from "../gates/types.js";
import type { LocatedError } from "../policy/located.js";
import { TIERS, type Tier } from "../policy/schema.js";
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

function higherTier(...tiers: Array<Tier | undefined>): Tier {
  return tiers.reduce<Tier>((high, t) => (t && TIERS.indexOf(t) > TIERS.indexOf(high) ? t : high), "low");
}

/** Whether the root still exists at the head; the change list often says so without a listing. */
async function exists(facts: Facts, candidate: Candidate): Promise<boolean> {
  return candidate.atHead || (await facts.listFiles("head", candidate.root)).length > 0;
}

/** Undefined when the candidate's only changes are ignored files that are not evidence. */
export async function describeArtifact(
  scope: GateScope,
  candidate: Candidate,
): Promise<TouchedArtifact | undefined> {
  const { policy, facts } = scope;
  if (candidate.kind === POLICY_KIND) {
    const read = await facts.readFile("head", candidate.root);
    return {
      root: candidate.root,
      kind: POLICY_KIND,
      tier: "high",
      removed: read.kind === "missing",
      owners: [],
      manifestErrors: [],
      changedPaths: candidate.paths,
    };
  }
  const removed = !(await exists(facts, candidate));
  const path = posix.join(candidate.root, MANIFEST_FILE);
  const [headText, baseText] = await Promise.all([
    removed ? undefined : readEvidenceText(scope, path, "head"),
    readEvidenceText(scope, path, "base"),
  ]);
  const base = parseManifest(path, baseText);
  // Most PRs leave the manifest alone: the same text parses to the same manifest.
  const unchanged = headText?.ok && baseText.ok && headText.text === baseText.text;
  const head = !headText ? { errors: [] } : unchanged ? base : parseManifest(path, headText);
  const manifest = removed ? base.manifest : head.manifest;
  const artifact: TouchedArtifact = {
    root: candidate.root,
    kind: candidate.kind,
    // A manifest can raise the kind's tier, never lower it, and a PR cannot drop its own raise.
    tier: higherTier(policy.artifacts[candidate.kind]?.tier, head.manifest?.tier, base.manifest?.tier),
    removed,
    ...(manifest ? { manifest } : {}),
    owners: base.manifest?.owners ?? head.manifest?.owners ?? [],
    manifestErrors: removed ? [] : head.errors,
    changedPaths: candidate.paths,
  };
  if (candidate.ignored.length > 0) {
    const evidence = evidenceFiles(artifact, policy);
    artifact.changedPaths = [...candidate.paths, ...candidate.ignored.filter((p) => evidence.has(p))].sort();
  }
  return artifact.changedPaths.length > 0 ? artifact : undefined;
}
