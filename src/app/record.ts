// What one published evaluation records: its decision (kind `pull` or `merge_group`), the
// override the comment command just accepted (kind `override`, `active`), and the override the
// evaluation dropped (kind `override`, `expired`: its time ran out or the head moved on). Built
// from what the evaluation already read: recording asks GitHub nothing.
import { droppedOverride, evaluationDecision, overrideDecision, sameOverride } from "../audit/decision.js";
import type { Held } from "../audit/recorder.js";
import type { ReleaseContext } from "../audit/release-decision.js";
import type { Decision, EvidenceRead } from "../audit/types.js";
import type { Evaluation } from "../engine/types.js";
import { gitBlobSha } from "../facts/blob-sha.js";
import type { Override } from "../facts/types.js";
import { POLICY_PATH } from "../policy/schema.js";
import type { Gathered } from "./gather.js";
import { latestOverride } from "./override-marker.js";
import type { GateContext, Services } from "./services.js";
import type { EvaluationTarget } from "./target.js";

export interface Recorded {
  evaluation: Evaluation;
  /** The conclusion of the run published on the head. */
  conclusion: string;
  reads: readonly EvidenceRead[];
  /** The override the comment command accepted in this delivery. */
  accepted?: Override;
}

export async function decisionsToRecord(
  context: GateContext,
  services: Services,
  target: EvaluationTarget,
  gathered: Gathered,
  recorded: Recorded,
): Promise<Decision[]> {
  const { evaluation, accepted } = recorded;
  const { facts } = gathered;
  // A PR's reviews and comments came with the evaluation's first query; a merge group has none.
  const [reviews, comments] = target.pull
    ? await Promise.all([facts.people?.reviews() ?? [], facts.comments()])
    : [[], []];
  const decision = evaluationDecision(evaluation, {
    kind: target.pull ? "pull" : "merge_group",
    installation: context.payload.installation?.id ?? null,
    repository: `${target.owner}/${target.repo}`,
    pull: target.pull?.number ?? null,
    headSha: target.headSha,
    baseSha: facts.baseSha ?? target.baseSha,
    event: eventName(context),
    deliveryId: context.id ?? null,
    conclusion: recorded.conclusion,
    appVersion: services.appVersion,
    time: services.now(),
    reads: [...(await policyReads(gathered)), ...recorded.reads],
    reviews,
  });
  const decisions = [decision];
  if (accepted && evaluation.override && sameOverride(accepted, evaluation.override))
    decisions.push(overrideDecision(decision, accepted, "active"));
  if (target.pull) {
    const botLogin = (await services.identity()).botLogin;
    const dropped = droppedOverride(evaluation, latestOverride(comments, botLogin, undefined, accepted));
    if (dropped) decisions.push(overrideDecision(decision, dropped, "expired"));
  }
  return decisions;
}

/**
 * The policy files the evaluation stood on, read before the engine ran (gather.ts): the
 * repository's at the base (remembered by the facts: no request) and the org's, named by its label.
 */
async function policyReads(gathered: Gathered): Promise<EvidenceRead[]> {
  const reads: EvidenceRead[] = [];
  if (gathered.org) {
    const { label, path, text } = gathered.org;
    reads.push({ side: "base", path: label ?? path, blobSha: gitBlobSha(new TextEncoder().encode(text)) });
  }
  const repository = await gathered.facts.readFile("base", POLICY_PATH);
  if (repository.kind === "ok")
    reads.push({
      side: "base",
      path: POLICY_PATH,
      blobSha: repository.sha ?? gitBlobSha(repository.bytes),
    });
  return reads;
}

/** `pull_request.synchronize`: the webhook's name and its action. */
export function eventName(context: GateContext): string {
  const name = context.name ?? "unknown";
  const action = context.payload.action;
  return typeof action === "string" && action ? `${name}.${action}` : name;
}

/** Where and when a release, deployment or bypass decision was made, for its record. */
export function recordContext(
  context: GateContext,
  services: Services,
  conclusion: string | null,
): ReleaseContext {
  return {
    installation: context.payload.installation?.id ?? null,
    event: eventName(context),
    deliveryId: context.id ?? null,
    conclusion,
    appVersion: services.appVersion,
    time: services.now(),
  };
}

const NOTHING_HELD: Held = { release: () => undefined, withdraw: () => undefined };

/**
 * Spools decisions before what shows them is published (released once it is, withdrawn when it is
 * not). Never throws: a recording failure is logged and never fails the decision.
 */
export async function holdDecisions(
  context: GateContext,
  services: Services,
  decisions: () => Decision[] | Promise<Decision[]>,
): Promise<Held> {
  if (!services.recorder) return NOTHING_HELD;
  try {
    return await services.recorder.hold(await decisions());
  } catch (error) {
    context.log.error(
      { error: error instanceof Error ? error.message : String(error) },
      "audit: the decision could not be recorded",
    );
    return NOTHING_HELD;
  }
}

/** Records decisions GitHub has already acted on (an answered deployment, an opened issue). */
export async function recordActedOn(
  context: GateContext,
  services: Services,
  decisions: Decision[],
): Promise<void> {
  (await holdDecisions(context, services, () => decisions)).release();
}
