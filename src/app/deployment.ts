// The deployment protection rule (deployment_protection_rule.requested): for an environment the
// policy lists under `releases.environments`, the deployed commit is judged as a release would be
// (the range from the newest earlier release it descends from) and GitHub gets the answer through
// the rule's callback; other environments get no answer at all. A commit a release or a deployment
// judged within the last hour under the same policy is answered from that record: two requests
// (the policy, the answer).

import { z } from "zod";
import { deploymentRecord } from "../audit/release-decision.js";
import {
  type DeploymentInput,
  decideDeployment,
  deploymentTag,
  protectsEnvironment,
  type RecordedReadiness,
  reusableJudgement,
} from "../engine/deployment.js";
import type { Gathered } from "./gather.js";
import { recordActedOn, recordContext } from "./record.js";
import { judgeAndPublish } from "./release.js";
import { gatherAtCommit } from "./release-facts.js";
import { releaseTarget } from "./release-target.js";
import type { GateContext, Services } from "./services.js";

export interface DeploymentAsked {
  owner: string;
  repo: string;
  commit: string;
  environment: string;
  deployment: number | null;
  /** The rule's `deployment_callback_url`. */
  callbackUrl: string;
}

export async function judgeDeployment(
  context: GateContext,
  services: Services,
  asked: DeploymentAsked,
): Promise<void> {
  const { owner, repo, commit, environment } = asked;
  const where = { repo: `${owner}/${repo}`, commit, environment };
  let first: Awaited<ReturnType<typeof gatherAtCommit>>;
  try {
    first = await gatherAtCommit(context, services, { owner, repo, commit });
  } catch (error) {
    // GitHub asked about this environment, so the app guards it: a commit it cannot read is rejected.
    await answer(context, services, asked, { error: message(error) }, [environment], "enforced", undefined);
    return;
  }
  let effective = first.policy;
  const known = effective ? undefined : await knownCommit(first, asked);
  if (known && !known.exists && known.tip) {
    // The policy at a commit GitHub does not have is nothing: the default branch's says whether
    // this environment is guarded, and then the unknown commit is rejected.
    const tip = await gatherAtCommit(context, services, { owner, repo, commit: known.tip });
    effective = tip.policy;
    if (effective?.ok && protectsEnvironment(effective.policy.releases?.environments ?? [], environment)) {
      const error = `GitHub has no commit ${commit}`;
      await answer(
        context,
        services,
        asked,
        { error },
        [environment],
        effective.policy.enforcement,
        effective,
      );
      return;
    }
  }
  if (!effective) {
    context.log.info(where, "deployment: no readiness policy, so no answer");
    return;
  }
  if (!effective.ok) {
    const errors = effective.errors.map((e) => `${e.path}:${e.line}:${e.column}: ${e.message}`).join("; ");
    await answer(
      context,
      services,
      asked,
      { error: `the policy could not be loaded: ${errors}` },
      [environment],
      "enforced",
      undefined,
    );
    return;
  }
  const { policy, digest } = effective;
  const environments = policy.releases?.environments ?? [];
  if (!protectsEnvironment(environments, environment)) {
    context.log.info(where, "deployment: the environment is not in releases.environments, so no answer");
    return;
  }
  const recorded = await recentJudgement(context, services, `${owner}/${repo}`, commit, digest);
  let readiness: DeploymentInput["readiness"];
  if (recorded) readiness = { recorded };
  else {
    const { earlier } = await releaseTarget(context.octokit, { owner, repo });
    const tag = deploymentTag(commit, earlier);
    const judged = await judgeAndPublish(
      context,
      services,
      { owner, repo, tag, commit, earlier },
      () => undefined,
      first,
    ).catch((error: unknown) => ({ error: message(error) }));
    readiness = judged && "decision" in judged ? judged.decision : { error: judged?.error ?? "no policy" };
  }
  await answer(context, services, asked, readiness, environments, policy.enforcement, {
    digest,
    sources: effective.sources,
  });
}

/** Sends the answer through the rule's callback, then records it (the answer is what GitHub acts on). */
async function answer(
  context: GateContext,
  services: Services,
  asked: DeploymentAsked,
  readiness: DeploymentInput["readiness"],
  environments: readonly string[],
  enforcement: "enforced" | "advisory",
  policy: { digest: string; sources: string[] } | undefined,
): Promise<void> {
  const decided = decideDeployment({ environment: asked.environment, environments, enforcement, readiness });
  if (decided.answer === "none") return;
  await context.octokit.request({
    method: "POST",
    url: asked.callbackUrl,
    environment_name: asked.environment,
    state: decided.answer,
    comment: decided.comment,
  });
  context.log.info(
    {
      repo: `${asked.owner}/${asked.repo}`,
      commit: asked.commit,
      environment: asked.environment,
      answer: decided.answer,
    },
    "deployment answered",
  );
  // Only a judgement made now may answer a later deployment: not one reused from a record (its
  // age would be the first judgement's), nor one that could not be made (GitHub may be back).
  const basis = "recorded" in readiness ? "reused" : "error" in readiness ? "unjudged" : undefined;
  const verdict = basis ?? (decided.reasons.length === 0 ? "ready" : "unready");
  const record = deploymentRecord(
    `${asked.owner}/${asked.repo}`,
    asked.commit,
    decided,
    { verdict, reasons: decided.reasons },
    policy ?? { digest: "", sources: [] },
    { ...recordContext(context, services, decided.answer), deployment: asked.deployment },
  );
  await recordActedOn(context, services, [record]);
}

/** The commit's recorded judgements that may answer this deployment (engine/deployment.ts decides). */
async function recentJudgement(
  context: GateContext,
  services: Services,
  repository: string,
  commit: string,
  digest: string,
): Promise<RecordedReadiness | undefined> {
  if (!services.recorder) return undefined;
  try {
    const records = await services.recorder.read({
      repository,
      headSha: commit,
      kinds: ["release", "deployment"],
    });
    return reusableJudgement(records, commit, digest, services.now());
  } catch (error) {
    context.log.error(
      { error: message(error) },
      "audit: the store could not be read; the deployment is judged afresh",
    );
    return undefined;
  }
}

/**
 * Whether GitHub has the deployed commit, and the default branch's tip (asked only when no policy
 * was found at the commit: one query).
 */
async function knownCommit(
  first: Gathered,
  asked: DeploymentAsked,
): Promise<{ exists: boolean; tip?: string }> {
  const answer = await first.facts.graphql.ask(
    "repository(owner: $owner, name: $name) { object(oid: $commit) { oid } defaultBranchRef { target { oid } } }",
    {
      owner: ["String!", asked.owner],
      name: ["String!", asked.repo],
      commit: ["GitObjectID!", asked.commit],
    },
    KnownCommit,
  );
  const tip = answer.data?.defaultBranchRef?.target?.oid;
  return { exists: Boolean(answer.data?.object), ...(tip ? { tip } : {}) };
}

const KnownCommit = z.object({
  object: z.object({ oid: z.string() }).nullable(),
  defaultBranchRef: z.object({ target: z.object({ oid: z.string() }).nullable() }).nullable(),
});

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
