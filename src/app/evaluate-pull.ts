// The one flow every event ends in: load facts → evaluate → publish (→ record, when the audit
// store lands). No policy anywhere → nothing is posted. An error never leaves an earlier success
// standing: the head gets a `failure` run saying the evaluation could not be done.
import { evaluate } from "../engine/evaluate.js";
import type { EffectivePolicy, Evaluation } from "../engine/types.js";
import type { Override } from "../facts/types.js";
import { checkRunOutput, RECHECK_ACTION } from "../report/index.js";
import { checkRunTarget, gather } from "./gather.js";
import type { EvaluationOutcome } from "./metrics.js";
import type { CheckRunContent, RunLookup } from "./publish.js";
import type { GateContext, Services } from "./services.js";
import { describeTarget, type EvaluationTarget } from "./target.js";

export interface EvaluateOptions {
  /** An override this delivery just recorded (the comment listing may not show it yet). */
  recorded?: Override;
}

/** The evaluation, or undefined when no policy governs the repository. Rethrows after publishing a failure. */
export async function evaluatePull(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  options: EvaluateOptions = {},
): Promise<Evaluation | undefined> {
  const { metrics } = services;
  const started = process.hrtime.bigint();
  const observe = (outcome: EvaluationOutcome) => {
    metrics.evaluations.inc({ verdict: outcome });
    metrics.evaluationSeconds.observe({ verdict: outcome }, Number(process.hrtime.bigint() - started) / 1e9);
  };
  let policy: EffectivePolicy | undefined;
  let requests = () => 0;
  let lookup: RunLookup | undefined;
  try {
    const gathered = await gather(context, services, target, options.recorded);
    requests = gathered.facts.requestCount;
    policy = gathered.policy;
    lookup = gathered.checkRun.lookup;
    if (!policy) {
      context.log.debug(describeTarget(target), "no readiness policy: nothing posted");
      return undefined;
    }
    const evaluation = await evaluate({
      facts: gathered.facts,
      policy,
      ...(gathered.org ? { org: gathered.org } : {}),
      builtins: services.builtins,
      now: services.now(),
    });
    const where = gathered.checkRun.target;
    const output = checkRunOutput(
      evaluation,
      services.renderer,
      where.detailsUrl ? { detailsUrl: where.detailsUrl } : {},
    );
    await services.publisher.publish(context.octokit, where, output, lookup);
    observe(evaluation.verdict);
    context.log.info(
      {
        ...describeTarget(target),
        verdict: evaluation.verdict,
        conclusion: output.conclusion,
        requests: requests(),
      },
      "readiness evaluated",
    );
    return evaluation;
  } catch (error) {
    observe("error");
    const message = errorMessage(error);
    context.log.error(
      { ...describeTarget(target), error: message, requests: requests() },
      "readiness evaluation failed",
    );
    await publishFailure(context, services, target, { policy, lookup }, message);
    throw error;
  }
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
  known: { policy: EffectivePolicy | undefined; lookup: RunLookup | undefined },
  message: string,
): Promise<void> {
  const { policy, lookup } = known;
  try {
    const where = checkRunTarget(services, target, (await services.identity()).id);
    if (!policy && !(await services.publisher.findRun(context.octokit, where))) return;
    const advisory = policy?.ok && policy.policy.enforcement === "advisory";
    await services.publisher.publish(
      context.octokit,
      where,
      failureContent(message, advisory === true),
      lookup,
    );
  } catch (error) {
    // GitHub is likely down for this too; the original error is what the caller rethrows.
    context.log.error(
      { ...describeTarget(target), error: errorMessage(error) },
      "could not publish the failure",
    );
  }
}

export function failureContent(message: string, advisory: boolean): CheckRunContent {
  const title = `Readiness could not be evaluated: ${message}`;
  return {
    conclusion: advisory ? "neutral" : "failure",
    title: title.length > 255 ? `${title.slice(0, 254)}…` : title,
    summary: [
      "Readiness could not be evaluated, so no earlier result counts for this commit.",
      "",
      `> ${message.replace(/\n/g, " ")}`,
      "",
      "Press **Re-check** or comment `/readiness recheck` to try again; if it keeps failing, report this message.",
    ].join("\n"),
    annotations: [],
    actions: [RECHECK_ACTION],
  };
}

/** The message only: an octokit error's request (with its headers) must never reach the logs. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
