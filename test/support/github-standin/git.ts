// Git object model of the stand-in: real blob, tree and commit SHA-1s, merge bases and diffs.
import { createHash } from "node:crypto";

/**
 * A symbolic link (git stores its target as a blob, mode 120000) or a submodule (a gitlink: the
 * commit it pins, type `commit`, mode 160000; nothing of it is stored in this repository).
 */
export type GitLink = { symlink: string } | { submodule: string };

export type FileContent = string | Buffer | GitLink;

export interface TreeEntry {
  name: string;
  mode: "100644" | "040000" | "120000" | "160000";
  type: "blob" | "tree" | "commit";
  sha: string;
}

/** The objects of one repository network (a fork shares its parent's store). */
export interface ObjectStore {
  blobs: Map<string, Buffer>;
  trees: Map<string, TreeEntry[]>;
}

/** A file's bytes; a symlink's target; nothing for a submodule. */
export function toBuffer(content: FileContent): Buffer {
  if (typeof content === "string") return Buffer.from(content, "utf8");
  if (Buffer.isBuffer(content)) return content;
  return "symlink" in content ? Buffer.from(content.symlink, "utf8") : Buffer.alloc(0);
}

export function isGitLink(content: FileContent): content is GitLink {
  return typeof content !== "string" && !Buffer.isBuffer(content);
}

/** What a path holds: a regular file, a symlink or a submodule. */
export function contentKind(content: FileContent): "file" | "symlink" | "submodule" {
  if (!isGitLink(content)) return "file";
  return "symlink" in content ? "symlink" : "submodule";
}

function hashObject(type: "blob" | "tree" | "commit" | "tag", body: Buffer): string {
  return createHash("sha1")
    .update(Buffer.from(`${type} ${body.byteLength}\0`, "utf8"))
    .update(body)
    .digest("hex");
}

/** `git hash-object` of a file's bytes: sha1("blob " + byteLength + "\0" + bytes). */
export function blobSha(content: FileContent): string {
  return hashObject("blob", toBuffer(content));
}

