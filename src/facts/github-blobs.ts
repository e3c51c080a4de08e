// File reads through the shared GraphQL batch (github-graphql.ts): every read asked for in the
// same turn of the event loop joins one query, as `object(expression: "<sha>:<path>")`.
//
// Expressions travel as GraphQL variables, so no path needs escaping. GraphQL gives a blob's text
// decoded; when that text is truncated, binary, or does not re-encode to `byteSize` bytes (not
// UTF-8), the exact bytes come from `GET /git/blobs/{oid}` instead — one more request for that file.
// Known gap: a blob read by expression has no mode, so a symbolic link reads as its target path
// (entryKind tells them apart; a read through `Commit.file`, `readTreeEntry`, knows the mode).

import type { GitHubClient } from "./github-client.js";
import { kindOfEntry } from "./github-entries.js";
import { type GraphQLBatcher, throwUnlessNotFound } from "./github-graphql.js";
import {
  BlobAnswer,
  BlobContent,
  type GitObjectNode,
  parseAnswer,
  type TreeEntryNode,
} from "./github-schema.js";
import { EVIDENCE_SIZE_LIMIT, type FileRead } from "./types.js";

const BLOB_FIELDS = "__typename ... on Blob { byteSize isBinary isTruncated text oid }";
const FILE_FIELD = `repository(owner: $owner, name: $name) {
    object(expression: $expression) { ${BLOB_FIELDS} }
  }`;

/** The fields of a `TreeEntry` (`Commit.file(path:)`) that `readTreeEntry` reads. */
export const TREE_ENTRY_FIELDS = `type mode object { ${BLOB_FIELDS} }`;

const encoder = new TextEncoder();

/**
 * `read(repo, "<rev>:<path>")`: one read of a file at a revision (a SHA, or `HEAD` for the default
 * branch); the path must already be normalised. Undefined `repository` means GitHub does not let
 * us see the repository (not found): the caller decides what that means.
 */
export async function readBlob(
  client: GitHubClient,
  batch: GraphQLBatcher,
  repo: { owner: string; repo: string },
  expression: string,
): Promise<FileRead | { kind: "no_repository" }> {
  const answer = await batch.ask(
    FILE_FIELD,
    { owner: ["String!", repo.owner], name: ["String!", repo.repo], expression: ["String!", expression] },
    BlobAnswer,
  );
  throwUnlessNotFound(answer.errors, `${repo.owner}/${repo.repo} ${expression}`);
  if (!answer.data) return { kind: "no_repository" };
  return toFileRead(client, repo, answer.data.object);
}

/** `read(commitSha, path)` in the client's own repository, where "no repository" is an error. */
export function batchedBlobReader(
  client: GitHubClient,
  batch: GraphQLBatcher,
): (commitSha: string, path: string) => Promise<FileRead> {
  return async (commitSha, path) => {
    const read = await readBlob(client, batch, client.repo, `${commitSha}:${path}`);
    // Never read "no repository" as "no such file": a missing base policy would ungovern the repo.
    if (read.kind === "no_repository")
      throw new Error(`GitHub did not return ${client.repo.owner}/${client.repo.repo} to read files`);
    return read;
  };
}

/** A file read from its tree entry (null: no such path), which knows symlinks and submodules. */
export function readTreeEntry(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  entry: TreeEntryNode | null,
): Promise<FileRead> {
  const kind = entry ? kindOfEntry(entry.type, entry.mode) : "missing";
  if (kind === "symlink")
    return Promise.resolve({ kind: "unreadable", reason: "it is a symbolic link, not a file" });
  if (kind === "submodule")
    return Promise.resolve({ kind: "unreadable", reason: "it is a submodule, not a file" });
  return toFileRead(client, repo, entry?.object ?? null);
}

async function toFileRead(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  node: GitObjectNode | null,
): Promise<FileRead> {
  if (!node) return { kind: "missing" };
  if (node.__typename === "Tree") return { kind: "unreadable", reason: "it is a directory, not a file" };
  if (node.__typename !== "Blob") return { kind: "unreadable", reason: "it is a submodule, not a file" };
  const size = node.byteSize;
  if (size > EVIDENCE_SIZE_LIMIT) return { kind: "too_large", size, limit: EVIDENCE_SIZE_LIMIT };
  // A binary blob (an Inspect `.eval` archive) is read too, from the blob API: each reader decides
  // whether bytes that are not text are evidence (the text readers refuse them as not UTF-8).
  if (!node.isBinary && typeof node.text === "string" && !node.isTruncated) {
    const bytes = encoder.encode(node.text);
    if (bytes.byteLength === size) return { kind: "ok", bytes, sha: node.oid };
  }
  return { kind: "ok", bytes: await blobBytes(client, repo, node.oid), sha: node.oid };
}

async function blobBytes(
  client: GitHubClient,
  repo: { owner: string; repo: string },
  oid: string,
): Promise<Uint8Array> {
  const { data: answer } = await client.send((o) => o.rest.git.getBlob({ ...repo, file_sha: oid }));
  const data = parseAnswer(BlobContent, answer, `blob(${oid})`);
  const buffer = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
