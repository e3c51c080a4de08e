// A range of commits as GitHub knows it, for the release gate, deployments and bypass reports:
// - which commits and files the range holds: one comparison (`GET /compare/{base}...{head}`), which
//   lists at most 250 commits and 300 files; past 300 files the two trees are diffed instead, past
//   250 commits the range is marked as not read in full (never a pass);
// - which of those commits changed each governed path: `Commit.history(path:)`, one question per
//   path; and the pull requests GitHub associates with those commits: `associatedPullRequests`,
//   one question per commit. Each kind is asked together, 50 to a query, each query GitHub's
//   minimum cost (one connection per question; nesting them would multiply the cost).
import { z } from "zod";
import { COMPARE_FILE_LIMIT, toChangedFile } from "./github-changes.js";
import type { GitHubClient } from "./github-client.js";
import { type GraphQLBatcher, throwUnlessNotFound } from "./github-graphql.js";
import { ComparedCommits, Comparison, parseAnswer } from "./github-schema.js";
import type { GitTrees } from "./github-tree.js";
import type { ChangedFile } from "./types.js";

/** Commits of one path's history read per range; more is said, never passed over. */
export const PATH_HISTORY_LIMIT = 100;

export interface RangeRead {
  /** The commit the range starts from (`base` of `base...head`). */
  base: string;
  /** Where the head stands relative to the base: `ahead`, `identical`, `behind`, `diverged`. */
  status: string;
  /** The commits read, oldest first. */
  commits: string[];
  /** How many commits the range holds. */
  total: number;
  files: ChangedFile[];
  /** What was not read, when something was not. */
  unread?: string;
}

/**
 * `base...head`: its commits and files. Undefined when GitHub does not know one of the commits.
 * The file list is complete (the trees are diffed past GitHub's 300); the commit list stops at 250.
 */
export async function readRange(
  client: GitHubClient,
  trees: GitTrees,
  base: string,
  head: string,
): Promise<RangeRead | undefined> {
  const found = await client.sendOrMissing((o) =>
    o.rest.repos.compareCommitsWithBasehead({ ...client.repo, basehead: `${base}...${head}` }),
  );
  if (!found) return undefined;
  const where = `compare(${base}...${head})`;
  const listed = parseAnswer(ComparedCommits, found.data, where);
  const comparison = parseAnswer(Comparison, found.data, where);
  const commits = listed.commits.map((c) => c.sha);
  let files = (comparison.files ?? []).map(toChangedFile);
  const unread: string[] = [];
  if (files.length >= COMPARE_FILE_LIMIT) {
    const diffed = await trees.diff(comparison.merge_base_commit.sha, head);
    if (diffed) files = diffed;
    else
      unread.push(
        `the range changes more than ${COMPARE_FILE_LIMIT} files and the repository is too large to compare tree by tree`,
      );
  }
  if (listed.total_commits > commits.length) {
    const left = (listed.total_commits - commits.length).toLocaleString("en-US");
    const total = listed.total_commits.toLocaleString("en-US");
    unread.push(
      `the range holds ${total} commits and GitHub's comparison lists ${commits.length}: ${left} were not read`,
    );
  }
  return {
    base,
    status: comparison.status,
    commits,
    total: listed.total_commits,
    files,
    ...(unread.length > 0 ? { unread: unread.join("; ") } : {}),
  };
}

/** A pull request GitHub associates with a commit. */
export interface AssociatedPull {
  number: number;
  title: string;
  author: string | null;
  merged: boolean;
  /** Its head commit: for a merged pull request, the head it merged at. */
  headSha: string;
  /**
   * The base commit GitHub records for it (`baseRefOid`): for a merged pull request, the tip of
   * the branch it merged onto, which its own changes are not in.
   */
  baseSha: string;
}

export interface PathHistory {
  /** The commits that changed the path, newest first, as far as they were read. */
  commits: string[];
  /** More commits changed it than were read. */
  more: boolean;
}

const PullNode = z.object({
  number: z.number(),
  title: z.string(),
  merged: z.boolean(),
  headRefOid: z.string(),
  baseRefOid: z.string(),
  author: z.object({ login: z.string() }).nullable(),
});

const HistoryAnswer = z.object({
  object: z
    .object({
      history: z
        .object({
          pageInfo: z.object({ hasNextPage: z.boolean() }),
          nodes: z.array(z.object({ oid: z.string() }).nullable()).nullable(),
        })
        .optional(),
    })
    .nullable(),
});

/**
 * The commits reachable from `commit` that changed each path, newest first, at most
 * PATH_HISTORY_LIMIT. Asked in one turn, so they share queries (each question one connection:
 * a query of 50 costs GitHub's minimum, 1 point).
 */
export async function pathHistories(
  batch: GraphQLBatcher,
  repo: { owner: string; repo: string },
  commit: string,
  paths: readonly string[],
): Promise<Map<string, PathHistory>> {
  const answers = await Promise.all(
    paths.map((path) =>
      batch.ask(
        `repository(owner: $owner, name: $name) { object(oid: $commit) { ... on Commit {
    history(first: ${PATH_HISTORY_LIMIT}, path: $path) { pageInfo { hasNextPage } nodes { oid } } } } }`,
        {
          owner: ["String!", repo.owner],
          name: ["String!", repo.repo],
          commit: ["GitObjectID!", commit],
          path: ["String!", path],
        },
        HistoryAnswer,
      ),
    ),
  );
  const byPath = new Map<string, PathHistory>();
  answers.forEach((answer, i) => {
    const path = paths[i] as string;
    throwUnlessNotFound(answer.errors, `the history of ${path}`);
    const history = answer.data?.object?.history;
    if (!history) throw new Error(`GitHub does not know the commit ${commit}`);
    const commits = (history.nodes ?? []).flatMap((node) => (node ? [node.oid] : []));
    byPath.set(path, { commits, more: history.pageInfo.hasNextPage });
  });
  return byPath;
}

const PullsAnswer = z.object({
  object: z
    .object({
      associatedPullRequests: z
        .object({ nodes: z.array(PullNode.nullable()).nullable() })
        .nullable()
        .optional(),
    })
    .nullable(),
});

/** The pull requests GitHub associates with each commit (on the default branch: the one that merged it). */
export async function commitPulls(
  batch: GraphQLBatcher,
  repo: { owner: string; repo: string },
  commits: readonly string[],
): Promise<Map<string, AssociatedPull[]>> {
  const answers = await Promise.all(
    commits.map((sha) =>
      batch.ask(
        `repository(owner: $owner, name: $name) { object(oid: $commit) { ... on Commit {
    associatedPullRequests(first: 5) { nodes { number title merged headRefOid baseRefOid author { login } } } } } }`,
        { owner: ["String!", repo.owner], name: ["String!", repo.repo], commit: ["GitObjectID!", sha] },
        PullsAnswer,
      ),
    ),
  );
  const pulls = new Map<string, AssociatedPull[]>();
  answers.forEach((answer, i) => {
    const sha = commits[i] as string;
    throwUnlessNotFound(answer.errors, `the pull requests of ${sha}`);
    pulls.set(
      sha,
      (answer.data?.object?.associatedPullRequests?.nodes ?? []).flatMap((p) =>
        p
          ? [
              {
                number: p.number,
                title: p.title,
                author: p.author?.login ?? null,
                merged: p.merged,
                headSha: p.headRefOid,
                baseSha: p.baseRefOid,
              },
            ]
          : [],
      ),
    );
  });
  return pulls;
}
