// Commit history as GitHub's GraphQL `Commit.history` lists it, and the pull requests that hold a
// commit (`Commit.associatedPullRequests`, REST `GET /repos/{o}/{r}/commits/{sha}/pulls`).
import type { CommitLookup } from "./git.js";
import type { CommitRecord, PullRequestRecord, RepoRecord } from "./records.js";

/**
 * Every commit reachable from `head`, newest first in topological order: a commit always comes
 * before its parents, and each merge is followed into all its parents, as `git log --topo-order`
 * does (the side branch of a merge is listed before the mainline below it). Iterative, so a long
 * history cannot overflow the stack.
 */
export function topologicalHistory(lookup: CommitLookup, head: string): string[] {
  const parentsFirst: string[] = [];
  const visited = new Set<string>([head]);
  // Each frame: a commit and how many of its parents were visited already.
  const stack: Array<{ sha: string; next: number }> = [{ sha: head, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as { sha: string; next: number };
    const parents = lookup(frame.sha)?.parents ?? [];
    const parent = parents[frame.next];
    frame.next += 1;
    if (parent === undefined) {
      stack.pop();
      parentsFirst.push(frame.sha);
    } else if (!visited.has(parent)) {
      visited.add(parent);
      stack.push({ sha: parent, next: 0 });
    }
  }
  return parentsFirst.reverse();
}

/** The blob SHAs of the files at `path` or below it (a directory's files), by path. */
function filesUnder(commit: CommitRecord, path: string): Map<string, string> {
  const under = new Map<string, string>();
  for (const [file, sha] of commit.shas) {
    if (path === "" || file === path || file.startsWith(`${path}/`)) under.set(file, sha);
  }
  return under;
}

/**
 * Whether a commit touched `path` (a file, or a directory and everything below it), as the
 * stand-in's `history(path:)` filter decides it: the files there differ from the first parent's
 * (a root commit: it has any). The rule is the same for merge commits — "differs from the first
 * parent" — which lists a merge that brought a side branch's change to `path` into the mainline,
 * while git's own history simplification (TREESAME to any parent) would skip it. The side
 * branch's own commits that touched `path` are listed either way, since history follows every parent.
 */
export function touchesPath(repo: RepoRecord, commit: CommitRecord, path: string): boolean {
  const mine = filesUnder(commit, path);
  const parent = commit.parents[0] ? repo.commits.get(commit.parents[0]) : undefined;
  if (!parent) return mine.size > 0;
  const theirs = filesUnder(parent, path);
  if (mine.size !== theirs.size) return true;
  for (const [file, sha] of mine) if (theirs.get(file) !== sha) return true;
  return false;
}

export interface HistoryFilter {
  /** A file or directory path, without leading or trailing slashes. */
  path?: string | null;
  /** ISO timestamps (GitTimestamp); a commit's committed date must lie within them. */
  since?: string | null;
  until?: string | null;
  /** Lower-cased author emails (CommitAuthor.emails); the stand-in's authors have noreply emails. */
  emails?: readonly string[] | null;
}

/** `Commit.history` of `head`: its commits, newest first, narrowed by `filter`. */
export function commitHistory(
  repo: RepoRecord,
  head: string,
  filter: HistoryFilter,
  authorEmail: (commit: CommitRecord) => string,
): CommitRecord[] {
  const path = (filter.path ?? "").replace(/^\/+|\/+$/g, "");
  const since = filter.since ? Date.parse(filter.since) : undefined;
  const until = filter.until ? Date.parse(filter.until) : undefined;
  const emails = filter.emails ? new Set(filter.emails.map((e) => e.toLowerCase())) : undefined;
  return topologicalHistory((sha) => repo.commits.get(sha), head)
    .map((sha) => repo.commits.get(sha) as CommitRecord)
    .filter((commit) => {
      const at = Date.parse(commit.date);
      if (since !== undefined && at < since) return false;
      if (until !== undefined && at > until) return false;
      if (emails && !emails.has(authorEmail(commit).toLowerCase())) return false;
      return path === "" || touchesPath(repo, commit, path);
    });
}

/**
 * The pull requests of `repo` that hold each commit, by number: the one whose merge commit it is
 * and those whose commits include it. As GitHub documents for the REST listing, a commit on the
 * default branch lists only the merged pull requests that brought it there; any other commit lists
 * open and merged ones. One pass over the pull requests, so a query that asks this of every commit
 * of a history does not walk the graph once per commit.
 */
export function pullRequestsByCommit(
  repo: RepoRecord,
  commitsOf: (pr: PullRequestRecord) => readonly string[],
  onDefaultBranch: ReadonlySet<string>,
): Map<string, PullRequestRecord[]> {
  const byCommit = new Map<string, PullRequestRecord[]>();
  const pulls = [...repo.pulls.values()].sort((a, b) => a.number - b.number);
  for (const pr of pulls) {
    const held = new Set(commitsOf(pr));
    if (pr.merge_commit_sha) held.add(pr.merge_commit_sha);
    for (const sha of held) {
      if (onDefaultBranch.has(sha) && !pr.merged) continue;
      const list = byCommit.get(sha) ?? [];
      list.push(pr);
      byCommit.set(sha, list);
    }
  }
  return byCommit;
}
