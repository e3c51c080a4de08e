// What an evaluation gate reads at its results path: one file's bytes (text, or an Inspect `.eval`
// zip), or — when the path names a folder (`.eval_results/`) — the `*.yaml` files directly in it.
import { posix } from "node:path";
import { isInspectArchivePath } from "../evidence/eval/inspect-archive.js";
import type { EvalEvidence } from "../evidence/eval-results.js";
import { EVIDENCE_SIZE_LIMIT, type Side } from "../facts/types.js";
import { type EvidenceFailure, readEvidenceBytes } from "./evidence-file.js";
import { isInResultsFolder } from "./evidence-paths.js";
import type { GateScope } from "./types.js";

/** More files than this in a results folder is not a results folder: each is one more read. */
export const MAX_FOLDER_FILES = 100;

const READS_AT_ONCE = 10;

export type EvalEvidenceRead = { ok: true; content: EvalEvidence } | EvidenceFailure;

/**
 * A path ending in `/` names a folder. A folder named without the `/` is refused with how to name
 * it: its files would otherwise count as the artifact's content for binding.
 */
export async function readEvalEvidenceAt(
  input: Pick<GateScope, "facts">,
  path: string,
  side: Side = "head",
): Promise<EvalEvidenceRead> {
  if (path.endsWith("/")) return readFolder(input, path.slice(0, -1), side);
  const read = await readEvidenceBytes(input, path, side);
  if (read.ok) return { ok: true, content: { kind: "file", bytes: read.bytes } };
  // Locally a folder reads as missing; on GitHub as "a directory, not a file".
  if ((await input.facts.entryKind(side, path)) === "directory") {
    return unreadable(
      path,
      `${path} is a folder: name it with a trailing / (${posix.basename(path)}/) to read every *.yaml in it`,
      `Name the results folder with its trailing / (${posix.basename(path)}/) in the policy's gates.evaluation.file or the manifest's evidence.evaluation.`,
    );
  }
  // An Inspect archive is a zip, not text: the generic "readable UTF-8 file" fix would mislead.
  if (!read.missing && isInspectArchivePath(path))
    return { ...read, fix: `Commit the .eval log Inspect wrote, under 10 MB, at ${path}.` };
  return read;
}

/**
 * Whether `changed` (a repository path) is the results, or a results file of the results folder:
 * a `*.yaml` directly in it, what readFolder reads. Other files under the folder are content.
 */
export function isResultsPath(results: string, changed: string): boolean {
  return changed === results || (results.endsWith("/") && isInResultsFolder(results, changed));
}

async function readFolder(
  input: Pick<GateScope, "facts">,
  dir: string,
  side: Side,
): Promise<EvalEvidenceRead> {
  const shown = `${dir}/`;
  const entries = (await input.facts.listFiles(side, dir)).filter((e) => posix.dirname(e.path) === dir);
  if (entries.length === 0) return { ok: false, missing: true, reason: `${shown} does not exist` };
  const files = entries.filter((e) => isInResultsFolder(shown, e.path));
  const hidden = files.find((e) => e.kind !== undefined && e.kind !== "file");
  if (hidden) {
    return unreadable(
      hidden.path,
      `${hidden.path} is a ${hidden.kind}, not a results file`,
      `Commit the results file itself at ${hidden.path}.`,
    );
  }
  if (files.length === 0) {
    return unreadable(
      shown,
      `${shown} holds no *.yaml results file`,
      `Commit the evaluation's .eval_results *.yaml files in ${shown}.`,
    );
  }
  if (files.length > MAX_FOLDER_FILES) {
    return unreadable(
      shown,
      `${shown} holds ${files.length} *.yaml files; at most ${MAX_FOLDER_FILES} are read`,
      `Keep at most ${MAX_FOLDER_FILES} results files in ${shown}.`,
    );
  }
  // A few reads at a time, stopping once the cap is passed: what is held stays near the cap.
  const read: Array<{ path: string; bytes: Uint8Array }> = [];
  let total = 0;
  for (let start = 0; start < files.length; start += READS_AT_ONCE) {
    const batch = files.slice(start, start + READS_AT_ONCE);
    for (const one of await Promise.all(batch.map((file) => readEvidenceBytes(input, file.path, side)))) {
      if (!one.ok) return one.missing ? unreadable(shown, one.reason) : one;
      total += one.bytes.length;
      read.push({ path: one.path, bytes: one.bytes });
    }
    if (total > EVIDENCE_SIZE_LIMIT) {
      return unreadable(
        shown,
        `${shown} is too large to read (more than ${EVIDENCE_SIZE_LIMIT} bytes in its *.yaml files)`,
        `Keep the results in ${shown} under 10 MB in all.`,
      );
    }
  }
  return { ok: true, content: { kind: "folder", files: read } };
}

function unreadable(path: string, reason: string, fix?: string): EvidenceFailure {
  return { ok: false, missing: false, reason, location: { path }, ...(fix && { fix }) };
}
