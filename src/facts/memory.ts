// Facts held in memory, for tests and benchmarks: two maps of files and, optionally, people.
import { gitBlobSha } from "./blob-sha.js";
import { isBelow, normalizeRepoDir, normalizeRepoPath } from "./repo-path.js";
import {
  type ChangedFile,
  type EntryKind,
  EVIDENCE_SIZE_LIMIT,
  type Facts,
  type PeopleFacts,
  type Side,
  type TreeEntry,
} from "./types.js";

/** A symbolic link (its target, as git stores it) or a submodule (the commit it pins). */
export type MemoryEntry = { symlink: string } | { submodule: string };

export type MemoryFiles = Record<string, string | Uint8Array | MemoryEntry>;

export interface MemoryFactsOptions {
  base: MemoryFiles;
  head: MemoryFiles;
  /** The change list; derived from base and head when omitted (no rename detection). */
  changes?: ChangedFile[];
  people?: PeopleFacts;
  baseSha?: string;
  headSha?: string;
}

interface Blob {
  /** A file's content, or a symlink's target. */
  bytes: Uint8Array;
  sha?: string;
  kind?: "symlink" | "submodule";
}

const encoder = new TextEncoder();

export function memoryFacts(options: MemoryFactsOptions): Facts {
  const sides: Record<Side, Map<string, Blob>> = { base: toBlobs(options.base), head: toBlobs(options.head) };
  const changes = options.changes ?? deriveChanges(sides.base, sides.head);
  // Paths in sorted order (toBlobs inserts them sorted), so a directory is one contiguous range.
  const sorted: Record<Side, string[]> = { base: [...sides.base.keys()], head: [...sides.head.keys()] };

  return {
    baseSha: options.baseSha,
    headSha: options.headSha,
    people: options.people,
    async changedFiles() {
      return { files: changes.map((c) => ({ ...c })) };
    },
    async readFile(side, path) {
      const normal = normalizeRepoPath(path);
      if (normal === undefined)
        return { kind: "unreadable", reason: `${path} is not a path inside the repository` };
      const blob = sides[side].get(normal);
      if (!blob) return { kind: "missing" };
      // As a local checkout reads them: neither is a file whose content the gate could judge.
      if (blob.kind === "symlink")
        return { kind: "unreadable", reason: `${normal} is a symbolic link, not a file` };
      if (blob.kind === "submodule")
        return { kind: "unreadable", reason: `${normal} is a submodule, not a file` };
      const size = blob.bytes.byteLength;
      if (size > EVIDENCE_SIZE_LIMIT) return { kind: "too_large", size, limit: EVIDENCE_SIZE_LIMIT };
      return new FileContent(blob);
    },
    async listFiles(side, dir) {
      const below = normalizeRepoDir(dir);
      if (below === undefined) return [];
      const files: TreeEntry[] = [];
      const paths = sorted[side];
      const prefix = below === "" ? "" : `${below}/`;
      for (let i = firstAtOrAfter(paths, prefix); i < paths.length; i++) {
        const path = paths[i] as string;
        if (!isBelow(path, below)) break;
        const blob = sides[side].get(path) as Blob;
        files.push({ path, sha: shaOf(blob), ...(blob.kind ? { kind: blob.kind } : {}) });
      }
      return files;
    },
    async entryKind(side, path): Promise<EntryKind> {
      // Changed paths arrive in normal form: most are answered without normalising them again.
      const known = sides[side].get(path);
      if (known) return known.kind ?? "file";
      const normal = normalizeRepoPath(path);
      if (normal === undefined) return "missing";
      const blob = sides[side].get(normal);
      if (blob) return blob.kind ?? "file";
      const paths = sorted[side];
      const below = paths[firstAtOrAfter(paths, `${normal}/`)];
      return below !== undefined && isBelow(below, normal) ? "directory" : "missing";
    },
  };
}

// Hashing is lazy and cached: a benchmark with thousands of files pays only for what is read.
function shaOf(blob: Blob): string {
  blob.sha ??= gitBlobSha(blob.bytes);
  return blob.sha;
}

/** A read of a file: its SHA is hashed only when someone asks for it, which the gates rarely do. */
class FileContent {
  readonly kind = "ok";
  constructor(private readonly blob: Blob) {}
  get bytes(): Uint8Array {
    return this.blob.bytes;
  }
  get sha(): string {
    return shaOf(this.blob);
  }
}

/** Index of the first path that sorts at or after `prefix` (binary search). */
function firstAtOrAfter(paths: readonly string[], prefix: string): number {
  let low = 0;
  let high = paths.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((paths[mid] as string) < prefix) low = mid + 1;
    else high = mid;
  }
  return low;
}

function toBlobs(files: MemoryFiles): Map<string, Blob> {
  const blobs = new Map<string, Blob>();
  for (const path of Object.keys(files).sort()) {
    const content = files[path] as MemoryFiles[string];
    const normal = normalizeRepoPath(path);
    if (normal === undefined)
      throw new Error(`memoryFacts: ${JSON.stringify(path)} is not a repository path`);
    blobs.set(normal, toBlob(content));
  }
  return blobs;
}

function toBlob(content: MemoryFiles[string]): Blob {
  if (typeof content === "string") return { bytes: encoder.encode(content) };
  if (content instanceof Uint8Array) return { bytes: content };
  if ("symlink" in content) return { bytes: encoder.encode(content.symlink), kind: "symlink" };
  return { bytes: new Uint8Array(0), sha: content.submodule, kind: "submodule" };
}

function deriveChanges(base: Map<string, Blob>, head: Map<string, Blob>): ChangedFile[] {
  const changes: ChangedFile[] = [];
  for (const path of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = base.get(path);
    const after = head.get(path);
    if (!before) changes.push({ path, status: "added" });
    else if (!after) changes.push({ path, status: "removed" });
    else if (!sameEntry(before, after)) changes.push({ path, status: "modified" });
  }
  return changes;
}

function sameEntry(a: Blob, b: Blob): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === "submodule" ? a.sha === b.sha : sameBytes(a.bytes, b.bytes);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
