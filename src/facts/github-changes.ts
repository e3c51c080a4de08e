// What changed, from GitHub's own listings, with their limits made explicit:
// - a PR's files (`GET /pulls/{n}/files`) stop at 3,000 — past that the change list is marked
//   incomplete and the engine fails closed, since an unlisted file could be governed;
// - a comparison (`GET /compare/{base}...{head}`) lists at most 300 files, on its first page
//   only — past that the two commits' trees are diffed instead (two requests).
import type { GitHubClient } from "./github-client.js";
import {
  ComparedCommits,
  Comparison as ComparisonAnswer,
  type ListedFile,
  ListedFiles,
  PullFileCount,
  parseAnswer,
} from "./github-schema.js";
import type { GitTrees } from "./github-tree.js";
import type { ChangedFile, ChangeList, ChangeStatus } from "./types.js";

export const PULL_FILE_LIMIT = 3000;
export const COMPARE_FILE_LIMIT = 300;

// GitHub's statuses in ours: a copy leaves its source untouched, so it is an addition; `changed`
// is a mode change; `unchanged` is listed as modified because touching a path must never be missed.
const STATUS: Record<string, ChangeStatus> = {
  added: "added",
  copied: "added",
  modified: "modified",
  changed: "modified",
  unchanged: "modified",
  removed: "removed",
  renamed: "renamed",
};

export function toChangedFile(file: ListedFile): ChangedFile {
  const status = STATUS[file.status] ?? "modified";
  if (status === "renamed" && file.previous_filename) {
    return { path: file.filename, status, previousPath: file.previous_filename };
  }
  return { path: file.filename, status };
}

/** Every path a change touches: both sides of a rename. */
export function touchedPaths(files: readonly ChangedFile[]): string[] {
  return [...new Set(files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])))];
}

/** A PR's files: one request per 100 files, plus one for the PR itself only at the 3,000 limit. */
export async function pullRequestChanges(client: GitHubClient, pullNumber: number): Promise<ChangeList> {
  const { repo } = client;
  const listed = await client.allPages((o) =>
    o.paginate.iterator(o.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 }),
  );
  const files = parseAnswer(ListedFiles, listed, `pulls(${pullNumber}).files`).map(toChangedFile);
  if (listed.length < PULL_FILE_LIMIT) return { files };
  // The listing cannot say whether it stopped at the limit; the PR's own count can.
  const { data } = await client.send((o) => o.rest.pulls.get({ ...repo, pull_number: pullNumber }));
  const pull = parseAnswer(PullFileCount, data, `pulls(${pullNumber})`);
  if (pull.changed_files <= listed.length) return { files };
  const count = pull.changed_files.toLocaleString("en-US");
  return {
    files,
    incomplete: `this pull request changes ${count} files; GitHub lists only the first 3,000, so readiness cannot be evaluated — split the pull request`,
  };
}

export interface Comparison {
  /** `ahead`, `behind`, `diverged` or `identical`: where `head` stands relative to `base`. */
  status: string;
  mergeBase: string;
  files: ChangedFile[];
  /** False when GitHub's 300-file cap may have cut the list. */
  complete: boolean;
}

/**
 * `base...head` in one request. `per_page=1` keeps the commit list out of the answer: files come
 * on the first page only, whatever the paging. Undefined when GitHub does not know a commit (404).
 */
export async function compareCommits(
  client: GitHubClient,
  base: string,
  head: string,
): Promise<Comparison | undefined> {
  const { repo } = client;
  const found = await client.sendOrMissing((o) =>
    o.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}`, per_page: 1 }),
  );
  if (!found) return undefined;
  const data = parseAnswer(ComparisonAnswer, found.data, `compare(${base}...${head})`);
  const listed = data.files ?? [];
  return {
    status: data.status,
    mergeBase: data.merge_base_commit.sha,
    files: listed.map(toChangedFile),
    complete: listed.length < COMPARE_FILE_LIMIT,
  };
}

/** A push's or release's changes (three-dot: since the merge base), without a PR. */
export async function commitChanges(
  client: GitHubClient,
  trees: GitTrees,
  base: string,
  head: string,
): Promise<ChangeList> {
  const comparison = await compareCommits(client, base, head);
  if (!comparison) throw new Error(`GitHub cannot compare ${base}...${head}: a commit was not found`);
  if (comparison.complete) return { files: comparison.files };
  const diffed = await trees.diff(comparison.mergeBase, head);
  if (diffed) return { files: diffed };
  return {
    files: comparison.files,
    incomplete: `this change touches more than ${COMPARE_FILE_LIMIT} files and the repository is too large to compare tree by tree, so readiness cannot be evaluated`,
  };
}

/**
 * Paths that differ between a reviewed commit and the head (two-dot). When the reviewed commit is
 * an ancestor of the head, the comparison is exact; after a force-push (`diverged`, `behind`) or
 * past 300 files, the trees are diffed. A commit GitHub no longer knows counts as "everything
 * changed", so a review of it never counts.
 */
export async function pathsChangedSince(
  client: GitHubClient,
  trees: GitTrees,
  reviewedSha: string,
  headSha: string,
): Promise<string[]> {
  if (reviewedSha === headSha) return [];
  const everything = async () => (await trees.files(headSha, "")).map((e) => e.path);
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(reviewedSha)) return everything();
  const comparison = await compareCommits(client, reviewedSha, headSha);
  if (!comparison) return everything();
  if (comparison.status === "identical") return [];
  if (comparison.status === "ahead" && comparison.complete) return touchedPaths(comparison.files);
  const diffed = await trees.diff(reviewedSha, headSha);
  if (diffed) return touchedPaths(diffed);
  throw new Error(
    `cannot tell which files changed since ${reviewedSha}: the repository is too large to compare`,
  );
}

export interface CommitPeople {
  sha: string;
  /** Its trailers name co-authors (github-commit-authors.ts). */
  message: string;
  // GitHub gives `null` (or `{}`) when a commit's email matches no account.
  author: { login?: string } | null;
  committer: { login?: string } | null;
}

/** Every commit of `base...head`, 100 per request (the comparison pages commits without a cap). */
export async function commitsSince(
  client: GitHubClient,
  base: string,
  head: string,
): Promise<CommitPeople[]> {
  const commits: CommitPeople[] = [];
  for (let page = 1; ; page++) {
    const { data: answer } = await client.send((o) =>
      o.rest.repos.compareCommitsWithBasehead({
        ...client.repo,
        basehead: `${base}...${head}`,
        per_page: 100,
        page,
      }),
    );
    const data = parseAnswer(ComparedCommits, answer, `compare(${base}...${head}, page ${page})`);
    commits.push(
      ...data.commits.map((c) => ({
        sha: c.sha,
        message: c.commit.message,
        author: c.author,
        committer: c.committer,
      })),
    );
    if (data.commits.length < 100 || commits.length >= data.total_commits) return commits;
  }
}
