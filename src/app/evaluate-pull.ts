// The one flow every event ends in: load facts → evaluate → publish → record. No policy anywhere →
// nothing is posted. An error never leaves an earlier success standing: the head gets a `failure`
// run saying the evaluation could not be done.
//
// GitHub keeps one run per head commit, shown on every open PR with that head, so the run carries
// the most restrictive result among them all (shared-head.ts): the others are evaluated too, only
// when there are others. The evaluation's stamp is taken before its first read; a result older
// than the one already on the head is not written (publish.ts).
//
// Recording (record.ts, audit/recorder.ts): the decisions are spooled to disk before the run is
// published and go to the audit store once it is, so a crash in between loses nothing; a run that
// was not written withdraws them. Recording never changes what is published, nor fails it.
import { noteReads } from "../audit/evidence-reads.js";
import type { Held } from "../audit/recorder.js";
import { type EvaluationInput, evaluate } from "../engine/evaluate.js";
import type { EffectivePolicy, Evaluation } from "../engine/types.js";
import { notGovernedEvaluation } from "../engine/verdict.js";
import type { Override } from "../facts/types.js";
import { failureOutput } from "../report/index.js";
import { checkRunTarget, type Gathered, gather } from "./gather.js";
import { pullTargets } from "./head-pulls.js";
import type { EvaluationOutcome } from "./metrics.js";
import type { Published, RunLookup } from "./publish.js";
import { decisionsToRecord, holdDecisions, type Recorded } from "./record.js";
import type { GateContext, Services } from "./services.js";
import { headRun, type PullResult } from "./shared-head.js";
import { describeTarget, type EvaluationTarget } from "./target.js";

export interface EvaluateOptions {
  /** An override this delivery just recorded (the comment listing may not show it yet). */
  recorded?: Override;
  /** The comment command accepted `recorded`: the audit trail gets an `override` record. */
  accepted?: boolean;
}

/** The evaluation, or undefined when no policy governs the repository. Rethrows after publishing a failure. */
export async function evaluatePull(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  options: EvaluateOptions = {},
): Promise<Evaluation | undefined> {
  const { metrics } = services;
  const stamp = await services.stamp(); // before the first read: what orders this result against others
  const started = process.hrtime.bigint();
  const observe = (outcome: EvaluationOutcome) => {
    metrics.evaluations.inc({ verdict: outcome });
    metrics.evaluationSeconds.observe({ verdict: outcome }, Number(process.hrtime.bigint() - started) / 1e9);
  };
  let policy: EffectivePolicy | undefined;
  let requests = () => 0;
  let lookup: RunLookup | undefined;
  try {
    const gathered = await gather(
      context,
      services,
      target,
      options.recorded ? { recorded: options.recorded } : {},
    );
    requests = gathered.facts.requestCount;
    policy = gathered.policy;
    lookup = gathered.checkRun.lookup;
    if (!policy) {
      context.log.debug(describeTarget(target), "no readiness policy: nothing posted");
      return undefined;
    }
    // The others with this head are read while this PR is evaluated.
    const others = otherPullsOnHead(context, services, target, gathered);
    others.catch(() => undefined);
    const noted = noteReads(gathered.facts);
    const evaluation = await evaluate(evaluationInput(services, { ...gathered, facts: noted.facts }, policy));
    const siblings = await others;
    const own = requests;
    requests = () => own() + siblings.reduce((sum, s) => sum + s.requests(), 0);
    const { where, output, decider, pulls } = headRun(
      services,
      gathered.checkRun.target,
      target.pull ? { pull: target.pull, evaluation } : undefined,
      evaluation,
      siblings.map((s) => s.result),
    );
    const held = await hold(context, services, target, gathered, {
      evaluation,
      conclusion: output.conclusion,
      reads: noted.reads(),
      ...(options.accepted && options.recorded ? { accepted: options.recorded } : {}),
    });
    let published: Published;
    try {
      published = await services.publisher.publish(context.octokit, where, output, {
        ...(lookup ? { lookup } : {}),
        stamp,
      });
    } catch (error) {
      held.withdraw();
      throw error;
    }
    if (published.written) held.release();
    else held.withdraw();
    observe(evaluation.verdict);
    context.log.info(
      {
        ...describeTarget(target),
        verdict: evaluation.verdict,
        ...(pulls > 1
          ? { pullsOnHead: pulls, decidedBy: decider?.pull.number, decided: decider?.evaluation.verdict }
          : {}),
        conclusion: output.conclusion,
        requests: requests(),
        ...staleness(published),
      },
      published.written
        ? "readiness evaluated"
        : "readiness evaluated; not written: an evaluation that started later already published on this head",
    );
    return evaluation;
  } catch (error) {
    observe("error");
    const message = errorMessage(error);
    context.log.error(
      { ...describeTarget(target), error: message, requests: requests() },
      "readiness evaluation failed",
    );
    await publishFailure(context, services, target, { policy, lookup, stamp }, message);
    throw error;
  }
}

