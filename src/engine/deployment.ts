// The deployment protection rule (PRODUCT.md "Releases and deployments"): for an environment the
// policy lists under `releases.environments`, a deployment is approved when its commit is ready as
// a release would be — the range from the newest release tag that is a strict ancestor of the
// commit — and rejected with the reasons otherwise. Other environments get no answer at all.
import type { ReleaseDecision } from "./release-types.js";

/**
 * The longest comment the app sends with its review. GitHub's OpenAPI description states no cap
 * for `comment`; the review shows it in one line of the run's deployment log, so it is kept short
 * and the check run `Readiness gate / release` carries the full list.
 */
export const DEPLOYMENT_COMMENT_LIMIT = 1024;

/**
 * Whether the policy protects the environment. GitHub treats environment names without regard to
 * case (`Production` and `production` are one environment), so the match does too.
 */
export function protectsEnvironment(environments: readonly string[], environment: string): boolean {
  const wanted = environment.toLowerCase();
  return environments.some((name) => name.toLowerCase() === wanted);
}

/**
 * What a deployment is judged as: the release whose tag is on the deployed commit, else the
 * commit itself. (Its range starts at the newest earlier release it descends from, never at a
 * release on the commit itself: that range would be empty and prove nothing.)
 */
export function deploymentTag(commit: string, releases: readonly { tag: string; commit: string }[]): string {
  return releases.find((release) => release.commit === commit)?.tag ?? `commit ${commit.slice(0, 7)}`;
}

/**
 * A judgement of the deployed commit already in the audit store (a release of it, or an earlier
 * deployment), reused when recent and under the same policy: the deployment then costs no range.
 */
export interface RecordedReadiness {
  /** The audit record the judgement comes from. */
  sequence: number;
  commit: string;
  verdict: "ready" | "unready";
  reasons: readonly string[];
}

/** The gate record a release or deployment decision carries its readiness in (audit/release-decision.ts). */
export const DECISION_GATE = "release";

/** How long a recorded judgement of a commit answers its deployments (evidence ages in days). */
export const REUSE_MS = 60 * 60 * 1000;

/** A recorded release or deployment decision, as the audit store holds it. */
export interface JudgedRecord {
  sequence: number;
  time: string;
  policy: { digest: string | null };
  gates: ReadonlyArray<{ artifact: string | null; gate: string; status: string; reasons: readonly string[] }>;
}

/**
 * The latest judgement of the commit, among its records, that may answer a deployment now: made
 * under the same policy within REUSE_MS, and made then — ready or unready, not a reuse of an
 * earlier one (its age would be that one's) nor one that could not be made.
 */
export function reusableJudgement(
  records: readonly JudgedRecord[],
  commit: string,
  digest: string,
  now: Date,
): RecordedReadiness | undefined {
  const judgement = (r: JudgedRecord) => r.gates.find((g) => g.artifact === null && g.gate === DECISION_GATE);
  let latest: { record: JudgedRecord; verdict: "ready" | "unready"; reasons: readonly string[] } | undefined;
  for (const record of records) {
    const gate = judgement(record);
    const age = now.getTime() - Date.parse(record.time);
    if (record.policy.digest !== digest || !(age >= 0 && age <= REUSE_MS)) continue;
    if (gate?.status !== "ready" && gate?.status !== "unready") continue;
    if (!latest || record.sequence > latest.record.sequence)
      latest = { record, verdict: gate.status, reasons: gate.reasons };
  }
  return (
    latest && { sequence: latest.record.sequence, commit, verdict: latest.verdict, reasons: latest.reasons }
  );
}

export interface DeploymentInput {
  environment: string;
  /** `releases.environments`. */
  environments: readonly string[];
  enforcement: "enforced" | "advisory";
  /** The release decision for the deployed commit, one recorded for it, or why it could not be made. */
  readiness: ReleaseDecision | { recorded: RecordedReadiness } | { error: string };
}