/** Git's heuristic: a NUL byte in the first 8000 bytes makes a file binary. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function compareEntries(a: TreeEntry, b: TreeEntry): number {
  const key = (e: TreeEntry) => Buffer.from(e.type === "tree" ? `${e.name}/` : e.name, "utf8");
  return Buffer.compare(key(a), key(b));
}

interface DirNode {
  files: Map<string, FileContent>;
  dirs: Map<string, DirNode>;
}

/** Stores the blobs and trees of a flat file map; returns the root tree's SHA and each file's blob SHA. */
export function writeTree(
  store: ObjectStore,
  files: Map<string, FileContent>,
): { tree: string; shas: Map<string, string> } {
  const shas = new Map<string, string>();
  const root: DirNode = { files: new Map(), dirs: new Map() };
  for (const [path, content] of files) {
    const parts = path.split("/");
    const name = parts.pop() as string;
    let node = root;
    for (const part of parts) {
      let next = node.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(part, next);
      }
      node = next;
    }
    node.files.set(name, content);
  }
  const write = (node: DirNode, prefix: string): string => {
    const entries: TreeEntry[] = [];
    for (const [name, content] of node.files) {
      if (isGitLink(content) && "submodule" in content) {
        shas.set(prefix + name, content.submodule);
        entries.push({ name, mode: "160000", type: "commit", sha: content.submodule });
        continue;
      }
      const bytes = toBuffer(content);
      const sha = blobSha(bytes);
      store.blobs.set(sha, bytes);
      shas.set(prefix + name, sha);
      entries.push({ name, mode: isGitLink(content) ? "120000" : "100644", type: "blob", sha });
    }
    for (const [name, dir] of node.dirs) {
      entries.push({ name, mode: "040000", type: "tree", sha: write(dir, `${prefix}${name}/`) });
    }
    entries.sort(compareEntries);
    const body = Buffer.concat(
      entries.flatMap((e) => [
        Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.name}\0`, "utf8"),
        Buffer.from(e.sha, "hex"),
      ]),
    );
    const sha = hashObject("tree", body);
    store.trees.set(sha, entries);
    return sha;
  };
  return { tree: write(root, ""), shas };
}

export interface Signature {
  name: string;
  email: string;
  date: Date;
}

export function commitSha(
  tree: string,
  parents: string[],
  author: Signature,
  committer: Signature,
  message: string,
) {
  const sig = (s: Signature) => `${s.name} <${s.email}> ${Math.floor(s.date.getTime() / 1000)} +0000`;
  const text = [
    `tree ${tree}`,
    ...parents.map((p) => `parent ${p}`),
    `author ${sig(author)}`,
    `committer ${sig(committer)}`,
    "",
    message.endsWith("\n") ? message : `${message}\n`,
  ].join("\n");
  return hashObject("commit", Buffer.from(text, "utf8"));
}

/** The SHA of an annotated tag object (`git tag -a name -m message target`) pointing at a commit. */
export function tagSha(target: string, name: string, tagger: Signature, message: string): string {
  const text = [
    `object ${target}`,
    "type commit",
    `tag ${name}`,
    `tagger ${tagger.name} <${tagger.email}> ${Math.floor(tagger.date.getTime() / 1000)} +0000`,
    "",
    message.endsWith("\n") ? message : `${message}\n`,
  ].join("\n");
  return hashObject("tag", Buffer.from(text, "utf8"));
}

/** Minimal commit shape the graph algorithms need. */
export interface GraphCommit {
  sha: string;
  parents: string[];
}

export type CommitLookup = (sha: string) => GraphCommit | undefined;

export function ancestors(lookup: CommitLookup, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const p of lookup(current)?.parents ?? []) stack.push(p);
  }
  return seen;
}

/** The best common ancestor of two commits (one that no other common ancestor descends from). */
export function mergeBase(lookup: CommitLookup, a: string, b: string): string | undefined {
  const ofA = ancestors(lookup, a);
  const common = [...ancestors(lookup, b)].filter((sha) => ofA.has(sha));
  const best = common.filter(
    (candidate) => !common.some((other) => other !== candidate && ancestors(lookup, other).has(candidate)),
  );
  return best[0];
}

/** Commits reachable from `head` but not from `base`, oldest first (topological, parents before children). */
export function commitsBetween(lookup: CommitLookup, base: string | undefined, head: string): string[] {
  const exclude = base ? ancestors(lookup, base) : new Set<string>();
  const order: string[] = [];
  const visited = new Set<string>();
  const visit = (sha: string) => {
    if (visited.has(sha) || exclude.has(sha)) return;
    visited.add(sha);
    for (const p of lookup(sha)?.parents ?? []) visit(p);
    order.push(sha);
  };
  visit(head);
  return order;
}

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  previous_filename?: string;
  /** Blob SHA at the head side (the base side for a removed file). */
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
}

function lineCount(bytes: Buffer): number {
  if (bytes.byteLength === 0 || isBinary(bytes)) return 0;
  const text = bytes.toString("utf8");
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Multiset line difference: a cheap stand-in for a real diff's added/removed line counts. */
function lineDelta(before: Buffer, after: Buffer): { additions: number; deletions: number } {
  if (isBinary(before) || isBinary(after)) return { additions: 0, deletions: 0 };
  const counts = new Map<string, number>();
  for (const line of before.toString("utf8").split("\n")) counts.set(line, (counts.get(line) ?? 0) + 1);
  let additions = 0;
  for (const line of after.toString("utf8").split("\n")) {
    const n = counts.get(line) ?? 0;
    if (n > 0) counts.set(line, n - 1);
    else additions++;
  }
  let deletions = 0;
  for (const n of counts.values()) deletions += n;
  return { additions, deletions };
}

/** A commit's files with their blob SHAs. */
export interface Snapshot {
  files: Map<string, FileContent>;
  shas: Map<string, string>;
}

/**
 * Files changed from `before` to `after`, sorted by path. A removed and an added file with the
 * same blob are reported as one rename (exact renames only; GitHub also detects similar files).
 */
export function diffFiles(before: Snapshot, after: Snapshot): FileChange[] {
  const changes: FileChange[] = [];
  const removed = new Map<string, string>(); // blob sha -> path
  const added: FileChange[] = [];
  for (const [path, sha] of before.shas) {
    if (!after.shas.has(path)) removed.set(sha, path);
  }
  for (const [path, sha] of after.shas) {
    const bytes = toBuffer(after.files.get(path) as FileContent);
    const old = before.files.get(path);
    if (old === undefined) {
      const n = lineCount(bytes);
      added.push({ filename: path, status: "added", sha, additions: n, deletions: 0, changes: n });
    } else if (
      before.shas.get(path) !== sha ||
      contentKind(old) !== contentKind(after.files.get(path) ?? "")
    ) {
      const { additions, deletions } = lineDelta(toBuffer(old), bytes);
      changes.push({
        filename: path,
        status: "modified",
        sha,
        additions,
        deletions,
        changes: additions + deletions,
      });
    }
  }
  for (const change of added) {
    const from = removed.get(change.sha);
    if (from !== undefined) {
      removed.delete(change.sha);
      changes.push({ ...change, status: "renamed", previous_filename: from, additions: 0, changes: 0 });
    } else changes.push(change);
  }
  for (const [sha, path] of removed) {
    const n = lineCount(toBuffer(before.files.get(path) as FileContent));
    changes.push({ filename: path, status: "removed", sha, additions: 0, deletions: n, changes: n });
  }
  return changes.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
}

/** The tree entry at `path` under a root tree, with the directory that holds it. */
export function lookupPath(
  store: ObjectStore,
  tree: string,
  path: string,
): { entry: TreeEntry; dir: string } | null {
  const parts = path.split("/").filter((p) => p !== "");
  let entries = store.trees.get(tree);
  let entry: TreeEntry | undefined;
  for (const [i, part] of parts.entries()) {
    entry = entries?.find((e) => e.name === part);
    if (!entry) return null;
    if (i < parts.length - 1) {
      if (entry.type !== "tree") return null;
      entries = store.trees.get(entry.sha);
    }
  }
  return entry ? { entry, dir: parts.slice(0, -1).join("/") } : null;
}
