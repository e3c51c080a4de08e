// Which teams the check run's `Request reviews` button asks: those named by an approval rule
// that still waits for approvals (pending or failing, with approvals missing). Only teams of the
// repository's own organisation can be requested on its pull requests; users and other
// organisations' teams are left to people.
import { parseTeam } from "../facts/team-name.js";
import type { Evaluation } from "./types.js";

/** Slugs of the repository org's teams that can give a missing approval, each once, in rule order. */
export function missingApprovalTeams(evaluation: Pick<Evaluation, "approvals">, org: string): string[] {
  const slugs = evaluation.approvals
    .filter((a) => (a.status === "pending" || a.status === "fail") && a.missing > 0)
    .flatMap((a) => a.from)
    .flatMap((principal) => {
      const team = parseTeam(principal);
      return team && team.org.toLowerCase() === org.toLowerCase() ? [team.slug] : [];
    });
  return [...new Set(slugs)];
}
