// Facts held in memory, for tests and benchmarks: two maps of files and, optionally, people.
import { gitBlobSha } from "./blob-sha.js";
import { isBelow, normalizeRepoDir, normalizeRepoPath } from "./repo-path.js";
import {
  type ChangedFile,
  EVIDENCE_SIZE_LIMIT,
  type Facts,
  type PeopleFacts,
  type Side,
  type TreeEntry,
} from "./types.js";

export type MemoryFiles = Record<string, string | Uint8Array>;

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
  bytes: Uint8Array;
  sha?: string;
}

const encoder = new TextEncoder();

export function memoryFacts(options: MemoryFactsOptions): Facts {
  const sides: Record<Side, Map<string, Blob>> = { base: toBlobs(options.base), head: toBlobs(options.head) };
  // Hashing is lazy and cached: a benchmark with thousands of files pays only for what is read.
  const shaOf = (blob: Blob): string => {
    blob.sha ??= gitBlobSha(blob.bytes);
    return blob.sha;
  };
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
      const size = blob.bytes.byteLength;
      if (size > EVIDENCE_SIZE_LIMIT) return { kind: "too_large", size, limit: EVIDENCE_SIZE_LIMIT };
      // The SHA is hashed only when someone reads it: the gates rarely do.
      return {
        kind: "ok",
        bytes: blob.bytes,
        get sha() {
          return shaOf(blob);
        },
      };
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
        files.push({ path, sha: shaOf(sides[side].get(path) as Blob) });
      }
      return files;
    },
  };
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
    const content = files[path] as string | Uint8Array;
    const normal = normalizeRepoPath(path);
    if (normal === undefined)
      throw new Error(`memoryFacts: ${JSON.stringify(path)} is not a repository path`);
    blobs.set(normal, { bytes: typeof content === "string" ? encoder.encode(content) : content });
  }
  return blobs;
}

function deriveChanges(base: Map<string, Blob>, head: Map<string, Blob>): ChangedFile[] {
  const changes: ChangedFile[] = [];
  for (const path of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = base.get(path);
    const after = head.get(path);
    if (!before) changes.push({ path, status: "added" });
    else if (!after) changes.push({ path, status: "removed" });
    else if (!sameBytes(before.bytes, after.bytes)) changes.push({ path, status: "modified" });
  }
  return changes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
