// Policy files named on the command line (`validate FILE`, `--policy`, `--org-policy`), read from
// disk the way the app reads one from git: bytes, size-capped, decoded as strict UTF-8. One reader
// for every command, so `validate` never accepts a file that `check` then refuses.
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { PolicySource } from "../engine/evaluate.js";
import { decodeUtf8 } from "../evidence/text.js";
import { EVIDENCE_SIZE_LIMIT } from "../facts/types.js";
import type { LocatedError } from "../policy/located.js";
import { UsageError } from "./args.js";

/** On failure, `error` as `validate` prints it and `reason` for a flag's usage error. */
export type PolicyFileRead =
  | { ok: true; source: PolicySource }
  | { ok: false; error: LocatedError; reason: string };

/** Reads `file` (relative to `cwd`); the path is kept as typed so errors point where the user looks. */
export async function readPolicyFile(cwd: string, file: string): Promise<PolicyFileRead> {
  const absolute = resolve(cwd, file);
  const problem = (reason: string): PolicyFileRead => ({
    ok: false,
    error: { path: file, message: `cannot read the policy file: ${reason}` },
    reason,
  });
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) return problem("it is a directory");
    // The same refusal, in the same words, as a policy file read from the repository.
    if (info.size > EVIDENCE_SIZE_LIMIT) return problem(`it is too large (${info.size} bytes)`);
    const text = decodeUtf8(file, await readFile(absolute));
    if (text.ok) return { ok: true, source: { path: file, text: text.text } };
    // As check refuses the repository's policy file: `file:1:1: the file is not valid UTF-8 text`.
    return { ok: false, error: text.error, reason: text.error.message };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return problem(reason);
  }
}

/** `readPolicyFile` for a flag: a file that cannot be used is a usage error naming the flag. */
export async function readPolicySource(cwd: string, file: string, flag: string): Promise<PolicySource> {
  const read = await readPolicyFile(cwd, file);
  if (read.ok) return read.source;
  throw new UsageError(`cannot read ${flag} ${file}: ${read.reason}`);
}
