// Facts and the effective policy for one evaluation: the GitHub facts source, the org policy
// (owner's `.github` repository) and the repository policy at the BASE commit.
import { loadEffectivePolicy, type PolicySource } from "../engine/evaluate.js";
import type { EffectivePolicy } from "../engine/types.js";
import { type GitHubFacts, githubFacts } from "../facts/github.js";
import { readOrgPolicy } from "../facts/github-org-policy.js";
import type { Override } from "../facts/types.js";
import { readOverride } from "./override-marker.js";
import type { GateContext, Services } from "./services.js";
import type { EvaluationTarget } from "./target.js";

export interface Gathered {
  facts: GitHubFacts;
  org?: PolicySource;
  /** Undefined when neither the org nor the repository has a policy: post nothing. */
  policy: EffectivePolicy | undefined;
}

/** `recorded` is an override this delivery just recorded, in case the comment list lags behind. */
export async function gather(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  recorded?: Override,
): Promise<Gathered> {
  const { pull, ...where } = target;
  const facts = githubFacts(
    context.octokit,
    { ...where, ...(pull ? { pull: { number: pull.number, author: pull.author } } : {}) },
    pull ? { override: () => overrideFor(context, services, target, pull.number, recorded) } : {},
  );
  const org = await readOrgPolicy(context.octokit, target.owner);
  if (org && "error" in org) {
    // A broken org policy fails closed as a policy error; it never leaves repositories ungoverned.
    return { facts, policy: { ok: false, errors: [org.error], sources: [org.label] } };
  }
  const policy = await loadEffectivePolicy(facts, { ...(org ? { org } : {}), builtins: services.builtins });
  return { facts, ...(org ? { org } : {}), policy };
}

async function overrideFor(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  pullNumber: number,
  recorded: Override | undefined,
): Promise<Override | undefined> {
  if (recorded?.headSha === target.headSha) return recorded;
  const { botLogin } = await services.identity();
  return readOverride(context.octokit, { ...target, pullNumber, botLogin });
}
