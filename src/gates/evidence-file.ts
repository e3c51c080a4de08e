// Finding and reading an artifact's evidence file: the manifest may name another path than the
// policy's default, and the path must stay inside the artifact root.
import { posix } from "node:path";
import { evidencePathProblem } from "../evidence/manifest.js";
import { decodeUtf8 } from "../evidence/text.js";
import type { Side } from "../facts/types.js";
import type { LocatedError } from "../policy/located.js";
import type { EvidenceGateName, Policy } from "../policy/schema.js";
import { Findings, skipped } from "./findings.js";
import type { GateInput, GateResult, GateScope, Location, TouchedArtifact } from "./types.js";

export const MANIFEST_FILE = "artifact.yml";

/** The repository path of a gate's evidence for an artifact, or why it cannot be used. */
export function evidencePath(
  artifact: TouchedArtifact,
  gate: EvidenceGateName,
  defaultFile: string,
): { ok: true; path: string } | { ok: false; reason: string } {
  const relative = artifact.manifest?.evidence[gate] ?? defaultFile;
  const problem = evidencePathProblem(relative);
  if (problem) return { ok: false, reason: `the ${gate} evidence path '${relative}' ${problem}` };
  return { ok: true, path: posix.join(artifact.root, posix.normalize(relative)) };
}

// Several steps of one evaluation ask for an artifact's evidence files; they are the same each time,
// as an artifact's root and manifest do not change once it is described.
const evidenceOf = new WeakMap<TouchedArtifact, { policy: Policy; files: ReadonlySet<string> }>();

/** Every evidence file of the artifact under the policy's gates, plus its manifest. */
export function evidenceFiles(artifact: TouchedArtifact, policy: Policy): ReadonlySet<string> {
  const known = evidenceOf.get(artifact);
  if (known?.policy === policy) return known.files;
  const files = new Set([posix.join(artifact.root, MANIFEST_FILE)]);
  for (const [gate, config] of Object.entries(policy.gates)) {
    const file = config && "file" in config ? config.file : undefined;
    const path = file ? evidencePath(artifact, gate as EvidenceGateName, file) : undefined;
    if (path?.ok) files.add(path.path);
  }
  evidenceOf.set(artifact, { policy, files });
  return files;
}

export type EvidenceText =
  | { ok: true; path: string; text: string }
  | { ok: false; missing: boolean; reason: string; location?: Location };

/** Reads an evidence file as UTF-8 text; every way it can fail is a reason, never a throw. */
export async function readEvidenceText(
  input: GateScope,
  path: string,
  side: Side = "head",
): Promise<EvidenceText> {
  const read = await input.facts.readFile(side, path);
  switch (read.kind) {
    case "missing":
      return { ok: false, missing: true, reason: `${path} does not exist` };
    case "too_large":
      return {
        ok: false,
        missing: false,
        reason: `${path} is too large to read (${read.size} bytes; the limit is ${read.limit})`,
        location: { path },
      };
    case "unreadable":
      return {
        ok: false,
        missing: false,
        reason: `${path} cannot be read: ${read.reason}`,
        location: { path },
      };
    case "ok": {
      if (read.bytes.length === 0) {
        return { ok: false, missing: false, reason: `${path} is empty`, location: { path, line: 1 } };
      }
      const text = decodeUtf8(path, read.bytes);
      if (!text.ok) {
        return {
          ok: false,
          missing: false,
          reason: `${path}: ${text.error.message}`,
          location: { path, line: 1 },
        };
      }
      return { ok: true, path, text: text.text };
    }
  }
}

/** Whether `tier` is one the gate applies to (no `tiers` means every tier). */
export function appliesToTier(tiers: readonly string[] | undefined, tier: string): boolean {
  return tiers === undefined || tiers.includes(tier);
}

/**
 * The common opening of every evidence gate: skip a removed artifact or a tier the gate does not
 * cover, then read the evidence file. Either the gate is already decided (`done`) or the caller
 * gets the text and a Findings to fill.
 */
export async function openEvidence(
  input: GateInput,
  gate: EvidenceGateName,
  config: { tiers?: readonly string[] | undefined; file: string },
  missingFix: (path: string) => string,
): Promise<{ done: GateResult } | { path: string; text: string; findings: Findings }> {
  const { artifact } = input;
  if (artifact.removed) return { done: skipped(gate, "the artifact was removed; evidence is not required") };
  if (!appliesToTier(config.tiers, artifact.tier)) {
    return {
      done: skipped(gate, `not required for tier ${artifact.tier} (only ${config.tiers?.join(", ")})`),
    };
  }
  const findings = new Findings(gate);
  const where = evidencePath(artifact, gate, config.file);
  if (!where.ok) {
    const manifest = posix.join(artifact.root, MANIFEST_FILE);
    return {
      done: findings
        .fail(where.reason, "Point the evidence path at a file inside the artifact root.", { path: manifest })
        .result(),
    };
  }
  const read = await readEvidenceText(input, where.path);
  if (!read.ok) {
    const fix = read.missing
      ? missingFix(where.path)
      : `Replace ${where.path} with a readable UTF-8 file under 10 MB.`;
    return { done: findings.fail(read.reason, fix, read.location ?? { path: where.path }).result() };
  }
  return { path: where.path, text: read.text, findings };
}

/** Reports each located parse error as a failure at its line. */
export function failParseErrors(
  findings: Findings,
  errors: readonly LocatedError[],
  fix: string,
): GateResult {
  for (const error of errors) {
    findings.fail(`${error.path}: ${error.message}`, fix, {
      path: error.path,
      line: error.line,
      column: error.column,
    });
  }
  return findings.result();
}