export type DeploymentAnswer =
  /** The environment is not the policy's: GitHub gets no answer from the app. */
  | { answer: "none"; why: string }
  | {
      answer: "approved" | "rejected";
      environment: string;
      /** Within `DEPLOYMENT_COMMENT_LIMIT` characters. */
      comment: string;
      /** Every reason, for the record and the check run. */
      reasons: string[];
    };

// Reasons are one line each: a line break or control character from a path would break the log line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** At most `max` characters, the last an ellipsis when cut; never half a surrogate pair. */
function clipTo(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && /[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

const more = (count: number) => `; and ${count} more (see the check run Readiness gate / release)`;

/**
 * `head` followed by as many of `items` as fit within `limit` characters, then how many were left
 * out: whole reasons, never one cut in the middle unless even the first does not fit.
 */
export function fitComment(head: string, items: readonly string[], limit = DEPLOYMENT_COMMENT_LIMIT): string {
  let comment = head.replace(BREAKS, " ");
  for (let i = 0; i < items.length; i++) {
    const item = `${i === 0 ? " " : "; "}${(items[i] as string).replace(BREAKS, " ")}`;
    const left = items.length - i - 1;
    const reserve = left > 0 ? more(left).length : 0;
    if (comment.length + item.length + reserve <= limit) {
      comment += item;
      continue;
    }
    // Adding the previous item kept room for this note.
    if (i > 0) return `${comment}${more(items.length - i)}`;
    return `${clipTo(comment + item, limit - reserve)}${left > 0 ? more(left) : ""}`;
  }
  return clipTo(comment, limit);
}

export function decideDeployment(input: DeploymentInput): DeploymentAnswer {
  if (!protectsEnvironment(input.environments, input.environment)) {
    return { answer: "none", why: `environment '${input.environment}' is not in releases.environments` };
  }
  const judged = judgement(input.readiness);
  const reasons = [...judged.reasons];
  if (reasons.length === 0) {
    return {
      answer: "approved",
      environment: input.environment,
      comment: fitComment(`Readiness gate: commit${judged.sha} is ready${judged.since}: ${judged.what}.`, []),
      reasons,
    };
  }
  if (input.enforcement === "advisory") {
    return {
      answer: "approved",
      environment: input.environment,
      comment: fitComment(
        `Readiness gate (advisory — would reject): commit${judged.sha} is not ready${judged.since}:`,
        reasons,
      ),
      reasons,
    };
  }
  return {
    answer: "rejected",
    environment: input.environment,
    comment: fitComment(`Readiness gate: commit${judged.sha} is not ready${judged.since}:`, reasons),
    reasons,
  };
}

/** What each kind of readiness says: the reasons, and the words of the comment. */
function judgement(readiness: DeploymentInput["readiness"]): {
  reasons: readonly string[];
  sha: string;
  since: string;
  what: string;
} {
  if ("error" in readiness) {
    return {
      reasons: [`the deployed commit could not be judged: ${readiness.error}`],
      sha: "",
      since: "",
      what: "",
    };
  }
  if ("recorded" in readiness) {
    const { recorded } = readiness;
    return {
      reasons: recorded.verdict === "ready" ? [] : recorded.reasons,
      sha: ` ${recorded.commit.slice(0, 7)}`,
      since: ` (as judged in audit record ${recorded.sequence})`,
      what: "its governed changes came through ready pull requests",
    };
  }
  const count = readiness.artifacts.length;
  return {
    reasons: readiness.verdict === "ready" ? [] : readiness.reasons,
    sha: ` ${readiness.release.commit.slice(0, 7)}`,
    since: readiness.release.previousTag
      ? ` since ${readiness.release.previousTag}`
      : " (no earlier release: everything reachable from it)",
    what: count === 0 ? "no governed changes" : `${count} governed artifact${count === 1 ? "" : "s"} ready`,
  };
}
