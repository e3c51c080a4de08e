// File reads batched through GraphQL: every read asked for before the event loop turns
// (setImmediate, so reads issued across several awaits of a Promise.all still meet) goes out as
// one query of up to 50 aliased `object(expression: "<sha>:<path>")` fields.
//
// Expressions travel as GraphQL variables, so no path needs escaping. GraphQL gives a blob's text
// decoded; when that text is truncated or does not re-encode to `byteSize` bytes (not UTF-8),
// the exact bytes come from `GET /git/blobs/{oid}` instead — one more request for that file.
// Known gap: GraphQL does not expose a blob's mode, so a symbolic link reads as its target path.
import type { GitHubClient } from "./github-client.js";
import { EVIDENCE_SIZE_LIMIT, type FileRead } from "./types.js";

export const READS_PER_QUERY = 50;

interface PendingRead {
  expression: string;
  resolve: (read: FileRead) => void;
  reject: (error: unknown) => void;
}

interface GitObjectNode {
  __typename: string;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  text?: string | null;
  oid?: string;
}

type BatchResponse = { repository: Record<string, GitObjectNode | null> | null };

const encoder = new TextEncoder();

/** `read(commitSha, path)`: the path must already be normalised. Each call is one read; cache above. */
export function batchedBlobReader(
  client: GitHubClient,
): (commitSha: string, path: string) => Promise<FileRead> {
  let queue: PendingRead[] = [];
  const flush = () => {
    const pending = queue;
    queue = [];
    for (let i = 0; i < pending.length; i += READS_PER_QUERY) {
      void sendBatch(client, pending.slice(i, i + READS_PER_QUERY));
    }
  };
  return (commitSha, path) =>
    new Promise<FileRead>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ expression: `${commitSha}:${path}`, resolve, reject });
    });
}

async function sendBatch(client: GitHubClient, batch: PendingRead[]): Promise<void> {
  try {
    const variables: Record<string, string> = { owner: client.repo.owner, name: client.repo.repo };
    batch.forEach((read, i) => {
      variables[`e${i}`] = read.expression;
    });
    const declared = batch.map((_, i) => `$e${i}: String!`).join(", ");
    const fields = batch.map((_, i) => `f${i}: object(expression: $e${i}) { ...file }`).join(" ");
    const query = `query ($owner: String!, $name: String!, ${declared}) {
  repository(owner: $owner, name: $name) { ${fields} }
}
fragment file on GitObject { __typename ... on Blob { byteSize isBinary isTruncated text oid } }`;
    const { repository } = await client.send((o) => o.graphql<BatchResponse>(query, variables));
    // Never read "no repository" as "no such file": a missing base policy would ungovern the repo.
    if (!repository)
      throw new Error(`GitHub did not return ${client.repo.owner}/${client.repo.repo} to read files`);
    await Promise.all(
      batch.map(async (read, i) => {
        try {
          read.resolve(await toFileRead(client, repository[`f${i}`] ?? null));
        } catch (error) {
          read.reject(error);
        }
      }),
    );
  } catch (error) {
    for (const read of batch) read.reject(error);
  }
}

async function toFileRead(client: GitHubClient, node: GitObjectNode | null): Promise<FileRead> {
  if (!node) return { kind: "missing" };
  if (node.__typename === "Tree") return { kind: "unreadable", reason: "it is a directory, not a file" };
  if (node.__typename !== "Blob" || node.byteSize === undefined || !node.oid) {
    return { kind: "unreadable", reason: "it is a submodule, not a file" };
  }
  const size = node.byteSize;
  if (size > EVIDENCE_SIZE_LIMIT) return { kind: "too_large", size, limit: EVIDENCE_SIZE_LIMIT };
  if (node.isBinary) return { kind: "unreadable", reason: "binary file" };
  if (typeof node.text === "string" && !node.isTruncated) {
    const bytes = encoder.encode(node.text);
    if (bytes.byteLength === size) return { kind: "ok", bytes, sha: node.oid };
  }
  return { kind: "ok", bytes: await blobBytes(client, node.oid), sha: node.oid };
}

async function blobBytes(client: GitHubClient, oid: string): Promise<Uint8Array> {
  const { data } = await client.send((o) => o.rest.git.getBlob({ ...client.repo, file_sha: oid }));
  const buffer = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
