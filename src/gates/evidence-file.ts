// Reading an artifact's evidence file: every way it can fail is a reason, and the common opening
// of every evidence gate (removed, tier, path, read).

import { decodeUtf8 } from "../evidence/text.js";
import type { FileRead, Side } from "../facts/types.js";
import type { LocatedError } from "../policy/located.js";
import {
  appliedEvidenceFiles,
  baseEvidencePath,
  evidenceMatcher,
  evidencePath,
  isInResultsFolder,
  joinUnderRoot,
  MANIFEST_FILE,
} from "./evidence-paths.js";
import { Findings, skipped } from "./findings.js";
import { ignoreMatcher } from "./globs.js";
import { appliesToTier } from "./tiers.js";
import type { GateInput, GateResult, GateScope, Location, TouchedArtifact } from "./types.js";

export {
  appliedEvidenceFiles,
  baseEvidencePath,
  defaultEvidenceReads,
  evidenceFiles,
  evidenceMatcher,
  evidencePath,
  joinUnderRoot,
  MANIFEST_FILE,
} from "./evidence-paths.js";

export { appliesToTier } from "./tiers.js";

export type EvidenceText =
  | { ok: true; path: string; text: string }
  | {
      ok: false;
      missing: boolean;
      reason: string;
      location?: Location;
      /** The fix, where the reader knows a better one than replacing the file. */
      fix?: string;
    };

/** An evidence read that did not give content: every way it can fail is a reason. */
export type EvidenceFailure = Extract<EvidenceText, { ok: false }>;

export type EvidenceBytes = { ok: true; path: string; bytes: Uint8Array } | EvidenceFailure;

/** Reads an evidence file's bytes; a missing, too large, unreadable or empty file is a reason, never a throw. */
export async function readEvidenceBytes(
  input: Pick<GateScope, "facts">,
  path: string,
  side: Side = "head",
): Promise<EvidenceBytes> {
  return evidenceBytes(path, await input.facts.readFile(side, path));
}

function evidenceBytes(path: string, read: FileRead): EvidenceBytes {
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
      return { ok: true, path, bytes: read.bytes };
    }
  }
}

/** Reads an evidence file as UTF-8 text; every way it can fail is a reason, never a throw. */
export async function readEvidenceText(
  input: GateScope,
  path: string,
  side: Side = "head",
): Promise<EvidenceText> {
  // One await, not readEvidenceBytes': a PR's every evidence file comes through here.
  const read = evidenceBytes(path, await input.facts.readFile(side, path));
  if (!read.ok) return read;
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

/**
 * The common opening of every evidence gate: skip a removed artifact or a tier the gate does not
 * cover, then read the evidence file. Either the gate is already decided (`done`) or the caller
 * gets the text and a Findings to fill.
 */
export async function openEvidence(
  input: GateInput,
  gate: string,
  config: { tiers?: readonly string[] | undefined; file: string },
  missingFix: (path: string) => string,
): Promise<{ done: GateResult } | { path: string; text: string; findings: Findings }> {
  const opened = await openEvidenceWith(input, gate, config, missingFix, async (path) => {
    const read = await readEvidenceText(input, path);
    return read.ok ? { ok: true, content: read.text } : read;
  });
  return "done" in opened ? opened : { path: opened.path, text: opened.content, findings: opened.findings };
}

/**
 * openEvidence for evidence that is not one text file (an evaluation's `.eval` archive or
 * `.eval_results/` folder): `read` gives the content at the evidence path, or why not.
 */
export async function openEvidenceWith<T>(
  input: GateInput,
  gate: string,
  config: { tiers?: readonly string[] | undefined; file: string },
  missingFix: (path: string) => string,
  read: (path: string) => Promise<{ ok: true; content: T } | EvidenceFailure>,
): Promise<{ done: GateResult } | { path: string; content: T; findings: Findings }> {
  const { artifact } = input;
  if (artifact.removed) return { done: skipped(gate, "the artifact was removed; evidence is not required") };
  if (!appliesToTier(config.tiers, artifact)) {
    return {
      done: skipped(gate, `not required for tier ${artifact.tier} (only ${config.tiers?.join(", ")})`),
    };
  }
  const findings = new Findings(gate);
  const manifest = joinUnderRoot(artifact.root, MANIFEST_FILE);
  const where = evidencePath(artifact, gate, config.file);
  if (!where.ok) {
    return {
      done: findings
        .fail(where.reason, "Point the evidence path at a file inside the artifact root.", { path: manifest })
        .result(),
    };
  }
  // Asked together when both are needed (a batching source answers them in one request).
  const [opened, wasContent] =
    where.path === baseEvidencePath(artifact, gate, config.file)
      ? [await read(where.path), undefined]
      : await Promise.all([read(where.path), wasContentAtBase(input, where.path)]);
  if (wasContent) {
    // Naming a content file as evidence would take it out of what binding checks.
    const named =
      wasContent === where.path
        ? `${where.path}, a content file`
        : `${where.path}, whose ${wasContent} was a content file`;
    return {
      done: findings
        .fail(
          `the ${gate} evidence path names ${named} of the artifact on the base branch`,
          `Keep the ${gate} evidence in a file of its own, and point evidence.${gate} in ${manifest} at it.`,
          { path: manifest },
        )
        .result(),
    };
  }
  if (!opened.ok) {
    if (opened.missing && artifact.rootEntry === "file") {
      return {
        done: findings
          .fail(
            `${artifact.root} is a single file, so it cannot hold its ${gate} evidence (${where.path})`,
            singleFileFix(artifact),
            { path: artifact.root },
          )
          .result(),
      };
    }
    const fix = opened.missing
      ? missingFix(where.path)
      : (opened.fix ?? `Replace ${where.path} with a readable UTF-8 file under 10 MB.`);
    return { done: findings.fail(opened.reason, fix, opened.location ?? { path: where.path }).result() };
  }
  return { path: where.path, content: opened.content, findings };
}

export function singleFileFix(artifact: TouchedArtifact): string {
  return `Put ${artifact.root} in a directory of its own that the policy's roots match, with its ${MANIFEST_FILE} and evidence beside it.`;
}

/**
 * Whether `path` was one of the artifact's content files at the base (it existed there, and was
 * neither the base's manifest or applicable evidence nor ignored): that path, or undefined. For a
 * results folder (`dir/`), the first of the results files it holds (its `*.yaml` directly in it)
 * that was.
 */
async function wasContentAtBase(input: GateInput, path: string): Promise<string | undefined> {
  const { artifact } = input;
  const baseEvidence = appliedEvidenceFiles(input, artifact, "base");
  const ignored = ignoreMatcher(input, artifact.kind);
  if (path.endsWith("/")) {
    // Listed only here, where the PR's manifest moves the results to a folder the base's did not name.
    const isBaseEvidence = evidenceMatcher(baseEvidence);
    const listed = await input.facts.listFiles("base", path.slice(0, -1));
    return listed.find((e) => isInResultsFolder(path, e.path) && !isBaseEvidence(e.path) && !ignored(e.path))
      ?.path;
  }
  if (baseEvidence.has(path) || ignored(path)) return undefined;
  const kind = await input.facts.entryKind("base", path);
  return kind !== "missing" && kind !== "directory" ? path : undefined;
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
