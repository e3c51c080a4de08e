// One spelling per repository path, so `models/a/./eval.json` and `models/a/eval.json` are the
// same file to every source, and a path that leaves the repository is refused, not followed.
import { posix } from "node:path";

/** A segment that is empty, `.` or `..`: a path without one is already in normal form. */
const ODD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** The normal form of a repository-relative path, or undefined when it leaves the repository. */
export function normalizeRepoPath(path: string): string | undefined {
  if (path === "" || path.startsWith("/") || path.includes("\0")) return undefined;
  // Nearly every path a source or a gate hands over is plain: it is its own normal form.
  if (!ODD_SEGMENT.test(path)) return path;
  const normal = posix.normalize(path).replace(/\/+$/, "");
  if (normal === "." || normal === ".." || normal.startsWith("../")) return undefined;
  return normal;
}

/** The normal form of a directory to list below; "" (or ".") is the whole repository. */
export function normalizeRepoDir(dir: string): string | undefined {
  if (dir === "" || dir === "." || dir === "./") return "";
  return normalizeRepoPath(dir);
}

/** Whether `path` lies below `dir` (a normalised directory, "" for the repository). */
export function isBelow(path: string, dir: string): boolean {
  return dir === "" || path.startsWith(`${dir}/`);
}
