// What a release decision shows (PRODUCT.md "Releases and deployments"): `readiness-report.md`
// and `readiness-report.json` for the release's assets, the check run `Readiness gate / release`,
// the draft release's body under `releases.enforce`, and the bypass issue. Pure: the edge uploads,
// posts and records.
import Handlebars from "handlebars";
import type { Bypass } from "../engine/bypass.js";
import type { ReleaseArtifact, ReleaseDecision, ReleasePull } from "../engine/release-types.js";
import type { GateResult, GateStatus, Verdict } from "../engine/types.js";
import { clip, markdownCode, markdownText } from "./escape.js";
import { fitWithin } from "./fit.js";
import type { CheckConclusion } from "./outcome.js";
import { mention, plural, STATUS_EMOJI, STATUS_WORD, VERDICT_EMOJI, VERDICT_WORD } from "./words.js";

/** The check run's name on the release commit: one per commit, updated in place. */
export const RELEASE_CHECK_NAME = "Readiness gate / release";
/** The release assets, replaced on a re-run. */
export const REPORT_MARKDOWN = "readiness-report.md";
export const REPORT_JSON = "readiness-report.json";
/** The label on bypass issues. */
export const BYPASS_LABEL = "readiness-bypass";

/** GitHub's caps: a check run's summary, a release's body, an issue's body and title. */
const SUMMARY_LIMIT = 65_535;
export const RELEASE_BODY_LIMIT = 125_000;
const ISSUE_BODY_LIMIT = 65_536;
const ISSUE_TITLE_LIMIT = 256;

function short(sha: string): string {
  return sha.slice(0, 7);
}

function verdictWord(verdict: Verdict | null): string {
  return verdict ? VERDICT_WORD[verdict] : "no decision";
}

function threshold(metric: { min?: number; max?: number }): string {
  if (metric.min !== undefined && metric.max !== undefined) return `${metric.min} – ${metric.max}`;
  if (metric.min !== undefined) return `≥ ${metric.min}`;
  if (metric.max !== undefined) return `≤ ${metric.max}`;
  return "—";
}

/** `Ready: v1.2.0 — 2 artifacts through 2 pull requests`, `Not ready: v1.2.0 — 3 reasons`. */
export function releaseTitle(d: ReleaseDecision): string {
  if (d.verdict === "ready") {
    const what =
      d.artifacts.length === 0
        ? "no governed changes"
        : `${plural(d.artifacts.length, "artifact")} through ${plural(d.pulls.length, "pull request")}`;
    return clip(`Ready: ${d.release.tag} — ${what}`, 255);
  }
  const what = `Not ready: ${d.release.tag} — ${plural(d.reasons.length, "reason")}`;
  return clip(d.enforcement === "advisory" ? `Advisory — would fail: ${what}` : what, 255);
}

/** `success` for a ready release, `failure` otherwise, `neutral` under an advisory policy. */
export function releaseConclusion(d: ReleaseDecision): CheckConclusion {
  if (d.verdict === "ready") return "success";
  return d.enforcement === "advisory" ? "neutral" : "failure";
}

interface ReleaseView {
  title: string;
  verdictEmoji: string;
  release: { tag: string; commit: string; previousTag: string | null };
  range: ReleaseDecision["range"];
  advisory: boolean;
  wouldFail: boolean;
  draft: boolean;
  reasons: string[];
  artifacts: Array<
    Omit<ReleaseArtifact, "verdict" | "direct"> & { verdict: string; verdictEmoji: string; direct: string[] }
  >;
  pulls: Array<{
    /** The PR's number (`number` is a helper's name in the template). */
    pr: number;
    title: string;
    verdict: string;
    verdictEmoji: string;
    basis: string;
    decidedHead: string | null;
    override: string | null;
    approvers: string[];
    auditRecords: number[];
  }>;
  metrics: Array<{ root: string; metric: string; value: string; threshold: string; holds: boolean }>;
  gates: Array<{
    root: string;
    gate: string;
    status: GateStatus;
    reference: string | null;
    reasons: string[];
  }>;
  history: { commits: number; paths: string[] } | null;
  more: number;
  policy: ReleaseDecision["policy"];
  auditRecords: string;
}

/** The evidence file a gate was judged on: its reference by the gate's name, else where it failed. */
function reference(artifact: ReleaseArtifact, gate: GateResult): string | null {
  // Own keys only: a document gate may be called `constructor`.
  const named = Object.hasOwn(artifact.references, gate.gate) ? artifact.references[gate.gate] : null;
  return named ?? gate.locations[0]?.path ?? null;
}

