// Facts and the effective policy for one evaluation: the GitHub facts source, the org policy
// (owner's `.github` repository) and the repository policy at the BASE commit.
//
// Everything a governed evaluation always needs is asked for in the same turn, so it travels as
// ONE GraphQL query: both policies, the pull request's files, reviews, commits and comments, and
// our check run on the head. Where no policy turns up, that one request is all it cost.
import { loadEffectivePolicy, type PolicySource } from "../engine/evaluate.js";
import type { EffectivePolicy } from "../engine/types.js";
import { type GitHubFacts, githubFacts } from "../facts/github.js";
import type { SharedBatch } from "../facts/github-graphql.js";
import type { Override } from "../facts/types.js";
import { POLICY_PATH } from "../policy/schema.js";
import { latestOverride } from "./override-marker.js";
import type { CheckRunTarget, RunLookup } from "./publish.js";
import type { GateContext, Services } from "./services.js";
import type { EvaluationTarget } from "./target.js";

export interface Gathered {
  facts: GitHubFacts;
  org?: PolicySource;
  /** Undefined when neither the org nor the repository has a policy: post nothing. */
  policy: EffectivePolicy | undefined;
  /** Where the check run goes, and the lookup of the run already there. */
  checkRun: { target: CheckRunTarget; lookup: RunLookup };
}

/** `recorded` is an override this delivery just recorded, in case the comment list lags behind. */
export async function gather(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  recorded?: Override,
): Promise<Gathered> {
  const { pull, ...where } = target;
  const identity = await services.identity(); // once per process
  const facts = githubFacts(
    context.octokit,
    { ...where, ...(pull ? { pull: { number: pull.number, author: pull.author } } : {}) },
    {
      ...(pull ? { override: () => overrideFor(facts, target, identity.botLogin, recorded) } : {}),
      ...sharedBatch(context, services),
    },
  );
  const runTarget = checkRunTarget(services, target, identity.id);
  // The first query, asked in this one turn (nothing is awaited in between). Facts cache each
  // read, so the engine's own reads of these find them; their errors surface there.
  const orgRead = facts.orgPolicy();
  const checkRun = { target: runTarget, lookup: services.publisher.lookup(facts.graphql, runTarget) };
  // A PR's files come with its reviews in that query; a merge group's comparison waits for a policy.
  if (pull) facts.changedFiles().catch(() => undefined);
  facts.readFile("base", POLICY_PATH).catch(() => undefined);

  const org = await orgRead;
  if (org && "error" in org) {
    // A broken org policy fails closed as a policy error; it never leaves repositories ungoverned.
    return { facts, checkRun, policy: { ok: false, errors: [org.error], sources: [org.label] } };
  }
  const policy = await loadEffectivePolicy(facts, {
    ...(org ? { org } : {}),
    builtins: services.builtins,
    resolve: services.resolvePolicy,
  });
  return { facts, checkRun, ...(org ? { org } : {}), policy };
}

/** The installation's shared queries; an event without an installation shares nothing. */
function sharedBatch(context: GateContext, services: Services): { shared?: SharedBatch } {
  const id = context.payload.installation?.id;
  const { queries } = services;
  return id === undefined || !queries ? {} : { shared: { queries, installation: `installation ${id}` } };
}

async function overrideFor(
  facts: GitHubFacts,
  target: EvaluationTarget,
  botLogin: string,
  recorded: Override | undefined,
): Promise<Override | undefined> {
  if (recorded?.headSha === target.headSha) return recorded;
  return latestOverride(await facts.comments(), botLogin, target.headSha);
}

export function checkRunTarget(services: Services, target: EvaluationTarget, appId: number): CheckRunTarget {
  const { owner, repo, headSha, pull } = target;
  const detailsUrl =
    pull &&
    (services.publicUrl ? `${services.publicUrl}/pulls/${owner}/${repo}/${pull.number}` : pull.htmlUrl);
  return { owner, repo, headSha, appId, ...(detailsUrl ? { detailsUrl } : {}) };
}
