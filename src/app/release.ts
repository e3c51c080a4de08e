// The release gate's flow, like a pull request's: gather (release-facts.ts) → decide
// (engine/release.ts) → publish the `Readiness gate / release` run on the release commit → record →
// attach the report → with `releases.enforce`, turn an unready published release back into a draft.
// Recording follows evaluate-pull.ts: spooled before publishing, released once the run is written.
import { releaseRecord } from "../audit/release-decision.js";
import type { Decision } from "../audit/types.js";
import { decideRelease, type ReleaseDecision } from "../engine/release.js";
import { failureOutput } from "../report/index.js";
import {
  draftReleaseBody,
  originalNotes,
  RELEASE_CHECK_NAME,
  releaseCheckRun,
  releaseReportFiles,
} from "../report/release.js";
import type { Gathered } from "./gather.js";
import { holdDecisions, recordContext } from "./record.js";
import { type ReleaseRef, replaceAssets } from "./release-assets.js";
import { GovernedReadError, gatherRelease, type ReleaseAsked } from "./release-facts.js";
import type { GateContext, Services } from "./services.js";

export interface ReleaseJudged {
  decision: ReleaseDecision;
  /** GitHub requests the judgement read with (the check run, the assets and the draft not counted). */
  requests: number;
}

/** The release as the webhook describes it. */
export interface ReleaseEvent extends ReleaseAsked {
  release: ReleaseRef & { draft: boolean; body: string | null };
}

/** Judges, publishes and records; undefined when no policy governs the repository. */
export async function judgeRelease(
  context: GateContext,
  services: Services,
  event: ReleaseEvent,
): Promise<ReleaseJudged | undefined> {
  const judged = await judgeAndPublish(context, services, event, releaseRecord);
  if (!judged) return undefined;
  const { decision } = judged;
  await replaceAssets(context, event.release, releaseReportFiles(decision, services.releaseRenderer));
  await enforce(context, event, decision);
  return judged;
}

/**
 * Gathers, decides and publishes the `Readiness gate / release` run on the commit, recording the
 * decision (`toRecord`) once the run is written. Shared by releases and deployments.
 */
export async function judgeAndPublish(
  context: GateContext,
  services: Services,
  asked: ReleaseAsked,
  toRecord: (d: ReleaseDecision, context: Parameters<typeof releaseRecord>[1]) => Decision | undefined,
  first?: Gathered,
): Promise<ReleaseJudged | undefined> {
  const stamp = await services.stamp();
  const gathered = await gatherRelease(context, services, asked, first).catch(async (error: unknown) => {
    // Only where a policy was found, or our run is already there: an ungoverned repository gets nothing.
    await publishFailure(context, services, asked, stamp, error, error instanceof GovernedReadError);
    throw error;
  });
  const { facts, checkRun } = gathered.gathered;
  if (!gathered.input) {
    if (gathered.policy && !gathered.policy.ok) {
      const message = `the policy could not be loaded: ${gathered.policy.errors.map((e) => `${e.path}:${e.line}:${e.column}: ${e.message}`).join("; ")}`;
      await publishFailure(context, services, asked, stamp, new Error(message), true);
    }
    return undefined;
  }
  const decision = decideRelease(gathered.input);
  const run = releaseCheckRun(decision, services.releaseRenderer);
  const record = toRecord(decision, recordContext(context, services, run.conclusion));
  const held = await holdDecisions(context, services, () => (record ? [record] : []));
  try {
    const published = await services.publisher.publish(
      context.octokit,
      checkRun.target,
      { ...run, annotations: [], actions: [] },
      { ...(checkRun.lookup ? { lookup: checkRun.lookup } : {}), stamp },
    );
    if (published.written) held.release();
    else held.withdraw();
  } catch (error) {
    held.withdraw();
    throw error;
  }
  const requests = facts.requestCount();
  context.log.info(
    {
      repo: `${asked.owner}/${asked.repo}`,
      tag: asked.tag,
      commit: asked.commit,
      previousTag: decision.release.previousTag,
      verdict: decision.verdict,
      requests,
    },
    "release judged",
  );
  return { decision, requests };
}

/** `releases.enforce`: an unready published release goes back to draft, the reasons on top of its notes. */
async function enforce(context: GateContext, event: ReleaseEvent, d: ReleaseDecision): Promise<void> {
  const { release } = event;
  const body = release.body ?? "";
  const back = d.verdict === "unready" && d.enforce && d.enforcement === "enforced" && !release.draft;
  // Reasons the app put there before are kept current: a fixed draft gets its notes back (publishing
  // it stays the user's to do), a draft still unready gets today's reasons.
  const ours = originalNotes(body) !== body;
  const next = draftReleaseBody(body, d);
  if (!back && !(ours && next !== body)) return;
  await context.octokit.rest.repos.updateRelease({
    owner: event.owner,
    repo: event.repo,
    release_id: release.id,
    body: next,
    ...(back ? { draft: true } : {}),
  });
  if (back)
    context.log.info(
      { repo: `${event.owner}/${event.repo}`, tag: event.tag },
      "release turned back into a draft",
    );
}

/** A judgement that could not be made never leaves an earlier success standing on the commit. */
async function publishFailure(
  context: GateContext,
  services: Services,
  asked: ReleaseAsked,
  stamp: number,
  error: unknown,
  governed: boolean,
): Promise<void> {
  try {
    const { id } = await services.identity();
    const where = {
      owner: asked.owner,
      repo: asked.repo,
      headSha: asked.commit,
      appId: id,
      name: RELEASE_CHECK_NAME,
    };
    if (!governed && !(await services.publisher.findRun(context.octokit, where))) return;
    await services.publisher.publish(context.octokit, where, failureOutput(message(error), "enforced"), {
      stamp,
    });
  } catch (failed) {
    context.log.error({ error: message(failed) }, "could not publish the release failure");
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