/**
 * `references` in `readiness-report.json`: `privacy` and `rollback` always (null when the policy
 * has no such gate), then each document gate the policy configures, by its name.
 */
function referencesJson(references: ReleaseArtifact["references"]): Record<string, string | null> {
  return {
    privacy: references.privacy ?? null,
    rollback: references.rollback ?? null,
    ...Object.fromEntries(
      Object.entries(references).filter(([gate]) => gate !== "privacy" && gate !== "rollback"),
    ),
  };
}

function pullView(pull: ReleasePull): ReleaseView["pulls"][number] {
  return {
    pr: pull.number,
    title: pull.title,
    verdict: verdictWord(pull.verdict),
    verdictEmoji: pull.verdict ? VERDICT_EMOJI[pull.verdict] : "❌",
    basis: pull.basis,
    decidedHead: pull.decidedHead ? short(pull.decidedHead) : null,
    override: pull.override ? mention(pull.override.by) : null,
    approvers: pull.approvers.map((a) => `${mention(a.login)} (${a.rule})`),
    auditRecords: pull.auditRecords,
  };
}

/** The decision reshaped for the template; `limit` keeps the first rows of each list. */
export function releaseView(d: ReleaseDecision, limit = Number.POSITIVE_INFINITY): ReleaseView {
  const metrics = d.artifacts.flatMap((a) =>
    a.metrics.map((m) => ({
      root: a.root,
      metric: m.metric,
      value: m.value === null ? "not reported" : String(m.value),
      threshold: threshold(m),
      holds: m.holds,
    })),
  );
  const gates = d.artifacts.flatMap((a) =>
    a.gates.map((g) => ({
      root: a.root,
      gate: g.gate,
      status: g.status,
      reference: reference(a, g),
      reasons: g.reasons,
    })),
  );
  const lists = [d.reasons, d.artifacts, d.pulls, metrics, gates];
  const more = lists.reduce((sum, list) => sum + Math.max(0, list.length - limit), 0);
  return {
    title: releaseTitle(d),
    verdictEmoji: d.verdict === "ready" ? "✅" : d.enforcement === "advisory" ? "ℹ️" : "❌",
    release: {
      tag: d.release.tag,
      commit: d.release.commit,
      previousTag: d.release.previousTag,
    },
    range: d.range,
    advisory: d.enforcement === "advisory",
    wouldFail: d.verdict === "unready",
    draft: d.enforce && d.verdict === "unready" && d.enforcement === "enforced",
    reasons: d.reasons.slice(0, limit),
    artifacts: d.artifacts.slice(0, limit).map((a) => ({
      ...a,
      verdict: a.verdict === "ready" ? "ready" : "not ready",
      verdictEmoji: a.verdict === "ready" ? "✅" : "❌",
      direct: a.direct.map(short),
    })),
    pulls: d.pulls.slice(0, limit).map(pullView),
    metrics: metrics.slice(0, limit),
    gates: gates.slice(0, limit),
    history:
      d.history.commits.length > 0 ? { commits: d.history.commits.length, paths: d.history.paths } : null,
    more,
    policy: d.policy,
    auditRecords: d.auditRecords.join(", "),
  };
}

export interface ReleaseRenderer {
  /** `readiness-report.md`, or the check run's summary when `maxChars` is set. */
  renderReport(d: ReleaseDecision, options?: { maxChars?: number }): string;
}

/** The renderer of `templates/release.md.hbs` (read at the edge by `src/assets/templates.ts`). */
export function createReleaseRenderer(templates: { release: string }): ReleaseRenderer {
  const hb = Handlebars.create();
  const list = (values: unknown, format: (value: string) => string) =>
    Array.isArray(values) ? values.map((value) => format(String(value))).join(", ") : "";
  hb.registerHelper("text", (value: unknown) => markdownText(String(value)));
  hb.registerHelper("cell", (value: unknown) => markdownText(String(value), { inTable: true }));
  hb.registerHelper("code", (value: unknown) => markdownCode(String(value)));
  hb.registerHelper("cellCode", (value: unknown) => markdownCode(String(value), { inTable: true }));
  hb.registerHelper("codes", (values: unknown) => list(values, (value) => markdownCode(value)));
  hb.registerHelper("status", (status: GateStatus) => `${STATUS_EMOJI[status]} ${STATUS_WORD[status]}`);
  hb.registerHelper("number", (count: number) => count.toLocaleString("en-US"));
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  const knownHelpers = Object.fromEntries(Object.keys(hb.helpers).map((name) => [name, true]));
  hb.parse(templates.release);
  const page = hb.compile<ReleaseView>(templates.release, {
    noEscape: true,
    strict: true,
    knownHelpers,
    knownHelpersOnly: true,
  });
  return {
    renderReport(d, options = {}) {
      const at = (limit: number) => page(releaseView(d, limit));
      if (options.maxChars === undefined) return at(Number.POSITIVE_INFINITY);
      const view = releaseView(d);
      const rows = Math.max(
        d.reasons.length,
        d.artifacts.length,
        d.pulls.length,
        view.metrics.length,
        view.gates.length,
      );
      return fitWithin(at, rows, options.maxChars);
    },
  };
}

