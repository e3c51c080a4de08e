// A pull request's files, reviews, commits and comments in ONE GraphQL question (the first 100 of
// each), which joins the evaluation's first query with the policy reads. Longer lists are paged
// with more questions. Where GraphQL cannot say enough, REST fills in:
// - a renamed file's previous path is not in GraphQL's file list, so a PR with a rename lists its
//   files through `GET /pulls/{n}/files` (github-changes.ts) to touch both sides of the rename;
// - GitHub lists at most 3,000 files (compared with the PR's `changedFiles`) and 250 commits
//   (past that, the comparison's commits are paged).
// Commit authors include co-authors (github-commit-authors.ts): a commit whose message names one
// is asked for its authors in the next query.
import { commitsSince, PULL_FILE_LIMIT, pullRequestChanges } from "./github-changes.js";
import type { GitHubClient } from "./github-client.js";
import { COMMIT_PEOPLE, commitNodePeople, commitLogins as loginsOf } from "./github-commit-authors.js";
import { type GraphQLBatcher, throwUnlessNotFound } from "./github-graphql.js";
import { normalizeReviewState } from "./github-review-state.js";
import {
  type CommitNode,
  type FileNode,
  type PullConnectionName,
  type PullConnections,
  pullAnswer,
  type ReviewNode,
} from "./github-schema.js";
import type { ChangedFile, ChangeList, ChangeStatus, Review } from "./types.js";

export interface PullComment {
  /** As REST spells it: an app's bot is `slug[bot]`. */
  author: string;
  body: string;
}

export interface PullSnapshot {
  changes: ChangeList;
  reviews: Review[];
  /** Logins of every commit author, co-author and committer (GitHub's `web-flow` left out). */
  commitLogins: string[];
  comments: PullComment[];
}

const PAGE = 100;
const FILES = `files(first: ${PAGE}, after: $files) { pageInfo { hasNextPage endCursor } nodes { path changeType } }`;
const REVIEWS = `reviews(first: ${PAGE}, after: $reviews) {
      pageInfo { hasNextPage endCursor } nodes { databaseId author { login } state submittedAt commit { oid } } }`;
const COMMITS = `commits(first: ${PAGE}, after: $commits) { totalCount pageInfo { hasNextPage endCursor }
      nodes { commit { ${COMMIT_PEOPLE} } } }`;
const COMMENTS = `comments(last: ${PAGE}, before: $comments) {
      pageInfo { hasPreviousPage startCursor } nodes { author { __typename login } body } }`;

const CONNECTIONS: Record<PullConnectionName, string> = {
  files: FILES,
  reviews: REVIEWS,
  commits: COMMITS,
  comments: COMMENTS,
};
const ALL = Object.keys(CONNECTIONS) as PullConnectionName[];

// GraphQL's change types in ours: a copy leaves its source untouched, so it is an addition;
// `CHANGED` is a mode change.
const STATUS: Record<string, ChangeStatus> = {
  ADDED: "added",
  COPIED: "added",
  MODIFIED: "modified",
  CHANGED: "modified",
  DELETED: "removed",
  RENAMED: "renamed",
};

export async function readPullSnapshot(
  client: GitHubClient,
  batch: GraphQLBatcher,
  target: { number: number; baseSha: () => Promise<string>; headSha: string },
): Promise<PullSnapshot> {
  const first = await askPull(client, batch, target.number, ALL, {});
  // Every page of a connection, the first from the first question.
  const rest = async <Name extends PullConnectionName>(name: Name): Promise<NodeOf<Name>[]> => {
    let page: Connection = first[name];
    const items = nodes<NodeOf<Name>>(page);
    for (;;) {
      const cursor =
        "hasPreviousPage" in page.pageInfo
          ? page.pageInfo.hasPreviousPage && page.pageInfo.startCursor
          : page.pageInfo.hasNextPage && page.pageInfo.endCursor;
      if (!cursor) return items;
      page = (await askPull(client, batch, target.number, [name], { [name]: cursor }))[name];
      if (name === "comments") items.unshift(...nodes<NodeOf<Name>>(page));
      else items.push(...nodes<NodeOf<Name>>(page));
    }
  };
  const [files, reviews, commits, comments] = await Promise.all([
    rest("files"),
    rest("reviews"),
    rest("commits"),
    rest("comments"),
  ]);
  return {
    changes: await changeList(client, target.number, files, first.changedFiles),
    reviews: reviews.flatMap(toReview),
    commitLogins: await commitLogins(client, batch, target, commits, first.commits.totalCount),
    comments: comments.flatMap((c) =>
      c.author
        ? [
            {
              author: c.author.__typename === "Bot" ? `${c.author.login}[bot]` : c.author.login,
              body: c.body,
            },
          ]
        : [],
    ),
  };
}

