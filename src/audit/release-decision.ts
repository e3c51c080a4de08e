// What the app hands the audit store for a release, a deployment and a bypass: pure functions
// from the engine's decision and what the edge knew to a Decision, like decision.ts for a pull
// request. `sameAs` covers everything the decision says and rests on, never the delivery or the
// time, so a redelivered webhook leading to the same decision is recorded once.
import { createHash } from "node:crypto";
import type { Bypass } from "../engine/bypass.js";
import { DECISION_GATE, type DeploymentAnswer } from "../engine/deployment.js";
import type { ReleaseDecision } from "../engine/release-types.js";
import { canonicalJson } from "./chain.js";
import type { ApprovalRecord, Decision, GateRecord } from "./types.js";

/** Where and when, as the edge knew it. */
export interface ReleaseContext {
  installation: number | null;
  event: string;
  deliveryId: string | null;
  conclusion: string | null;
  appVersion: string;
  time: Date;
}

/** The decision with where and when it was made; `sameAs` never covers those. */
function made(
  decided: Omit<Decision, keyof ReleaseContext | "time" | "sameAs">,
  context: ReleaseContext,
  sameAs: string,
): Decision {
  return {
    ...decided,
    time: context.time.toISOString(),
    installation: context.installation,
    event: context.event,
    deliveryId: context.deliveryId,
    conclusion: context.conclusion,
    appVersion: context.appVersion,
    sameAs,
  };
}

function sameAs(kind: string, decided: object): string {
  const digest = createHash("sha256").update(canonicalJson(decided)).digest("hex");
  return `${kind}:1:${digest}`;
}

/** One record per time-bound gate of each artifact, and one carrying the release's reasons. */
function releaseGates(d: ReleaseDecision): GateRecord[] {
  const gates: GateRecord[] = [
    { artifact: null, gate: DECISION_GATE, status: d.verdict, reasons: [...d.reasons], evidence: [] },
  ];
  for (const artifact of d.artifacts) {
    gates.push({
      artifact: artifact.root,
      gate: "changes",
      status: artifact.verdict,
      reasons: [...artifact.reasons],
      evidence: [],
    });
    for (const gate of artifact.gates)
      gates.push({
        artifact: artifact.root,
        gate: gate.gate,
        status: gate.status,
        reasons: [...gate.reasons],
        evidence: [],
      });
  }
  return gates;
}

/** The approvals the release stands on: each counted pull request's approvers, on the head decided. */
function releaseApprovals(d: ReleaseDecision): ApprovalRecord[] {
  return d.pulls.flatMap((pull) =>
    pull.counts
      ? pull.approvers.map((a) => ({
          rule: `#${pull.number}: ${a.rule}`,
          login: a.login,
          review: 0,
          commit: pull.decidedHead ?? "",
        }))
      : [],
  );
}

export function releaseRecord(d: ReleaseDecision, context: ReleaseContext): Decision {
  const decided = {
    repository: d.repository,
    kind: "release" as const,
    pull: null,
    headSha: d.release.commit,
    baseSha: null,
    verdict: d.verdict,
    policy: { digest: d.policy.digest || null, sources: [...d.policy.sources] },
    gates: releaseGates(d),
    approvals: releaseApprovals(d),
    override: null,
  };
  return made(
    decided,
    context,
    sameAs("release", { ...decided, tag: d.release.tag, previousTag: d.release.previousTag }),
  );
}

/** What a deployment decision stood on: the commit's readiness, in the release record's terms. */
export interface DeploymentReadiness {
  /** `reused`: answered from an earlier record; `unjudged`: the commit could not be judged. */
  verdict: "ready" | "unready" | "reused" | "unjudged";
  reasons: readonly string[];
}

export function deploymentRecord(
  repository: string,
  commit: string,
  answer: Extract<DeploymentAnswer, { answer: "approved" | "rejected" }>,
  readiness: DeploymentReadiness,
  policy: { digest: string; sources: string[] },
  context: ReleaseContext & { deployment: number | null },
): Decision {
  const decided = {
    repository,
    kind: "deployment" as const,
    pull: null,
    headSha: commit,
    baseSha: null,
    verdict: answer.answer,
    policy: { digest: policy.digest || null, sources: [...policy.sources] },
    gates: [
      // The same gate record a release carries: a later deployment of the commit may stand on it.
      {
        artifact: null,
        gate: DECISION_GATE,
        status: readiness.verdict,
        reasons: [...readiness.reasons],
        evidence: [],
      },
      {
        artifact: null,
        gate: "environment",
        status: answer.answer,
        reasons: [answer.environment],
        evidence: [],
      },
    ],
    approvals: [],
    override: null,
  };
  return made(decided, context, sameAs("deployment", { ...decided, deployment: context.deployment }));
}

export function bypassRecord(
  b: Bypass,
  policy: { digest: string; sources: string[] },
  context: ReleaseContext,
): Decision {
  const decided = {
    repository: b.repository,
    kind: "bypass" as const,
    pull: null,
    headSha: b.after,
    baseSha: b.before,
    verdict: "bypass",
    policy: { digest: policy.digest || null, sources: [...policy.sources] },
    gates: b.artifacts.map((a) => ({
      artifact: a.root,
      gate: "changes",
      status: "bypass",
      reasons: [
        `${a.paths.length} governed path(s) changed by ${a.commits.join(", ")} pushed by ${b.pusher}`,
      ],
      evidence: [],
    })),
    approvals: [],
    override: null,
  };
  // One push, one bypass: its key is the push's (before, after), whatever the delivery.
  return made(decided, context, b.key);
}
