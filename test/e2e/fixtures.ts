// The sample governed repository of the end-to-end tests: the app tests' repository, with a drill
// date relative to today because the app runs as a real process on the real clock.
import { baseFiles as appBaseFiles, rollbackPlan } from "../app/repository.js";
import type { GitHubStandIn } from "../support/github-standin.js";

export { POLICY, results } from "../app/repository.js";

export const ROLLBACK = rollbackPlan(new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10));

export function baseFiles(): Record<string, string> {
  return appBaseFiles(ROLLBACK);
}

/** Models are high tier with only the ownership gate and an owner's approval (the people rules' tests). */
export const OWNERS_POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  ownership: {}
approvals:
  - { name: Artifact owner, owners: true, count: 1 }
`;

/** The sample organisation: acme's teams (carol and dora in ai-compliance, gina in ai-governance) and alice. */
export function addSampleOrg(gh: GitHubStandIn): void {
  gh.addTeam("acme", "ai-compliance", { members: ["carol", "dora"] });
  gh.addTeam("acme", "ai-governance", { members: ["gina"] });
  gh.addOrgMember("acme", "alice");
}