async function askPull<Names extends PullConnectionName>(
  client: GitHubClient,
  batch: GraphQLBatcher,
  number: number,
  connections: Names[],
  cursors: Partial<Record<PullConnectionName, string>>,
): Promise<{ changedFiles: number } & Pick<PullConnections, Names>> {
  const variables: Record<string, readonly [string, unknown]> = {
    owner: ["String!", client.repo.owner],
    name: ["String!", client.repo.repo],
    number: ["Int!", number],
  };
  for (const name of connections) variables[name] = ["String", cursors[name] ?? null];
  const answer = await batch.ask(
    `repository(owner: $owner, name: $name) { pullRequest(number: $number) {
    changedFiles ${connections.map((c) => CONNECTIONS[c]).join("\n    ")} } }`,
    variables,
    pullAnswer(connections),
  );
  throwUnlessNotFound(answer.errors, `pull request #${number}`);
  const pull = answer.data?.pullRequest;
  if (!pull)
    throw new Error(
      `GitHub did not return pull request #${number} of ${client.repo.owner}/${client.repo.repo}`,
    );
  return pull;
}

type Connection = PullConnections[PullConnectionName];
type NodeOf<Name extends PullConnectionName> = NonNullable<
  NonNullable<PullConnections[Name]["nodes"]>[number]
>;

/** A page's nodes without GitHub's nulls (items it cannot show), as the connection `Name` has them. */
function nodes<Node>(page: Connection): Node[] {
  return (page.nodes ?? []).filter((n) => n !== null) as Node[];
}

async function changeList(
  client: GitHubClient,
  number: number,
  files: FileNode[],
  changedFiles: number,
): Promise<ChangeList> {
  // GraphQL names only the new side of a rename: REST lists the old side too.
  if (files.some((f) => f.changeType === "RENAMED")) return pullRequestChanges(client, number);
  const listed: ChangedFile[] = files.map((f) => ({
    path: f.path,
    status: STATUS[f.changeType] ?? "modified",
  }));
  if (listed.length >= changedFiles) return { files: listed };
  const count = changedFiles.toLocaleString("en-US");
  const limit = PULL_FILE_LIMIT.toLocaleString("en-US");
  return {
    files: listed,
    incomplete: `this pull request changes ${count} files; GitHub lists only the first ${limit}, so readiness cannot be evaluated — split the pull request`,
  };
}

function toReview(node: ReviewNode): Review[] {
  const state = normalizeReviewState(node.state);
  // A pending review is a draft only its author sees; a deleted account has no author.
  if (!state || state === "PENDING" || !node.author) return [];
  return [
    {
      ...(typeof node.databaseId === "number" ? { id: node.databaseId } : {}),
      user: node.author.login,
      state,
      commitId: node.commit?.oid ?? "",
      submittedAt: node.submittedAt ?? "",
    },
  ];
}

async function commitLogins(
  client: GitHubClient,
  batch: GraphQLBatcher,
  target: { baseSha: () => Promise<string>; headSha: string },
  commits: CommitNode[],
  total: number,
): Promise<string[]> {
  // GitHub lists a PR's first 250 commits only; past that, the comparison pages them all.
  const people =
    commits.length >= total
      ? commits.map((c) => commitNodePeople(c.commit))
      : await commitsSince(client, await target.baseSha(), target.headSha);
  return loginsOf(client, batch, people);
}
