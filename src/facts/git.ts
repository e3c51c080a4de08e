// Facts from a local checkout, for the command line. Offline: no `people`, so approvals are
// `not_checked` and evidence gates note what only GitHub could tell.
import { diffNameStatus } from "./git-diff.js";
import {
  assertRef,
  assertRepository,
  resolveCommit,
  runGit,
  shallowCloneHint,
  UsageError,
} from "./git-exec.js";
import { type GitTree, type GitTreeEntry, readGitTree, treeDirectories } from "./git-tree.js";
import { isBelow, normalizeRepoDir, normalizeRepoPath } from "./repo-path.js";
import {
  type EntryKind,
  EVIDENCE_SIZE_LIMIT,
  type Facts,
  type FileRead,
  type Side,
  type TreeEntry,
} from "./types.js";

export { UsageError } from "./git-exec.js";

export interface GitFactsOptions {
  /** Any directory inside the repository. */
  repo: string;
  base: string;
  head: string;
}

export async function gitFacts(options: GitFactsOptions): Promise<Facts> {
  const { repo } = options;
  assertRef(options.base, "base");
  assertRef(options.head, "head");
  await assertRepository(repo);
  const baseSha = await resolveSide(repo, options.base, "base");
  const headSha = await resolveSide(repo, options.head, "head");
  // Three-dot diffs need a merge base; say so now rather than failing inside the engine.
  if (!(await runGit(repo, ["merge-base", baseSha, headSha])).ok) {
    throw new UsageError(
      `base ${options.base} and head ${options.head} have no common ancestor${await shallowCloneHint(repo)}`,
    );
  }

  const trees: Partial<Record<Side, Promise<GitTree>>> = {};
  const tree = (side: Side): Promise<GitTree> => {
    trees[side] ??= readGitTree(repo, side === "base" ? baseSha : headSha);
    return trees[side];
  };

  return {
    baseSha,
    headSha,
    async changedFiles() {
      return { files: await diffNameStatus(repo, baseSha, headSha) };
    },
    async readFile(side, path) {
      return readBlob(repo, await tree(side), path);
    },
    async listFiles(side, dir) {
      const listed = await tree(side);
      if (!listed.ok) throw new Error(listed.message);
      const below = normalizeRepoDir(dir);
      if (below === undefined) return [];
      const files: TreeEntry[] = [];
      for (const entry of listed.entries.values()) {
        const kind = kindOf(entry);
        if (kind && isBelow(entry.path, below))
          files.push({ path: entry.path, sha: entry.sha, ...(kind === "file" ? {} : { kind }) });
      }
      return files;
    },
    async entryKind(side, path): Promise<EntryKind> {
      const listed = await tree(side);
      if (!listed.ok) throw new Error(listed.message);
      const normal = normalizeRepoPath(path);
      if (normal === undefined) return "missing";
      const entry = listed.entries.get(normal);
      if (entry) return kindOf(entry) ?? "missing";
      return treeDirectories(listed).has(normal) ? "directory" : "missing";
    },
  };
}

/** What `ls-tree` says an entry is: mode 120000 is a symbolic link, a `commit` a submodule. */
function kindOf(entry: GitTreeEntry): TreeEntry["kind"] | undefined {
  if (entry.type === "commit") return "submodule";
  if (entry.type !== "blob") return undefined;
  return entry.mode === "120000" ? "symlink" : "file";
}

async function resolveSide(repo: string, ref: string, side: Side): Promise<string> {
  const sha = await resolveCommit(repo, ref);
  if (!sha)
    throw new UsageError(
      `cannot resolve the ${side} ref ${JSON.stringify(ref)} to a commit in ${repo}${await shallowCloneHint(repo)}`,
    );
  return sha;
}

async function readBlob(repo: string, tree: GitTree, path: string): Promise<FileRead> {
  if (!tree.ok) return { kind: "unreadable", reason: tree.message };
  const normal = normalizeRepoPath(path);
  if (normal === undefined)
    return { kind: "unreadable", reason: `${path} is not a path inside the repository` };
  const entry = tree.entries.get(normal);
  if (!entry) return { kind: "missing" };
  const kind = kindOf(entry);
  if (kind === "symlink") return { kind: "unreadable", reason: `${normal} is a symbolic link, not a file` };
  if (kind !== "file") return { kind: "unreadable", reason: `${normal} is a submodule, not a file` };
  const size = entry.size ?? 0;
  if (size > EVIDENCE_SIZE_LIMIT) return { kind: "too_large", size, limit: EVIDENCE_SIZE_LIMIT };
  const result = await runGit(repo, ["cat-file", "blob", entry.sha]);
  if (!result.ok) return { kind: "unreadable", reason: `cannot read ${normal}: ${result.message}` };
  const out = result.stdout;
  return { kind: "ok", bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), sha: entry.sha };
}
