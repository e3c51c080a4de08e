// The `Request reviews` button: asks the teams whose approvals are still missing. Only teams of
// the repository's own org can be requested; users and other orgs' teams are left to people.
import type { Evaluation } from "../../engine/types.js";
import { parseTeam } from "../../facts/github-people.js";
import type { GateContext } from "../services.js";
import type { EvaluationTarget } from "../target.js";

/** Slugs of the repository org's teams that can give a missing approval. */
export function missingApprovalTeams(evaluation: Evaluation, org: string): string[] {
  const slugs = evaluation.approvals
    .filter((a) => (a.status === "pending" || a.status === "fail") && a.missing > 0)
    .flatMap((a) => a.from)
    .flatMap((principal) => {
      const team = parseTeam(principal);
      return team && team.org.toLowerCase() === org.toLowerCase() ? [team.slug] : [];
    });
  return [...new Set(slugs)];
}

export async function requestMissingReviews(
  context: GateContext,
  target: EvaluationTarget,
  evaluation: Evaluation,
): Promise<string[]> {
  const slugs = missingApprovalTeams(evaluation, target.owner);
  if (!target.pull || slugs.length === 0) return [];
  await context.octokit.rest.pulls.requestReviewers({
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pull.number,
    team_reviewers: slugs,
  });
  context.log.info({ pull: target.pull.number, teams: slugs }, "reviews requested");
  return slugs;
}
