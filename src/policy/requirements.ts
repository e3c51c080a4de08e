// The policy as a list of plain sentences, one per requirement, so a PR that edits the policy
// can say exactly which requirements it adds or removes.
import type { ApprovalRule, Policy, Tier } from "./schema.js";

export function requirementLines(policy: Policy): string[] {
  const lines: string[] = [];
  lines.push(
    policy.enforcement === "enforced"
      ? "enforcement: failing checks block the merge"
      : "enforcement: advisory (failing checks are reported as neutral, not blocking)",
  );
  if (policy.policy_admins.length > 0)
    lines.push(`policy changes need approval from ${list(policy.policy_admins)}`);

  for (const [kind, spec] of Object.entries(policy.artifacts)) {
    for (const root of spec.roots) lines.push(`${kind} artifacts under ${root} are tier ${spec.tier}`);
    for (const glob of spec.ignore ?? []) lines.push(`${kind} changes to ${glob} are not governed`);
  }

  const { ownership, evaluation, privacy, rollback } = policy.gates;
  if (ownership) {
    lines.push(`ownership: every artifact names its owners in artifact.yml${tiers(ownership.tiers)}`);
    if (ownership.codeowners)
      lines.push(`ownership: CODEOWNERS covers every changed file${tiers(ownership.tiers)}`);
  }
  if (evaluation) {
    const when = tiers(evaluation.tiers);
    lines.push(`evaluation: results in ${evaluation.file} (format ${evaluation.format})${when}`);
    lines.push(`evaluation: results bound to the change (${evaluation.bind})${when}`);
    for (const t of evaluation.thresholds) {
      // `accuracy ≥ 0.9 for kind model (tiers medium, high)`: the threshold's filters, then the gate's.
      const only = `${filters(t) === "" ? "" : ` for ${filters(t)}`}${when}`;
      if (t.min !== undefined) lines.push(`evaluation: ${t.metric} ≥ ${t.min}${only}`);
      if (t.max !== undefined) lines.push(`evaluation: ${t.metric} ≤ ${t.max}${only}`);
    }
    if (evaluation.regression) {
      const { tolerance, stderr } = evaluation.regression;
      const noise =
        stderr === undefined
          ? ""
          : ` and ${stderr} × its combined standard error where both sides report one`;
      lines.push(`evaluation: no metric regresses by more than ${tolerance}${noise}${when}`);
    }
  }
  if (privacy) {
    const when = tiers(privacy.tiers);
    lines.push(`privacy: review in ${privacy.file} by ${list(privacy.reviewers)}${when}`);
    if (privacy.max_age_days !== undefined) {
      lines.push(`privacy: review no older than ${privacy.max_age_days} days${when}`);
    }
  }
  if (rollback) {
    const when = tiers(rollback.tiers);
    lines.push(`rollback: plan in ${rollback.file}${when}`);
    for (const section of rollback.sections) lines.push(`rollback: plan has a '${section}' section${when}`);
    if (rollback.max_drill_age_days !== undefined) {
      lines.push(`rollback: drill no older than ${rollback.max_drill_age_days} days${when}`);
    }
  }
  for (const [name, gate] of Object.entries(policy.gates.documents ?? {})) {
    const when = tiers(gate.tiers);
    lines.push(`${name}: document in ${gate.file}${when}`);
    for (const section of gate.sections ?? [])
      lines.push(`${name}: document has a '${section}' section${when}`);
    for (const key of gate.keys ?? []) lines.push(`${name}: document has a '${key}' key${when}`);
    if (gate.dated_by !== undefined) {
      const age = gate.max_age_days === undefined ? "" : `, no older than ${gate.max_age_days} days`;
      lines.push(`${name}: document dated under '${gate.dated_by}'${age}${when}`);
    }
    if (gate.reviewers) lines.push(`${name}: document signed off by ${list(gate.reviewers)}${when}`);
  }

  for (const rule of policy.approvals) lines.push(approvalLine(rule));

  if (policy.overrides && policy.overrides.teams.length > 0) {
    const { teams, expires_after_hours } = policy.overrides;
    lines.push(`overrides by ${list(teams)}, expiring after ${expires_after_hours} hours`);
  }
  if (policy.releases?.enforce) lines.push("releases with unready changes go back to draft");
  for (const env of policy.releases?.environments ?? [])
    lines.push(`deployments to ${env} need a ready commit`);
  return lines;
}

/** What `after` requires that `before` did not, and the reverse. */
export function diffRequirements(
  before: Policy | undefined,
  after: Policy,
): { added: string[]; removed: string[] } {
  const old = before ? requirementLines(before) : [];
  const now = requirementLines(after);
  return {
    added: now.filter((line) => !old.includes(line)),
    removed: old.filter((line) => !now.includes(line)),
  };
}

function approvalLine(rule: ApprovalRule): string {
  const from = [
    ...(rule.owners ? ["the artifact's owners"] : []),
    ...(rule.teams ?? []),
    ...(rule.users ?? []),
  ];
  const when = filters(rule) === "" ? "" : ` (${filters(rule)})`;
  return `approval '${rule.name}': ${rule.count} from ${list(from)}${when}`;
}

/** `tier high; kinds model, dataset`: the filters of an approval rule or a threshold. */
function filters(item: { tiers?: Tier[] | undefined; kinds?: string[] | undefined }): string {
  return [
    item.tiers && `${item.tiers.length === 1 ? "tier" : "tiers"} ${item.tiers.join(", ")}`,
    item.kinds && `${item.kinds.length === 1 ? "kind" : "kinds"} ${item.kinds.join(", ")}`,
  ]
    .filter(Boolean)
    .join("; ");
}

function tiers(selected: Tier[] | undefined): string {
  if (!selected) return "";
  return ` (${selected.length === 1 ? "tier" : "tiers"} ${selected.join(", ")})`;
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "nobody") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
