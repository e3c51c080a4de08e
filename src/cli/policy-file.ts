// Policy files named on the command line (`--policy`, `--org-policy`), read from disk.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { PolicySource } from "../engine/evaluate.js";
import { UsageError } from "./args.js";

/** Reads `file` (relative to `cwd`); the path is kept as typed so errors point where the user looks. */
export async function readPolicySource(cwd: string, file: string, flag: string): Promise<PolicySource> {
  try {
    return { path: file, text: await readFile(resolve(cwd, file), "utf8") };
  } catch (error) {
    throw new UsageError(`cannot read ${flag} ${file}: ${(error as Error).message}`);
  }
}
