// Notes about the working tree: the commands read commits, so uncommitted edits are invisible.
import { runGit } from "../facts/git-exec.js";

/** Whether `git status` reports anything (tracked edits or untracked files) under the repository path. */
export async function hasUncommittedChanges(repo: string, path?: string): Promise<boolean> {
  const args = ["-c", "core.fsmonitor=false", "status", "--porcelain", "-z"];
  // `top,literal`: the path is repository-relative whatever the cwd, and never a glob.
  if (path !== undefined) args.push("--", `:(top,literal)${path}`);
  const result = await runGit(repo, args);
  return result.ok && result.stdout.length > 0;
}

/** Every tracked file of the repository containing `dir`, repository-relative; undefined outside git. */
export function trackedFiles(dir: string): Promise<string[] | undefined> {
  return listFiles(dir, []);
}

/**
 * Files of the working tree that git does not track yet (ignored ones left out), repository-
 * relative; undefined outside git. What a policy's globs may match once they are committed.
 */
export function untrackedFiles(dir: string): Promise<string[] | undefined> {
  return listFiles(dir, ["--others", "--exclude-standard"]);
}

/** `git ls-files` with `options`, run at the top of the repository containing `dir`. */
async function listFiles(dir: string, options: string[]): Promise<string[] | undefined> {
  const top = await runGit(dir, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) return undefined;
  const listed = await runGit(top.stdout.toString("utf8").trim(), [
    "ls-files",
    "-z",
    ...options,
    "--full-name",
  ]);
  if (!listed.ok) return undefined;
  return listed.stdout
    .toString("utf8")
    .split("\0")
    .filter((path) => path !== "");
}
