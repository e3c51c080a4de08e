// `git diff --name-status -z -M` into the engine's change list.

import { runGit } from "./git-exec.js";
import type { ChangedFile } from "./types.js";

/** Files changed from the merge base of `base` and `head` to `head`, renames detected. */
export async function diffNameStatus(cwd: string, base: string, head: string): Promise<ChangedFile[]> {
  const result = await runGit(cwd, [
    "diff",
    "--name-status",
    "-z",
    "-M",
    "--no-relative", // paths from the top even if `diff.relative` is configured
    "--no-ext-diff",
    "--no-color",
    `${base}...${head}`,
  ]);
  if (!result.ok)
    throw new Error(`cannot list the changed files (git diff ${base}...${head}): ${result.message}`);
  return parseNameStatus(result.stdout.toString("utf8"));
}

/** `STATUS\0path\0` records; renames and copies carry two paths (`R087\0old\0new\0`). */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split("\0");
  const files: ChangedFile[] = [];
  let i = 0;
  while (i < fields.length) {
    const status = fields[i++];
    if (!status) continue;
    const code = status[0];
    if (code === "R" || code === "C") {
      const from = fields[i++] ?? "";
      const to = fields[i++] ?? "";
      // A copy leaves its source in place: only the new path changed.
      files.push(
        code === "R" ? { path: to, status: "renamed", previousPath: from } : { path: to, status: "added" },
      );
      continue;
    }
    const path = fields[i++] ?? "";
    if (code === "A") files.push({ path, status: "added" });
    else if (code === "D") files.push({ path, status: "removed" });
    else files.push({ path, status: "modified" }); // M, T (type change), and anything newer
  }
  return files;
}
