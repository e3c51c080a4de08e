// Re-evaluating many PRs after a change outside them (a policy push, a team membership change).
// Bounded: at most MAX_PULLS open PRs per event, newest first. They go TOGETHER at a time: their
// questions then share GraphQL queries (one installation: SharedQueries), so ten PRs cost about
// the queries of one, and GitHub's limits still hold (github/limits.ts caps what is in flight).
// One PR's failure does not stop the others. PRs that share a head are evaluated once: that
// evaluation covers every open PR with the head (evaluate-pull.ts).

import type { RepoRef } from "../facts/github-client.js";
import { evaluatePull } from "./evaluate-pull.js";
import { openPulls } from "./pulls.js";
import type { GateContext, Services } from "./services.js";
import { describeTarget, type EvaluationTarget } from "./target.js";

export const MAX_PULLS = 100;
/** PRs evaluated at the same time. */
export const TOGETHER = 10;

export async function reevaluateAll(
  context: GateContext,
  services: Services,
  targets: readonly EvaluationTarget[],
  filter: (target: EvaluationTarget) => Promise<boolean> = async () => true,
): Promise<number> {
  const errors: unknown[] = [];
  let evaluated = 0;
  const heads = new Set<string>();
  const onePerHead = targets.filter((target) => {
    const head = `${target.owner}/${target.repo}@${target.headSha}`;
    if (heads.has(head)) return false;
    heads.add(head);
    return true;
  });
  const reevaluate = async (target: EvaluationTarget) => {
    try {
      if (!(await filter(target))) return;
      await evaluatePull(context, services, target);
      evaluated++;
    } catch (error) {
      errors.push(error);
      context.log.warn(describeTarget(target), "re-evaluation failed; continuing with the next pull request");
    }
  };
  for (let i = 0; i < onePerHead.length; i += TOGETHER) {
    await Promise.all(onePerHead.slice(i, i + TOGETHER).map(reevaluate));
  }
  if (errors.length > 0)
    throw new AggregateError(errors, `${errors.length} of ${onePerHead.length} re-evaluations failed`);
  return evaluated;
}

/** Open PRs across the installation's repositories, at most MAX_PULLS in all. */
export async function installationPulls(context: GateContext, owner: string): Promise<EvaluationTarget[]> {
  const { octokit } = context;
  const targets: EvaluationTarget[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  })) {
    for (const repository of page.data) {
      if (targets.length >= MAX_PULLS) return targets;
      if (repository.archived || repository.owner.login.toLowerCase() !== owner.toLowerCase()) continue;
      const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
      targets.push(...(await openPulls(octokit, repo, { limit: MAX_PULLS - targets.length })));
    }
  }
  if (targets.length >= MAX_PULLS)
    context.log.warn({ owner, limit: MAX_PULLS }, "re-evaluating only the first open PRs");
  return targets;
}
