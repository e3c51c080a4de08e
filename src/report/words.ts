// The words and symbols every surface uses for statuses and verdicts, so they read the same in
// the check run, the terminal and the release report.
import type { GateStatus, Location, Verdict } from "../engine/types.js";

export const STATUS_EMOJI: Record<GateStatus, string> = {
  pass: "✅",
  fail: "❌",
  pending: "⏳",
  skipped: "➖",
  not_checked: "❔",
};

export const STATUS_WORD: Record<GateStatus, string> = {
  pass: "pass",
  fail: "fail",
  pending: "pending",
  skipped: "skipped",
  not_checked: "not checked",
};

export const VERDICT_EMOJI: Record<Verdict, string> = {
  ready: "✅",
  blocked: "❌",
  awaiting_approval: "⏳",
  overridden: "⚠️",
  not_governed: "➖",
  policy_error: "❌",
};

export const VERDICT_WORD: Record<Verdict, string> = {
  ready: "ready",
  blocked: "blocked",
  awaiting_approval: "awaiting approval",
  overridden: "overridden",
  not_governed: "not governed",
  policy_error: "policy error",
};

/** `3 items`, `1 item`; counts of thousands get separators so they read at a glance. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : pluralForm}`;
}

/** `path:line`, the form editors and terminals turn into links. */
export function formatLocation(location: Location): string {
  return location.line === undefined ? location.path : `${location.path}:${location.line}`;
}

/**
 * Logins and teams as GitHub writes them (`@alice`, `@acme/privacy`); a description of who may
 * approve ("a repository admin") stays as it is.
 */
export function mention(who: string): string {
  return who.startsWith("@") || /\s/.test(who) ? who : `@${who}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