export interface ReleaseCheckRun {
  name: typeof RELEASE_CHECK_NAME;
  /** The release commit. */
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
}

export function releaseCheckRun(d: ReleaseDecision, renderer: ReleaseRenderer): ReleaseCheckRun {
  return {
    name: RELEASE_CHECK_NAME,
    headSha: d.release.commit,
    conclusion: releaseConclusion(d),
    title: releaseTitle(d),
    summary: renderer.renderReport(d, { maxChars: SUMMARY_LIMIT }),
  };
}

/**
 * `readiness-report.json`: the decision with its keys in the documented order (docs/releases.md,
 * "The report"). `version` changes only when a key changes meaning or goes away.
 */
export function releaseReportJson(d: ReleaseDecision): object {
  return {
    version: 1,
    verdict: d.verdict,
    repository: d.repository,
    release: {
      tag: d.release.tag,
      commit: d.release.commit,
      previousTag: d.release.previousTag,
      firstRelease: d.firstRelease,
    },
    range: { read: d.range.read, total: d.range.total, complete: d.range.complete, unread: d.range.unread },
    reasons: [...d.reasons],
    artifacts: d.artifacts.map((a) => ({
      root: a.root,
      kind: a.kind,
      tier: a.tier,
      removed: a.removed,
      verdict: a.verdict,
      reasons: [...a.reasons],
      paths: [...a.paths],
      commits: [...a.commits],
      pulls: [...a.pulls],
      direct: [...a.direct],
      gates: a.gates.map((g) => ({ gate: g.gate, status: g.status, reasons: [...g.reasons] })),
      metrics: a.metrics.map((m) => ({
        metric: m.metric,
        value: m.value,
        min: m.min ?? null,
        max: m.max ?? null,
        holds: m.holds,
      })),
      references: referencesJson(a.references),
    })),
    pulls: d.pulls.map((p) => ({
      number: p.number,
      title: p.title,
      author: p.author,
      verdict: p.verdict,
      counts: p.counts,
      basis: p.basis,
      mergedHead: p.mergedHead,
      decidedHead: p.decidedHead,
      approvers: p.approvers.map((a) => ({ login: a.login, rule: a.rule })),
      override: p.override ? { by: p.override.by, reason: p.override.reason } : null,
      auditRecords: [...p.auditRecords],
      artifacts: [...p.artifacts],
      commits: [...p.commits],
      reasons: [...p.reasons],
    })),
    directCommits: [...d.directCommits],
    history: { commits: [...d.history.commits], paths: [...d.history.paths] },
    policy: { digest: d.policy.digest, sources: [...d.policy.sources] },
    enforcement: d.enforcement,
    enforce: d.enforce,
    auditRecords: [...d.auditRecords],
  };
}

/** The two release assets, by name: replaced (never duplicated) on a re-run. */
export function releaseReportFiles(
  d: ReleaseDecision,
  renderer: ReleaseRenderer,
): Array<{ name: string; contentType: string; content: string }> {
  return [
    { name: REPORT_MARKDOWN, contentType: "text/markdown; charset=utf-8", content: renderer.renderReport(d) },
    {
      name: REPORT_JSON,
      contentType: "application/json",
      content: `${JSON.stringify(releaseReportJson(d), null, 2)}\n`,
    },
  ];
}

const BODY_START = "<!-- readiness-gate:release-reasons -->";
const BODY_END = "<!-- /readiness-gate:release-reasons -->";

/** The release notes without any reasons block the app put there earlier. */
export function originalNotes(body: string): string {
  let notes = body;
  for (let start = notes.indexOf(BODY_START); start !== -1; start = notes.indexOf(BODY_START, start)) {
    const end = notes.indexOf(BODY_END, start);
    if (end === -1) break;
    let after = end + BODY_END.length;
    while (notes[after] === "\n" || notes[after] === "\r") after++;
    notes = notes.slice(0, start) + notes.slice(after);
  }
  return notes;
}

