// What one evaluation is about: a pull request's base and head, or a bare compare (merge group).
// It is what the GitHub facts source reads (`GitHubTarget`), with the PR's page for links.
import type { GitHubTarget } from "../facts/github.js";
import type { RepoRef } from "../facts/github-client.js";

export interface PullInfo extends NonNullable<GitHubTarget["pull"]> {
  htmlUrl: string;
}

export interface EvaluationTarget extends GitHubTarget {
  /** Absent for a merge group: no people, so approvals are `not_checked` there. */
  pull?: PullInfo;
}

/** The fields every pull request shape (webhook payloads, REST answers) shares. */
export interface PullLike {
  number: number;
  html_url: string;
  state?: string;
  user: { login: string } | null;
  base: { sha: string; ref?: string };
  head: { sha: string; ref?: string };
}

export function pullTarget(repo: RepoRef, pull: PullLike, baseSha = pull.base.sha): EvaluationTarget {
  return {
    ...repo,
    baseSha,
    headSha: pull.head.sha,
    pull: { number: pull.number, author: pull.user?.login ?? "ghost", htmlUrl: pull.html_url },
  };
}

export function describeTarget(target: EvaluationTarget): Record<string, unknown> {
  return {
    repo: `${target.owner}/${target.repo}`,
    ...(target.pull ? { pull: target.pull.number } : {}),
    baseSha: target.baseSha,
    headSha: target.headSha,
  };
}
