// One `git ls-tree -r -l` per side, cached: sizes let readFile refuse large files unread, and
// listing 200 artifacts filters this map instead of spawning 200 processes.
import { runGit } from "./git-exec.js";

export interface GitTreeEntry {
  path: string;
  mode: string;
  /** `blob`, or `commit` for a submodule. */
  type: string;
  sha: string;
  /** Bytes, for blobs. */
  size?: number;
}

export type GitTree = { ok: true; entries: Map<string, GitTreeEntry> } | { ok: false; message: string };

export async function readGitTree(cwd: string, commit: string): Promise<GitTree> {
  const result = await runGit(cwd, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit]);
  if (!result.ok) return { ok: false, message: `cannot list the files of ${commit}: ${result.message}` };
  return { ok: true, entries: parseLsTree(result.stdout.toString("utf8")) };
}

/** `<mode> SP <type> SP <sha> SP+ <size>\t<path>\0` records. */
export function parseLsTree(output: string): Map<string, GitTreeEntry> {
  const entries = new Map<string, GitTreeEntry>();
  for (const record of output.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode = "", type = "", sha = "", size = "-"] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    entries.set(path, { path, mode, type, sha, ...(size === "-" ? {} : { size: Number(size) }) });
  }
  return entries;
}

const directories = new WeakMap<GitTree, Set<string>>();

/** Every directory of a listed tree (ls-tree -r lists only what is in them), built once per tree. */
export function treeDirectories(tree: GitTree & { ok: true }): ReadonlySet<string> {
  let dirs = directories.get(tree);
  if (!dirs) {
    dirs = new Set();
    for (const path of tree.entries.keys()) {
      for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1)) {
        const dir = path.slice(0, slash);
        if (dirs.has(dir)) break;
        dirs.add(dir);
      }
    }
    directories.set(tree, dirs);
  }
  return dirs;
}
