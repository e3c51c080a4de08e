// The base side of an evaluation. For a pull request it is the base branch's CURRENT tip, never
// the `base.sha` of a payload that may be stale (the base moved since the event was sent, or a
// re-evaluation carries an old SHA): a stale base would read a policy the base branch has since
// tightened. The tip is asked for in the evaluation's first query (`pullRequest.baseRef.target`,
// GitHub's own view of the PR's base), and every base file asked for in that same turn — the
// repository policy — is read from that very commit in the same question (`Commit.file(path:)`),
// so the policy and the SHA cannot disagree and no request is added. Later base reads, listings
// and entry kinds use the resolved SHA.
//
// GitHub's list of a PR's files is against the merge base of its current base and head, so the
// change list and this base agree.
import { readTreeEntry, TREE_ENTRY_FIELDS } from "./github-blobs.js";
import type { GitHubClient } from "./github-client.js";
import { type GraphQLBatcher, throwUnlessNotFound, type Variables } from "./github-graphql.js";
import { baseAnswer, type TreeEntryNode } from "./github-schema.js";
import type { FileRead } from "./types.js";

export interface BaseSide {
  /** The base commit's SHA (for a PR: the tip, once the first query answered). */
  sha(): Promise<string>;
  /** The SHA known so far: for a PR, the payload's until the tip is read. */
  known(): string;
  /** One base file (the path normalised). */
  read(path: string): Promise<FileRead>;
}

type ReadAt = (commitSha: string, path: string) => Promise<FileRead>;

/** A base given as a SHA (a merge group's, a push's, a release's): used as it is. */
export function fixedBase(sha: string, readAt: ReadAt): BaseSide {
  return { sha: () => Promise.resolve(sha), known: () => sha, read: (path) => readAt(sha, path) };
}

interface Waiting {
  resolve: (read: FileRead | Promise<FileRead>) => void;
  reject: (error: unknown) => void;
  read: Promise<FileRead>;
}

/** The base of pull request `number`: its base branch's tip, as GitHub has it now. */
export function pullRequestBase(
  client: GitHubClient,
  batch: GraphQLBatcher,
  number: number,
  payloadSha: string,
  readAt: ReadAt,
): BaseSide {
  let tip: Promise<string> | undefined;
  let resolved: string | undefined;
  // Paths asked for before the tip question goes out: they ride with it.
  let riders: Map<string, Waiting> | undefined;

  const ask = (): Promise<string> => {
    if (tip) return tip;
    const waiting = new Map<string, Waiting>();
    riders = waiting;
    // A microtask later, still before the batch goes out (setImmediate): every base read asked
    // for in this turn has joined `waiting`.
    tip = Promise.resolve()
      .then(() => {
        riders = undefined;
        return askTip(client, batch, number, [...waiting.keys()]);
      })
      .then(
        ({ oid, files }) => {
          resolved = oid;
          for (const [path, entry] of waiting)
            entry.resolve(readTreeEntry(client, client.repo, files.get(path) ?? null));
          return oid;
        },
        (error: unknown) => {
          for (const entry of waiting.values()) entry.reject(error);
          throw error;
        },
      );
    // Whoever reads the base sees the error; nobody reading it is no unhandled rejection.
    tip.catch(() => undefined);
    return tip;
  };

  return {
    sha: ask,
    known: () => resolved ?? payloadSha,
    read(path) {
      if (!tip) ask();
      if (riders) {
        let entry = riders.get(path);
        if (!entry) {
          let resolve: Waiting["resolve"] = () => undefined;
          let reject: Waiting["reject"] = () => undefined;
          const read = new Promise<FileRead>((res, rej) => {
            resolve = res;
            reject = rej;
          });
          entry = { resolve, reject, read };
          riders.set(path, entry);
        }
        return entry.read;
      }
      return ask().then((sha) => readAt(sha, path));
    },
  };
}

async function askTip(
  client: GitHubClient,
  batch: GraphQLBatcher,
  number: number,
  paths: string[],
): Promise<{ oid: string; files: Map<string, TreeEntryNode | null> }> {
  const { owner, repo } = client.repo;
  const variables: Variables = {
    owner: ["String!", owner],
    name: ["String!", repo],
    number: ["Int!", number],
  };
  paths.forEach((path, i) => {
    variables[`path${i}`] = ["String!", path];
  });
  const files = paths.map((_, i) => `file${i}: file(path: $path${i}) { ${TREE_ENTRY_FIELDS} }`).join(" ");
  const answer = await batch.ask(
    `repository(owner: $owner, name: $name) { pullRequest(number: $number) {
    baseRefName baseRef { target { oid${files ? ` ... on Commit { ${files} }` : ""} } } } }`,
    variables,
    baseAnswer(paths.length),
  );
  throwUnlessNotFound(answer.errors, `the base of pull request #${number}`);
  const pull = answer.data?.pullRequest;
  if (!pull) throw new Error(`GitHub did not return pull request #${number} of ${owner}/${repo}`);
  const target = pull.baseRef?.target;
  // Without its base branch there is no base to read: never fall back to a payload's old SHA.
  if (!target)
    throw new Error(`the base branch ${pull.baseRefName} of pull request #${number} no longer exists`);
  return {
    oid: target.oid,
    files: new Map(paths.map((path, i) => [path, target[`file${i}`] ?? null])),
  };
}
