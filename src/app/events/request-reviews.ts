// The `Request reviews` button: asks the teams the engine names (engine/request-reviews.ts).
import { missingApprovalTeams } from "../../engine/request-reviews.js";
import type { Evaluation } from "../../engine/types.js";
import type { GateContext } from "../services.js";
import type { EvaluationTarget } from "../target.js";

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
