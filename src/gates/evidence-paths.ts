// Where an artifact's evidence lives: the manifest may name another path than the policy's
// default, the path must stay inside the artifact root, and the base's own paths are the ones
// every comparison with the base reads.

import { posix } from "node:path";
import { evaluatedFilePath } from "../evidence/eval/evaluated-file.js";
import { evidencePathProblem, isPlainPath } from "../evidence/manifest.js";
import type { Manifest } from "../evidence/types.js";
import type { Side } from "../facts/types.js";
import { type Policy, TIERS, type Tier } from "../policy/schema.js";
import { appliesToTier } from "./tiers.js";
import type { FileAt, PolicyScope, TouchedArtifact } from "./types.js";

export const MANIFEST_FILE = "artifact.yml";

/**
 * `relative` under an artifact's root, in normal form; a trailing `/` (a folder) is kept. Callers
 * have checked that `relative` stays inside. Plain paths, nearly all of them, skip posix.join.
 */
export function joinUnderRoot(root: string, relative: string): string {
  return isPlainPath(relative) && root !== "" ? `${root}/${relative}` : posix.join(root, relative);
}

type EvidencePath = { ok: true; path: string } | { ok: false; reason: string };

function pathIn(
  root: string,
  manifest: Manifest | undefined,
  gate: string,
  defaultFile: string,
): EvidencePath {
  // Own keys only: a gate named `constructor` must not find Object.prototype's.
  const named = manifest && Object.hasOwn(manifest.evidence, gate) ? manifest.evidence[gate] : undefined;
  const relative = named ?? defaultFile;
  // Evaluation results may be a `.eval_results/` folder; every other gate reads one file.
  const problem = evidencePathProblem(relative, { folder: gate === "evaluation" });
  if (problem) return { ok: false, reason: `the ${gate} evidence path '${relative}' ${problem}` };
  return { ok: true, path: joinUnderRoot(root, relative) };
}

/** The repository path of a gate's evidence for an artifact, or why it cannot be used. */
export function evidencePath(artifact: TouchedArtifact, gate: string, defaultFile: string): EvidencePath {
  return pathIn(artifact.root, artifact.manifest, gate, defaultFile);
}

/**
 * Where the base branch keeps a gate's evidence: the base manifest's path, or the policy's
 * default. Comparisons with the base read this file, never one the PR's manifest names.
 */
export function baseEvidencePath(
  artifact: TouchedArtifact,
  gate: string,
  defaultFile: string,
): string | undefined {
  const where = pathIn(artifact.root, artifact.baseManifest, gate, defaultFile);
  return where.ok ? where.path : undefined;
}

interface GateFile {
  /** A builtin gate's name, or a document gate's. */
  gate: string;
  file: string;
  tiers?: readonly string[] | undefined;
}

// Per policy, once: every artifact's evidence sets ask for the same list.
const filesOfGates = new WeakMap<Policy, GateFile[]>();

function gateFiles(policy: Policy): GateFile[] {
  let files = filesOfGates.get(policy);
  if (!files) {
    files = listGateFiles(policy);
    filesOfGates.set(policy, files);
  }
  return files;
}

function listGateFiles(policy: Policy): GateFile[] {
  const { documents, ...builtin } = policy.gates;
  const files: GateFile[] = [];
  for (const [gate, config] of Object.entries(builtin)) {
    if (config && "file" in config && config.file)
      files.push({ gate, file: config.file, tiers: config.tiers });
  }
  // Document gates are evidence like the builtin ones: governed, and never an artifact's content.
  for (const [gate, config] of Object.entries(documents ?? {})) {
    files.push({ gate, file: config.file, tiers: config.tiers });
  }
  return files;
}

interface EvidenceSets {
  all: Set<string>;
  applied: Set<string>;
}

/**
 * Several steps of one evaluation ask for an artifact's evidence files; they are the same each
 * time, as an artifact's root and manifests do not change once it is described. `side` says which
 * manifest names the paths: the head's (the artifact's own) or the base's.
 */
