// The deployment protection rule (deployment_protection_rule.requested): for an environment the
// default branch's policy lists under `releases.environments` (the deployer chooses the deployed
// commit, so its own policy does not say which environments are guarded), the deployed commit is
// judged as a release would be (the range from the newest earlier release it descends from) and
// GitHub gets the answer through the rule's callback; other environments get no answer at all. A
// commit a release or a deployment judged within the last hour under the same policy is answered
// from that record: two requests for the default branch's tip (the policies with the tip, the
// answer), one more for another commit (the default branch's policy).

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
import type { EffectivePolicy } from "../engine/types.js";
import { GitHubClient } from "../facts/github-client.js";
import { GraphQLBatcher } from "../facts/github-graphql.js";
import { POLICY_KIND } from "../policy/pseudo-kinds.js";
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
  let first: Gathered;
  let known: { exists: boolean; tip?: string };
  let trusted: EffectivePolicy | undefined;
  try {
    // The deployed commit's policy, and whether GitHub has the commit with the default branch's
    // tip: asked in the same turn, so they share one query (the app's identity is read first, as
    // the gathering waits for it).
    await services.identity();
    [first, known] = await Promise.all([
      gatherAtCommit(context, services, { owner, repo, commit }),
      knownCommit(context, services, asked),
    ]);
    // Whether the environment is guarded is the default branch's policy's to say, not the deployed
    // commit's (the deployer chooses that commit). Only a repository without a default branch
    // falls back on the commit's.
    if (!known.tip || known.tip === commit) trusted = first.policy;
    else trusted = (await gatherAtCommit(context, services, { owner, repo, commit: known.tip })).policy;
  } catch (error) {
    // GitHub asked about this environment, so the app guards it: a commit it cannot read is rejected.
    await answer(context, services, asked, { error: message(error) }, [environment], "enforced", undefined);
    return;
  }
  if (!trusted) {
    context.log.info(where, "deployment: no readiness policy on the default branch, so no answer");
    return;
  }
  if (!trusted.ok) {
    await answer(
      context,
      services,
      asked,
      { error: `the policy could not be loaded: ${loadErrors(trusted)}` },
      [environment],
      "enforced",
      undefined,
    );
    return;
  }
  const environments = trusted.policy.releases?.environments ?? [];
  if (!protectsEnvironment(environments, environment)) {
    context.log.info(where, "deployment: the environment is not in releases.environments, so no answer");
    return;
  }
  if (!known.exists) {
    const error = `GitHub has no commit ${commit}`;
    await answer(context, services, asked, { error }, environments, trusted.policy.enforcement, trusted);
    return;
  }
  // The deployed commit itself is judged as a release would be, under its own policy (an edit of
  // the policy in its range is a governed change like any other); one without a policy that loads
  // cannot be judged, and is rejected.
  const judgedUnder = first.policy;
  if (!judgedUnder?.ok) {
    const error = judgedUnder
      ? `the policy could not be loaded at the deployed commit: ${loadErrors(judgedUnder)}`
      : "the deployed commit has no readiness policy";
    await answer(context, services, asked, { error }, environments, "enforced", trusted);
    return;
  }
  // `enforcement: advisory` approves an unready commit, so the deployer's commit cannot choose
  // it: it holds only when the default branch's policy and the deployed commit's both say so, and
  // the commit's judgement (made afresh, so its artifacts are known) found no edit of the policy
  // that came through no ready pull request.
  const mayAdvise =
    trusted.policy.enforcement === "advisory" && judgedUnder.policy.enforcement === "advisory";
  const { digest } = judgedUnder;
  const recorded = mayAdvise
    ? undefined
    : await recentJudgement(context, services, `${owner}/${repo}`, commit, digest);
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
  const advisory =
    mayAdvise &&
    "artifacts" in readiness &&
    !readiness.artifacts.some((a) => a.kind === POLICY_KIND && a.verdict === "unready");
  // The record carries the policy the judgement was made under: a later deployment reuses the
  // judgement only under the same one.
  await answer(context, services, asked, readiness, environments, advisory ? "advisory" : "enforced", {
    digest,
    sources: judgedUnder.sources,
  });
}

function loadErrors(policy: Extract<EffectivePolicy, { ok: false }>): string {
  return policy.errors.map((e) => `${e.path}:${e.line}:${e.column}: ${e.message}`).join("; ");
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
 * Whether GitHub has the deployed commit, and the default branch's tip. Asked through the
 * installation's shared queries (as the gathering's first query is), so it travels with it.
 */
async function knownCommit(
  context: GateContext,
  services: Services,
  asked: DeploymentAsked,
): Promise<{ exists: boolean; tip?: string }> {
  const id = context.payload.installation?.id;
  const shared =
    id === undefined || !services.queries
      ? undefined
      : { queries: services.queries, installation: `installation ${id}` };
  const client = new GitHubClient(context.octokit, { owner: asked.owner, repo: asked.repo });
  const answer = await new GraphQLBatcher(client, shared).ask(
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