/** Spools what this evaluation records; a failure here is logged and never fails the evaluation. */
function hold(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  gathered: Gathered,
  recorded: Recorded,
): Promise<Held> {
  return holdDecisions(context, services, () =>
    decisionsToRecord(context, services, target, gathered, recorded),
  );
}

interface Sibling {
  result: PullResult;
  requests: () => number;
}

/**
 * The other open PRs of the repository with this head, each evaluated on its own base and policy.
 * Nothing is read unless the first query found others. A PR under no policy at all counts as
 * `not_governed`. Any failure fails the whole evaluation (closed).
 */
async function otherPullsOnHead(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  gathered: Gathered,
): Promise<Sibling[]> {
  const numbers = (await (gathered.headPulls ?? Promise.resolve([]))).filter(
    (n) => n !== target.pull?.number,
  );
  if (numbers.length === 0) return [];
  const targets = await pullTargets(gathered.facts.graphql, target, numbers, target.headSha);
  return Promise.all(
    targets.map(async (other): Promise<Sibling> => {
      const theirs = await gather(context, services, other, { sibling: true });
      const evaluation = theirs.policy
        ? await evaluate(evaluationInput(services, theirs, theirs.policy))
        : notGovernedEvaluation();
      return {
        result: { pull: other.pull as NonNullable<EvaluationTarget["pull"]>, evaluation },
        requests: theirs.facts.requestCount,
      };
    }),
  );
}

function evaluationInput(services: Services, gathered: Gathered, policy: EffectivePolicy): EvaluationInput {
  const { facts, org, override } = gathered;
  return {
    facts,
    policy,
    ...(org ? { org } : {}),
    builtins: services.builtins,
    now: services.now(),
    ...(override ? { override } : {}),
  };
}

/** For the log: a skipped write and the stamp that outdated it. */
function staleness(published: Published): Record<string, unknown> {
  return published.written ? {} : { stale: true, newerStamp: published.newer };
}

/**
 * Publishes "could not be evaluated" on the head. Where no policy was found yet (the org policy
 * read failed), only an existing run of ours is updated: a repository that may not be governed
 * must not get a check it never had, but a stale success must never stand.
 */
async function publishFailure(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  known: { policy: EffectivePolicy | undefined; lookup: RunLookup | undefined; stamp: number },
  message: string,
): Promise<void> {
  const { policy, lookup, stamp } = known;
  try {
    const where = checkRunTarget(services, target, (await services.identity()).id);
    if (!policy && !(await services.publisher.findRun(context.octokit, where))) return;
    const enforcement = policy?.ok ? policy.policy.enforcement : "enforced";
    const published = await services.publisher.publish(
      context.octokit,
      where,
      failureOutput(message, enforcement),
      { ...(lookup ? { lookup } : {}), stamp },
    );
    if (!published.written) {
      context.log.info(
        { ...describeTarget(target), ...staleness(published) },
        "failure not written: an evaluation that started later already published on this head",
      );
    }
  } catch (error) {
    // GitHub is likely down for this too; the original error is what the caller rethrows.
    context.log.error(
      { ...describeTarget(target), error: errorMessage(error) },
      "could not publish the failure",
    );
  }
}

/** The message only: an octokit error's request (with its headers) must never reach the logs. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
