// The deployment protection rule (deployment_protection_rule.requested): for an environment the
// policy lists under `releases.environments`, the deployed commit is judged as a release would be
// (the range from the newest earlier release it descends from) and GitHub gets the answer through
// the rule's callback; other environments get no answer at all. A commit a release or a deployment
// judged within the last hour under the same policy is answered from that record: two requests
// (the policy, the answer).

import { z } from "zod";
import { DECISION_GATE, deploymentRecord } from "../audit/release-decision.js";
import type { AuditRecord } from "../audit/types.js";
import {
  type DeploymentInput,
  decideDeployment,
  protectsEnvironment,
  type RecordedReadiness,
} from "../engine/deployment.js";
import type { Gathered } from "./gather.js";
import { recordActedOn, recordContext } from "./record.js";
import { judgeAndPublish } from "./release.js";
import { gatherAtCommit } from "./release-facts.js";
import { releaseTarget } from "./release-target.js";
import type { GateContext, Services } from "./services.js";

/** How long a recorded judgement of a commit answers its deployments (evidence ages in days). */
export const REUSE_MS = 60 * 60 * 1000;

export interface DeploymentAsked {
  owner: string;
  repo: string;
  commit: string;
  environment: string;
  deployment: number | null;
  defaultBranch: string;
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
  if (!effective && !(await commitExists(first, asked))) {
    // The policy at a commit GitHub does not have is nothing: the default branch's says whether
    // this environment is guarded, and then the unknown commit is rejected.
    const tip = await gatherAtCommit(context, services, { owner, repo, commit: asked.defaultBranch });
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
    // A release of this very commit names it; the range starts at the newest earlier one it descends from.
    const tag = earlier.find((e) => e.commit === commit)?.tag ?? `commit ${commit.slice(0, 7)}`;
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
  const verdict = decided.reasons.length === 0 ? "ready" : "unready";
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

/** The latest release or deployment judgement of the commit under this policy, made within REUSE_MS. */
async function recentJudgement(
  context: GateContext,
  services: Services,
  repository: string,
  commit: string,
  digest: string,
): Promise<RecordedReadiness | undefined> {
  if (!services.recorder) return undefined;
  let records: AuditRecord[];
  try {
    records = await services.recorder.read({ repository, headSha: commit, kinds: ["release", "deployment"] });
  } catch (error) {
    context.log.error(
      { error: message(error) },
      "audit: the store could not be read; the deployment is judged afresh",
    );
    return undefined;
  }
  const now = services.now().getTime();
  const latest = records
    .filter(
      (r) => r.policy.digest === digest && now - Date.parse(r.time) <= REUSE_MS && Date.parse(r.time) <= now,
    )
    .at(-1);
  const gate = latest?.gates.find((g) => g.artifact === null && g.gate === DECISION_GATE);
  if (!latest || !gate || (gate.status !== "ready" && gate.status !== "unready")) return undefined;
  return { sequence: latest.sequence, commit, verdict: gate.status, reasons: gate.reasons };
}

/** Whether GitHub has the deployed commit (asked only when no policy was found at it). */
async function commitExists(first: Gathered, asked: DeploymentAsked): Promise<boolean> {
  const answer = await first.facts.graphql.ask(
    "repository(owner: $owner, name: $name) { object(oid: $commit) { oid } }",
    {
      owner: ["String!", asked.owner],
      name: ["String!", asked.repo],
      commit: ["GitObjectID!", asked.commit],
    },
    CommitExists,
  );
  return Boolean(answer.data?.object);
}

const CommitExists = z.object({ object: z.object({ oid: z.string() }).nullable() });

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
