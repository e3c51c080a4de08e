// Reading pull requests for events that only name them (a check run, a comment, a policy push).
import type { ProbotOctokit } from "probot";
import type { RepoRef } from "../facts/github-client.js";
import { type EvaluationTarget, pullTarget } from "./target.js";

/** The PR as it is now, or undefined when it is closed: closed PRs are not evaluated. */
export async function openPull(
  octokit: ProbotOctokit,
  repo: RepoRef,
  number: number,
): Promise<EvaluationTarget | undefined> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  return data.state === "open" ? pullTarget(repo, data) : undefined;
}

/**
 * Up to `limit` open PRs, newest first (one request per 100). `baseSha` replaces each PR's own
 * base SHA: after a push to the base branch, the policy must be read at the new tip.
 */
export async function openPulls(
  octokit: ProbotOctokit,
  repo: RepoRef,
  options: { base?: string; baseSha?: string; limit: number },
): Promise<EvaluationTarget[]> {
  const targets: EvaluationTarget[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.list, {
    ...repo,
    state: "open",
    sort: "created",
    direction: "desc",
    per_page: Math.min(100, options.limit),
    ...(options.base ? { base: options.base } : {}),
  });
  for await (const page of pages) {
    for (const pull of page.data) {
      if (targets.length >= options.limit) return targets;
      targets.push(pullTarget(repo, pull, options.baseSha ?? pull.base.sha));
    }
  }
  return targets;
}
