// Terminal output for `readiness-gate check`: verdict first, then per artifact each gate with
// what to do, and a one-line summary last (what a CI log shows when folded).
import type {
  ApprovalResult,
  ArtifactResult,
  Evaluation,
  GateResult,
  GateStatus,
  Verdict,
} from "../engine/types.js";
import { formatLocated } from "../policy/located.js";
import { oneLine } from "./escape.js";
import { pairedReasons } from "./reasons.js";
import { approvalOutstanding, tally } from "./tally.js";
import { checkTitle } from "./title.js";
import { capitalize, formatLocation, mention, plural, VERDICT_WORD } from "./words.js";

export interface TextOptions {
  /** ANSI colours; off by default so logs and pipes stay clean. */
  color?: boolean;
}

type Paint = (text: string, code: number) => string;

const STATUS_LABEL: Record<GateStatus, string> = {
  pass: "PASS",
  fail: "FAIL",
  pending: "PENDING",
  skipped: "SKIPPED",
  not_checked: "NOT CHECKED",
};
const STATUS_COLOR: Record<GateStatus, number> = {
  pass: 32,
  fail: 31,
  pending: 33,
  skipped: 2,
  not_checked: 36,
};
const GATE_COUNT_WORD: Record<GateStatus, string> = {
  pass: "passing",
  fail: "failing",
  pending: "pending",
  skipped: "skipped",
  not_checked: "not checked",
};
const VERDICT_COLOR: Record<Verdict, number> = {
  ready: 32,
  overridden: 33,
  not_governed: 2,
  awaiting_approval: 33,
  blocked: 31,
  policy_error: 31,
};
const LABEL_WIDTH = Math.max(...Object.values(STATUS_LABEL).map((label) => label.length));
const INDENT = " ".repeat(2 + LABEL_WIDTH + 2);

function status(value: GateStatus, paint: Paint): string {
  return paint(STATUS_LABEL[value].padEnd(LABEL_WIDTH), STATUS_COLOR[value]);
}

// Each reason carries its location and fix indented beneath it, so they read together.
function gateLines(gate: GateResult, paint: Paint): string[] {
  const paired = pairedReasons(gate);
  const under = `${INDENT}  `;
  return [
    `  ${status(gate.status, paint)}  ${oneLine(gate.gate)}`,
    ...paired.reasons.flatMap(({ reason, location, fix }) => [
      `${INDENT}${oneLine(reason)}`,
      ...(location ? [`${under}at ${oneLine(formatLocation(location))}`] : []),
      ...(fix !== undefined ? [`${under}fix: ${oneLine(fix)}`] : []),
    ]),
    ...paired.locations.map((location) => `${INDENT}at ${oneLine(formatLocation(location))}`),
    ...paired.fixes.map((fix) => `${INDENT}fix: ${oneLine(fix)}`),
    ...gate.notes.map((note) => `${INDENT}note: ${oneLine(note)}`),
  ];
}

function artifactLines(artifact: ArtifactResult, paint: Paint): string[] {
  const about = [artifact.kind, artifact.tier, ...(artifact.removed ? ["removed"] : [])].map((part) =>
    oneLine(part),
  );
  return [
    "",
    paint(`${oneLine(artifact.root)} (${about.join(", ")})`, 1),
    ...artifact.gates.flatMap((gate) => gateLines(gate, paint)),
  ];
}

const people = (who: string[]): string => who.map((one) => oneLine(mention(one))).join(", ");

// An owners rule names whose approval each artifact needs, one line per artifact, instead of
// one pooled list of every owner.
function approvalLine(approval: ApprovalResult, paint: Paint): string[] {
  const perArtifact = approval.artifacts ?? [];
  const from = approval.from.length > 0 && perArtifact.length === 0 ? ` from ${people(approval.from)}` : "";
  const by = approval.approvedBy.length > 0 ? `; approved by ${people(approval.approvedBy)}` : "";
  const need = approvalOutstanding(approval)
    ? `needs ${plural(approval.missing, "more approval")}${from}`
    : "satisfied";
  return [
    `  ${status(approval.status, paint)}  ${oneLine(approval.rule)}: ${need}${by}`,
    ...perArtifact.map((share) => {
      const what =
        share.missing > 0
          ? `${share.missing} more from ${share.from.length > 0 ? people(share.from) : "no one (it names no owners)"}`
          : `approved by ${people(share.approvedBy)}`;
      return `${INDENT}${oneLine(share.root)}: ${what}`;
    }),
    ...approval.reasons.map((reason) => `${INDENT}${oneLine(reason)}`),
  ];
}

function section(title: string, lines: string[], paint: Paint): string[] {
  return lines.length === 0 ? [] : ["", paint(title, 1), ...lines];
}

function summaryLine(e: Evaluation): string {
  const counts = tally(e);
  const gates = (["fail", "pending", "pass", "skipped", "not_checked"] as const)
    .filter((key) => counts.gates[key] > 0)
    .map((key) => `${counts.gates[key]} ${GATE_COUNT_WORD[key]}`);
  const needed = e.approvals.filter(approvalOutstanding).reduce((sum, approval) => sum + approval.missing, 0);
  const parts = [
    e.artifacts.length > 0
      ? `${plural(e.artifacts.length, "artifact")}${gates.length > 0 ? ` (${gates.join(", ")} gates)` : ""}`
      : "",
    needed > 0 ? `${plural(needed, "approval")} needed` : "",
    e.errors.length > 0 ? plural(e.errors.length, "error") : "",
    e.warnings.length > 0 ? plural(e.warnings.length, "warning") : "",
  ].filter(Boolean);
  return `${capitalize(VERDICT_WORD[e.verdict])}${parts.length > 0 ? `: ${parts.join("; ")}` : ""}`;
}

export function renderText(e: Evaluation, options: TextOptions = {}): string {
  const paint: Paint = options.color ? (text, code) => `\u001b[${code}m${text}\u001b[0m` : (text) => text;
  const lines = [paint(checkTitle(e), VERDICT_COLOR[e.verdict])];
  if (e.enforcement === "advisory") lines.push("Advisory mode: this result does not block merging.");
  if (e.override) {
    const { by, reason, expiresAt } = e.override;
    lines.push(`Overridden by ${oneLine(mention(by))}: ${oneLine(reason)}, until ${oneLine(expiresAt)}`);
  }
  lines.push(...e.artifacts.flatMap((artifact) => artifactLines(artifact, paint)));
  lines.push(
    ...section(
      "Approvals",
      e.approvals.flatMap((approval) => approvalLine(approval, paint)),
      paint,
    ),
  );
  lines.push(
    ...section(
      "Errors",
      e.errors.map((error) => `  ${oneLine(formatLocated(error))}`),
      paint,
    ),
  );
  lines.push(
    ...section(
      "Warnings",
      e.warnings.map((warning) => `  ${oneLine(formatLocated(warning))}`),
      paint,
    ),
  );
  if (e.policy.digest !== "") {
    const sources = e.policy.sources.map((source) => oneLine(source)).join(", ");
    lines.push("", `Policy ${oneLine(e.policy.digest)}${sources ? ` from ${sources}` : ""}`);
  }
  lines.push("", summaryLine(e));
  return `${lines.join("\n")}\n`;
}
