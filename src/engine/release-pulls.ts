// What a merged pull request's decision was when it merged, for the release gate and bypass
// reports: its latest recorded decision on the head it merged at, else the edge's re-evaluation
// at that head. A decision made on another head judged other content and never counts.
import type { PullAtMerge, RecordedDecision, ReleasePull } from "./release-types.js";
import type { Verdict } from "./types.js";

const VERDICTS: readonly Verdict[] = [
  "ready",
  "blocked",
  "awaiting_approval",
  "overridden",
  "not_governed",
  "policy_error",
];

/** The verdicts under which a merged change counts as gated. */
export const GATED_VERDICTS: ReadonlySet<Verdict> = new Set<Verdict>(["ready", "overridden"]);

/**
 * The decision that counts for a merged pull request: the latest `pull` record on its merged
 * head. A `not_governed` decision says nothing about an artifact the release finds governed (the
 * policy may have changed since), so it does not count either: the edge re-evaluates.
 */
export function countedRecord(pull: PullAtMerge): RecordedDecision | undefined {
  let latest: RecordedDecision | undefined;
  for (const record of pull.records) {
    if (record.kind !== "pull" || record.pull !== pull.number) continue;
    if (pull.mergedHead === null || record.headSha !== pull.mergedHead) continue;
    if (!latest || record.sequence > latest.sequence) latest = record;
  }
  return latest && latest.verdict !== "not_governed" ? latest : undefined;
}

/** Whether the edge must re-evaluate the pull request at its merged head before the decision. */
export function needsReevaluation(pull: PullAtMerge): boolean {
  return pull.merged && countedRecord(pull) === undefined;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function asVerdict(value: string): Verdict | null {
  return (VERDICTS as readonly string[]).includes(value) ? (value as Verdict) : null;
}

function word(verdict: Verdict): string {
  return verdict.replace(/_/g, " ");
}

/** A pull request before judging: no verdict, so it counts for nothing yet. */
export function unjudgedPull(
  number: number,
  known: Pick<ReleasePull, "title" | "author" | "mergedHead">,
  reasons: string[] = [],
): ReleasePull {
  return {
    number,
    ...known,
    verdict: null,
    basis: "none",
    decidedHead: null,
    approvers: [],
    override: null,
    auditRecords: [],
    counts: false,
    artifacts: [],
    commits: [],
    reasons,
  };
}

/** A merged pull request judged for the release; `artifacts` and `commits` are filled by the caller. */
export function judgePull(pull: PullAtMerge): ReleasePull {
  const judged = unjudgedPull(pull.number, {
    title: pull.title,
    author: pull.author ?? null,
    mergedHead: pull.mergedHead,
  });
  if (!pull.merged || pull.mergedHead === null) {
    judged.reasons.push("was not merged, so it cannot have carried a change into the release");
    return judged;
  }
  const record = countedRecord(pull);
  if (record) {
    const verdict = asVerdict(record.verdict);
    judged.verdict = verdict;
    judged.basis = "recorded";
    judged.decidedHead = record.headSha;
    judged.approvers = record.approvals.map(({ rule, login }) => ({ rule, login }));
    judged.override = record.override ? { by: record.override.by, reason: record.override.reason } : null;
    judged.auditRecords = [record.sequence];
    judged.counts = verdict !== null && GATED_VERDICTS.has(verdict);
    if (!judged.counts) {
      judged.reasons.push(
        verdict
          ? `was ${word(verdict)} when merged (audit record ${record.sequence})`
          : `its recorded decision has an unknown verdict '${record.verdict}' (audit record ${record.sequence})`,
      );
    }
    return judged;
  }
  const elsewhere = pull.records.filter((r) => r.kind === "pull" && r.pull === pull.number);
  const why =
    elsewhere.length === 0
      ? "no decision was recorded for it (merged before the app was installed, or while it was not governed)"
      : elsewhere.some((r) => r.headSha === pull.mergedHead)
        ? "its decision on the merged head said it was not governed"
        : `it merged at ${short(pull.mergedHead)}, but its decisions were recorded on ${[
            ...new Set(elsewhere.map((r) => short(r.headSha))),
          ].join(", ")}, which judged other content`;
  const again = pull.reevaluated;
  if (!again || again.headSha !== pull.mergedHead) {
    judged.reasons.push(`${why}, and it was not re-evaluated at its merged head ${short(pull.mergedHead)}`);
    return judged;
  }
  if (again.error) {
    judged.reasons.push(`${why}, and re-evaluating it at ${short(pull.mergedHead)} failed: ${again.error}`);
    return judged;
  }
  judged.verdict = again.verdict;
  judged.basis = "re-evaluated";
  judged.decidedHead = again.headSha;
  judged.approvers = again.approvals.map(({ rule, login }) => ({ rule, login }));
  judged.counts = GATED_VERDICTS.has(again.verdict);
  if (!judged.counts)
    judged.reasons.push(`${why}; re-evaluated at ${short(pull.mergedHead)}, it is ${word(again.verdict)}`);
  return judged;
}
