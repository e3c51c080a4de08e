// `<root>/artifact.yml`: who owns the artifact, its tier, its data, and where its evidence lives.
import { z } from "zod";
import { documentGateName, EVIDENCE_GATES, tierSchema } from "../policy/schema.js";
import { ownerPattern } from "./principals.js";
import type { Manifest, Parsed } from "./types.js";
import { readYamlEvidence } from "./yaml-evidence.js";

const owner = z.string().regex(ownerPattern, "must be a GitHub login (@user) or a team (@org/team)");
const category = z.string().trim().min(1, "must not be empty");
// Only the shape is checked here: a path that leaves the root fails its own gate
// (evidencePathProblem), not the whole manifest, so ownership still reads the owners.
const evidencePath = z.string().min(1, "must be a path relative to the artifact root");

export const manifestSchema = z.strictObject({
  owners: z.array(owner).min(1, "needs at least one owner (@user or @org/team)"),
  tier: tierSchema.optional(),
  data_categories: z.array(category).default([]),
  // Keyed by gate name: a builtin gate's, or a document gate's the policy names (`monitoring`).
  // The manifest is read without the policy, so any name a document gate may take is accepted (one
  // a typo away from a builtin gate's is not such a name, and is reported as the typo it is).
  evidence: z
    .object({
      ownership: evidencePath.optional(),
      evaluation: evidencePath.optional(),
      privacy: evidencePath.optional(),
      rollback: evidencePath.optional(),
    })
    .catchall(evidencePath)
    .superRefine((evidence, ctx) => {
      for (const key of Object.keys(evidence)) {
        if ((EVIDENCE_GATES as readonly string[]).includes(key) || documentGateName.safeParse(key).success)
          continue;
        ctx.addIssue({ code: "unrecognized_keys", keys: [key], input: evidence });
      }
    })
    .default({}),
});

export function readManifest(path: string, text: string): Parsed<Manifest> {
  const read = readYamlEvidence(path, text, manifestSchema, "the manifest");
  return read.ok ? { ok: true, value: read.value } : read;
}

/** A segment that is empty, `.` or `..` (so also a leading or trailing `/`). */
const ODD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** Whether a relative path's segments are all names: it is its own normal form. */
export function isPlainPath(path: string): boolean {
  return !ODD_SEGMENT.test(path);
}

/** What the checks below refuse in a path whose segments are plain: a NUL, a backslash, a drive. */
const UNUSUAL_IN_PATH = /[\0\\]|^[A-Za-z]:/;

/**
 * Why an evidence path may not be used, or undefined when it is fine. Paths are read with posix
 * rules and must name a file inside the artifact root: evidence outside it is not the
 * artifact's, and could be a file the PR author controls elsewhere. The reason reads after the
 * path: "'../x' leaves the artifact root". `folder`: the gate reads a folder named with a trailing
 * `/` (evaluation's `.eval_results/`).
 */
export function evidencePathProblem(relPath: string, options: { folder?: boolean } = {}): string | undefined {
  if (relPath.trim() === "") return "is empty";
  // Most paths are plain (`eval/results.json`): inside the root by construction, nothing to refuse.
  if (isPlainPath(relPath) && !UNUSUAL_IN_PATH.test(relPath)) return undefined;
  if (relPath.includes("\0")) return "contains a NUL character";
  if (/^[A-Za-z]:/.test(relPath))
    return "is an absolute Windows path; use a path relative to the artifact root";
  // Git paths use `/`; a backslash would be a separator on a Windows checkout, so it is refused.
  if (relPath.includes("\\")) return "contains a backslash; separate folders with /";
  if (relPath.startsWith("/")) return "is absolute; use a path relative to the artifact root";
  if (relPath.endsWith("/") && !options.folder) return "names a folder; point it at a file";
  let depth = 0;
  for (const part of relPath.split("/")) {
    if (part === "..") depth -= 1;
    else if (part !== "." && part !== "") depth += 1;
    if (depth < 0) return "leaves the artifact root (too many ..)";
  }
  if (depth === 0) return "names the artifact root itself; point it at a file";
  return undefined;
}