/**
 * The body of a release turned back into a draft: the reasons at the top, the original notes kept
 * below them. Idempotent: a re-run replaces its own block, never stacks a second; a ready release
 * gets its notes back as they were. Within GitHub's 125,000 characters: reasons are dropped from
 * the end (the check run lists them all), the notes are never cut.
 */
export function draftReleaseBody(body: string | null, d: ReleaseDecision): string {
  const notes = originalNotes(body ?? "");
  if (d.verdict === "ready") return notes;
  const head = [
    BODY_START,
    `> [!CAUTION]`,
    `> **Readiness gate: not ready.** This release was turned back into a draft (\`releases.enforce\`):`,
  ];
  const tail = [
    `>`,
    `> Fix these, wait for the check \`${RELEASE_CHECK_NAME}\` to pass on ${markdownCode(short(d.release.commit))}, then publish the release again: the app never publishes it for you.`,
    BODY_END,
    "",
    "",
  ];
  const budget = RELEASE_BODY_LIMIT - notes.length - [...head, ...tail].join("\n").length - 100;
  const lines: string[] = [];
  let used = 0;
  for (const [i, reason] of d.reasons.entries()) {
    const line = `> - ${markdownText(reason)}`;
    if (used + line.length + 1 > budget) {
      lines.push(`> - … and ${d.reasons.length - i} more in the check run`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return [...head, ...lines, ...tail].join("\n") + notes;
}

export interface BypassIssue {
  title: string;
  body: string;
  labels: string[];
}

/** The hidden line that names the push in its issue, so the edge finds it before opening another. */
export function bypassMarker(key: string): string {
  return `<!-- readiness-gate:${key} -->`;
}

/** The issue that reports a bypass, one per push. */
export function bypassIssue(b: Bypass): BypassIssue {
  const branch = b.ref.replace(/^refs\/heads\//, "");
  const what =
    b.artifacts.length === 0
      ? "a push not read in full"
      : `${plural(b.artifacts.length, "governed artifact")}`;
  const title = clip(
    `Readiness bypass: ${what} pushed to ${branch} by ${mention(b.pusher)}`,
    ISSUE_TITLE_LIMIT,
  );
  const intro = [
    bypassMarker(b.key),
    `${markdownText(mention(b.pusher))} pushed to ${markdownCode(branch)} (${markdownCode(short(b.before))} → ${markdownCode(short(b.after))}${b.forced ? ", **forced**" : ""}) governed changes that came through no pull request that was ready or overridden when merged.`,
  ];
  if (b.unread) intro.push("", `> ⚠️ The push was not read in full: ${markdownText(b.unread)}`);
  const rows: string[] = [];
  if (b.artifacts.length > 0) {
    rows.push("", "| Artifact | Kind | Paths | Commits |", "| --- | --- | --- | --- |");
    for (const a of b.artifacts) {
      const paths = a.paths.map((p) => markdownCode(p, { inTable: true })).join(", ");
      const commits = a.commits.map((c) => markdownCode(short(c), { inTable: true })).join(", ");
      rows.push(
        `| ${markdownCode(a.root, { inTable: true })} | ${markdownText(a.kind, { inTable: true })} | ${paths} | ${commits} |`,
      );
    }
  }
  if (b.pulls.length > 0) {
    rows.push("", "Pull requests that held these commits but did not count:", "");
    for (const p of b.pulls)
      rows.push(
        `- #${p.number} ${markdownText(p.title)}: ${markdownText(p.reasons.join("; ") || verdictWord(p.verdict))}`,
      );
  }
  const outro = [
    "",
    "What to do: review these changes as a pull request would have been (evidence, approvals), or revert them; the push is recorded as a `bypass` in the audit trail. Protect the branch so governed changes go through pull requests with the required check `Readiness gate`.",
  ];
  const fixed = [...intro, ...outro].join("\n").length;
  const kept: string[] = [];
  let used = 0;
  for (const [i, row] of rows.entries()) {
    if (fixed + used + row.length + 200 > ISSUE_BODY_LIMIT) {
      kept.push("", `… ${rows.length - i} more lines not shown.`);
      break;
    }
    kept.push(row);
    used += row.length + 1;
  }
  return { title, body: [...intro, ...kept, ...outro].join("\n"), labels: [BYPASS_LABEL] };
}
