// Facts and the effective policy for one evaluation: the GitHub facts source, the org policy
// (owner's `.github` repository) and the repository policy at the BASE commit.
//
// Everything a governed evaluation always needs is asked for in the same turn, so it travels as
// ONE GraphQL query: both policies, the pull request's files, reviews, commits and comments, our
// check run on the head, and the repository's open pull requests (to find the others with the
// same head, head-pulls.ts). Where no policy turns up, that one request is all it cost.
import { loadEffectivePolicy, type PolicySource } from "../engine/evaluate.js";
import type { EffectivePolicy } from "../engine/types.js";
import { type GitHubFacts, githubFacts } from "../facts/github.js";
import type { SharedBatch } from "../facts/github-graphql.js";
import type { Override } from "../facts/types.js";
import { POLICY_PATH } from "../policy/schema.js";
import { openPullsWithHead } from "./head-pulls.js";
import { latestOverride } from "./override-marker.js";
import type { CheckRunTarget, RunLookup } from "./publish.js";
import type { GateContext, Services } from "./services.js";
import type { EvaluationTarget, PullInfo } from "./target.js";

export interface Gathered {
  facts: GitHubFacts;
  org?: PolicySource;
  /** Undefined when neither the org nor the repository has a policy: post nothing. */
  policy: EffectivePolicy | undefined;
  /** Where the check run goes, and the lookup of the run already there. */
  checkRun: { target: CheckRunTarget; lookup?: RunLookup };
  /** Numbers of the open PRs whose head is this head, this one included (asked for a PR). */
  headPulls?: Promise<number[]>;
  /** The override recorded for this head, read from the PR's comments (in the first query). */
  override?: Override;
}

export interface GatherOptions {
  /** An override this delivery just recorded, in case the comment list lags behind. */
  recorded?: Override;
  /**
   * Another PR with the head being evaluated: only its facts and policy are needed, not the run
   * lookup nor the list of open PRs.
   */
  sibling?: boolean;
  /** The run this evaluation publishes, when not `Readiness gate` (the release gate's). */
  checkName?: string;
}

export async function gather(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  options: GatherOptions = {},
): Promise<Gathered> {
  const { recorded, sibling = false, checkName } = options;
  const { pull } = target;
  const identity = await services.identity(); // once per process
  const facts = githubFacts(context.octokit, target, sharedBatch(context, services));
  const runTarget = {
    ...checkRunTarget(services, target, identity.id),
    ...(checkName ? { name: checkName } : {}),
  };
  // The first query, asked in this one turn (nothing is awaited in between). Facts cache each
  // read, so the engine's own reads of these find them; their errors surface there.
  const orgRead = facts.orgPolicy();
  const checkRun = {
    target: runTarget,
    ...(sibling ? {} : { lookup: services.publisher.lookup(facts.graphql, runTarget) }),
  };
  const headPulls = pull && !sibling ? openPullsWithHead(facts.graphql, target, target.headSha) : undefined;
  headPulls?.catch(() => undefined); // awaited by the evaluation once it has its own result
  // A PR's files come with its reviews in that query; a merge group's comparison waits for a policy.
  if (pull) facts.changedFiles().catch(() => undefined);
  facts.readFile("base", POLICY_PATH).catch(() => undefined);

  const org = await orgRead;
  if (org && "error" in org) {
    // A broken org policy fails closed as a policy error; it never leaves repositories ungoverned.
    return {
      facts,
      checkRun,
      ...(headPulls ? { headPulls } : {}),
      policy: { ok: false, errors: [org.error], sources: [org.label] },
    };
  }
  const policy = await loadEffectivePolicy(facts, {
    ...(org ? { org } : {}),
    builtins: services.builtins,
    resolve: services.resolvePolicy,
  });
  // Only a policy that loaded can be overridden; the comments came with the first query.
  const override =
    pull && policy?.ok ? await overrideFor(facts, target.headSha, identity.botLogin, recorded) : undefined;
  return {
    facts,
    checkRun,
    ...(headPulls ? { headPulls } : {}),
    ...(org ? { org } : {}),
    policy,
    ...(override ? { override } : {}),
  };
}

/** The installation's shared queries; an event without an installation shares nothing. */
function sharedBatch(context: GateContext, services: Services): { shared?: SharedBatch } {
  const id = context.payload.installation?.id;
  const { queries } = services;
  return id === undefined || !queries ? {} : { shared: { queries, installation: `installation ${id}` } };
}

/** The override this delivery just recorded, else the latest the app's comments record for the head. */
async function overrideFor(
  facts: GitHubFacts,
  headSha: string,
  botLogin: string,
  recorded: Override | undefined,
): Promise<Override | undefined> {
  if (recorded?.headSha === headSha) return recorded;
  return latestOverride(await facts.comments(), botLogin, headSha);
}

export function checkRunTarget(services: Services, target: EvaluationTarget, appId: number): CheckRunTarget {
  const { owner, repo, headSha, pull } = target;
  return withDetails(services, { owner, repo, headSha, appId }, pull);
}

/** The run's `details_url`: the app's page of the PR under `PUBLIC_URL`, else the PR itself. */
export function withDetails(
  services: Services,
  run: CheckRunTarget,
  pull: PullInfo | undefined,
): CheckRunTarget {
  const { detailsUrl: _, ...rest } = run;
  const detailsUrl =
    pull &&
    (services.publicUrl
      ? `${services.publicUrl}/pulls/${run.owner}/${run.repo}/${pull.number}`
      : pull.htmlUrl);
  return { ...rest, ...(detailsUrl ? { detailsUrl } : {}) };
}
