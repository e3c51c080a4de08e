// Running git without a shell. Refs and paths are passed as arguments, never interpolated, and
// failures come back as values so callers decide what is a usage error and what is a bug.
import { execFile } from "node:child_process";

/** A mistake the user can fix (a bad ref, not a repository); the CLI exits 2 with the message. */
export class UsageError extends Error {
  override name = "UsageError";
}

export type GitResult = { ok: true; stdout: Buffer } | { ok: false; message: string };

/** Generous: a full `ls-tree -r -l` of a large monorepo runs to tens of megabytes. */
const MAX_BUFFER = 256 * 1024 * 1024;

export function runGit(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        encoding: "buffer",
        maxBuffer: MAX_BUFFER,
        windowsHide: true,
        // No credential prompts, and no index lock taken behind the user's back.
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const detail = stderr.toString("utf8").trim().split("\n").at(-1);
        const code = (error as NodeJS.ErrnoException).code;
        const message =
          code === "ENOENT"
            ? `cannot run git in ${cwd} (is git installed, and does the directory exist?)`
            : detail;
        resolve({ ok: false, message: message || error.message });
      },
    );
  });
}

/** Refuses refs git could read as options (`--output=…`) or that cannot be a ref at all. */
export function assertRef(ref: string, what: string): void {
  if (ref === "" || ref.startsWith("-") || /[\0\n\r]/.test(ref)) {
    throw new UsageError(`invalid ${what} ref ${JSON.stringify(ref)}`);
  }
}

/** The commit SHA `ref` names, or undefined when it names none. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  assertRef(ref, "git");
  const result = await runGit(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  return result.ok ? result.stdout.toString("utf8").trim() : undefined;
}

/** Fails with a usage error unless `cwd` is inside a git repository (bare ones included). */
export async function assertRepository(cwd: string): Promise<void> {
  const result = await runGit(cwd, ["rev-parse", "--git-dir"]);
  if (!result.ok) throw new UsageError(`${cwd} is not a git repository: ${result.message}`);
}

/**
 * For a shallow clone (CI checkouts fetch one commit by default), what to fetch so that refs and
 * merge bases are there; empty otherwise.
 */
export async function shallowCloneHint(cwd: string): Promise<string> {
  const result = await runGit(cwd, ["rev-parse", "--is-shallow-repository"]);
  if (!result.ok || result.stdout.toString("utf8").trim() !== "true") return "";
  return (
    " — this is a shallow clone, which holds only the latest commits: fetch the full history " +
    "(actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`), or at least the base " +
    "branch and enough history to reach the merge base (`git fetch --deepen=<n> origin <base>`)"
  );
}