function evidenceSets(scope: PolicyScope, artifact: TouchedArtifact, side: Side): EvidenceSets {
  return scope.memo(`evidence-files:${side}:${artifact.root}`, () => {
    const manifest = side === "head" ? artifact.manifest : artifact.baseManifest;
    const manifestPath = joinUnderRoot(artifact.root, MANIFEST_FILE);
    const sets = { all: new Set([manifestPath]), applied: new Set([manifestPath]) };
    for (const { gate, file, tiers } of gateFiles(scope.policy)) {
      const path = pathIn(artifact.root, manifest, gate, file);
      if (!path.ok) continue;
      // Evaluation results bring their `evaluated.yml` (bind: digest for formats but native).
      const paths = gate === "evaluation" ? [path.path, evaluatedFilePath(path.path)] : [path.path];
      for (const p of paths) {
        sets.all.add(p);
        if (appliesToTier(tiers, artifact)) sets.applied.add(p);
      }
    }
    return sets;
  });
}

/** What a results folder holds: its `*.yaml`/`*.yml` files, directly in it. */
export const RESULTS_FILE = /\.ya?ml$/i;

/**
 * Whether `path` is one of the files a results folder (`folder`, named with its trailing `/`)
 * holds: a `*.yaml`/`*.yml` directly in it, the files its reader reads. Anything else under the
 * folder (a subfolder's files, model code) is not results, whatever the manifest says.
 */
export function isInResultsFolder(folder: string, path: string): boolean {
  return (
    path.length > folder.length &&
    path.startsWith(folder) &&
    !path.includes("/", folder.length) &&
    RESULTS_FILE.test(path)
  );
}

/**
 * A test for "is this path evidence": one of `paths`, or a results file in one that names a
 * folder (a path ending in `/`, evaluation's `.eval_results/`): a `*.yaml` directly in it, never
 * whatever else lies under it. Only the path's own folder is looked up.
 */
export function evidenceMatcher(paths: Iterable<string>): (path: string) => boolean {
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const path of paths) (path.endsWith("/") ? folders : files).add(path);
  if (folders.size === 0) return (path) => files.has(path);
  return (path) => {
    if (files.has(path)) return true;
    const folder = path.slice(0, path.lastIndexOf("/") + 1);
    return folder !== "" && folders.has(folder) && isInResultsFolder(folder, path);
  };
}

/**
 * Every evidence file of the artifact under the policy's gates, plus its manifest: changes to
 * them are governed (they touch the artifact and make earlier approvals stale), ignored or not.
 */
export function evidenceFiles(scope: PolicyScope, artifact: TouchedArtifact): ReadonlySet<string> {
  return evidenceSets(scope, artifact, "head").all;
}

/**
 * The manifest and the evidence files of the gates that apply to the artifact's tier: the files
 * left out of its content. A gate that does not apply cannot make a content file evidence. At
 * `base`, the paths the base manifest names.
 */
export function appliedEvidenceFiles(
  scope: PolicyScope,
  artifact: TouchedArtifact,
  side: Side = "head",
): ReadonlySet<string> {
  return evidenceSets(scope, artifact, side).applied;
}

/**
 * Where a gate's evidence is read for an artifact whose tier is at least `lowest`, under the
 * policy's default file; `sides` the sides it is read at. Empty when no such tier needs the gate.
 */
export function defaultEvidenceReads(
  config: { file: string; tiers?: readonly Tier[] | undefined } | undefined,
  root: string,
  lowest: Tier,
  sides: readonly Side[],
): FileAt[] {
  if (!config) return [];
  const floor = TIERS.indexOf(lowest);
  if (config.tiers && !config.tiers.some((tier) => TIERS.indexOf(tier) >= floor)) return [];
  const path = joinUnderRoot(root, config.file);
  return sides.map((side) => ({ side, path }));
}
