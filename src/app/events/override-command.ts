// `/readiness override <reason>`: who may override is decided in engine/override.ts (never the PR
// author or a commit author, only `overrides.teams`, a reason with visible text). A refusal gets a
// reply saying why and changes nothing. An accepted override opens the follow-up issue first,
// then records the override in a bot comment (so there is never an override without its
// follow-up), then re-evaluates; once that run is published, the audit trail records the override
// (who, why, until when) — once, however often the comment is delivered.
import { decideOverride } from "../../engine/override.js";
import type { Override } from "../../facts/types.js";
import { evaluatePull } from "../evaluate-pull.js";
import { gather } from "../gather.js";
import { overrideMarker } from "../override-marker.js";
import type { GateContext, Services } from "../services.js";
import type { EvaluationTarget, PullInfo } from "../target.js";

export const OVERRIDE_LABEL = "readiness-override";

type PullTarget = EvaluationTarget & { pull: PullInfo };

export async function overrideCommand(
  context: GateContext,
  services: Services,
  target: PullTarget,
  commenter: string,
  reason: string,
): Promise<void> {
  const gathered = await gather(context, services, target);
  if (!gathered.policy) return; // an ungoverned repository: the app posts nothing
  const people = gathered.facts.people;
  const decision = people
    ? await decideOverride(
        { by: commenter, reason, headSha: target.headSha, now: services.now() },
        gathered.policy,
        people,
      )
    : { allowed: false as const, refusal: "only a pull request can be overridden" };
  if (!decision.allowed) {
    await reply(
      context,
      target,
      `@${commenter} the readiness override was refused: ${decision.refusal}. Nothing changed.`,
    );
    return;
  }
  // A redelivered comment must not open a second issue: the same override is already recorded.
  const recorded = gathered.override;
  if (recorded?.by === commenter && recorded.reason === reason) {
    await evaluatePull(context, services, target, { recorded, accepted: true });
    return;
  }
  const { override } = decision;
  const issue = await openFollowUp(context, target, override);
  await reply(context, target, acceptedText(override, issue));
  await evaluatePull(context, services, target, { recorded: override, accepted: true });
}

async function openFollowUp(context: GateContext, target: PullTarget, override: Override): Promise<number> {
  const { owner, repo, pull } = target;
  const { data } = await context.octokit.rest.issues.create({
    owner,
    repo,
    title: `Readiness override on #${pull.number}: follow up`,
    labels: [OVERRIDE_LABEL],
    body: [
      `@${override.by} overrode the readiness gate of #${pull.number} on commit ${override.headSha}.`,
      "",
      `> ${override.reason.replace(/\n/g, "\n> ")}`,
      "",
      `The override holds until ${override.expiresAt} or the next push, whichever comes first.`,
      "Close this issue once the missing evidence and approvals are in place.",
    ].join("\n"),
  });
  return data.number;
}

function acceptedText(override: Override, issue: number): string {
  return [
    overrideMarker(override),
    `**Readiness override** by @${override.by} on \`${override.headSha.slice(0, 7)}\`, until ${override.expiresAt} or the next push.`,
    "",
    `> ${override.reason.replace(/\n/g, "\n> ")}`,
    "",
    `Follow-up: #${issue}`,
  ].join("\n");
}

async function reply(context: GateContext, target: PullTarget, body: string): Promise<void> {
  await context.octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.pull.number,
    body,
  });
}
