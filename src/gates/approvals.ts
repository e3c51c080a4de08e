// Approvals gate, per pull request: each applicable rule needs `count` counting approvals from
// the people it names (PRODUCT.md "Approvals"). Offline every applicable rule is `not_checked`.
import type { PeopleFacts } from "../facts/types.js";
import type { ApprovalRule, Policy } from "../policy/schema.js";
import { isAnyPrincipal, reviewStandings, type Standing } from "./reviews.js";
import type { ApprovalResult, GateScope, TouchedArtifact } from "./types.js";

export const POLICY_KIND = "policy";

export interface ApprovalsInput extends GateScope {
  artifacts: readonly TouchedArtifact[];
}

/** The policy's rules, plus `policy_admins` for a PR that edits a policy file. */
export function approvalRules(policy: Policy, artifacts: readonly TouchedArtifact[]): ApprovalRule[] {
  const rules = [...policy.approvals];
  if (policy.policy_admins.length > 0 && artifacts.some((a) => a.kind === POLICY_KIND)) {
    rules.push({
      name: "Policy admins",
      teams: policy.policy_admins,
      owners: false,
      count: 1,
      kinds: [POLICY_KIND],
    });
  }
  return rules;
}

/** The artifacts a rule's filters select; tiers never select the policy pseudo-artifact. */
function selected(rule: ApprovalRule, artifacts: readonly TouchedArtifact[]): TouchedArtifact[] {
  return artifacts.filter(
    (a) =>
      (!rule.tiers || (a.kind !== POLICY_KIND && rule.tiers.includes(a.tier))) &&
      (!rule.kinds || rule.kinds.includes(a.kind)),
  );
}

function appliesTo(rule: ApprovalRule, artifacts: readonly TouchedArtifact[]): boolean {
  const tierMatch =
    !rule.tiers || artifacts.some((a) => a.kind !== POLICY_KIND && rule.tiers?.includes(a.tier));
  const kindMatch = !rule.kinds || artifacts.some((a) => rule.kinds?.includes(a.kind));
  return artifacts.length > 0 && tierMatch && kindMatch;
}

// Rules, groups and reviewers are decided side by side, not one after another: every question
// about people is then asked in the same turn, which a GitHub source answers in one request.
export async function approvalsGate(input: ApprovalsInput): Promise<ApprovalResult[]> {
  const rules = approvalRules(input.policy, input.artifacts).filter((rule) =>
    appliesTo(rule, input.artifacts),
  );
  return Promise.all(
    rules.map((rule) => {
      const groups = rule.owners
        ? selected(rule, input.artifacts)
            .filter((a) => a.kind !== POLICY_KIND)
            .map((a) => ({ label: a.root, principals: a.owners }))
        : [{ label: "", principals: [...(rule.teams ?? []), ...(rule.users ?? [])] }];
      return decideRule(input, rule, groups);
    }),
  );
}

interface Group {
  /** The artifact root for an owners rule; empty otherwise. */
  label: string;
  principals: string[];
}

async function decideRule(
  input: ApprovalsInput,
  rule: ApprovalRule,
  groups: Group[],
): Promise<ApprovalResult> {
  const from = [...new Set(groups.flatMap((g) => g.principals))];
  const required = rule.count * groups.length;
  const base = { rule: rule.name, required, from };
  const people = input.facts.people;
  if (!people) {
    return {
      ...base,
      status: "not_checked",
      missing: required,
      approvedBy: [],
      reasons: ["approvals are checked on GitHub"],
    };
  }
  const standings = await reviewStandings(input, people);
  const approvedBy = new Set<string>();
  const reasons: string[] = [];
  let missing = 0;
  let held = false;
  const qualifyingByGroup = await Promise.all(
    groups.map((group) => qualifyingStandings(input, people, standings, group.principals)),
  );
  for (const [i, group] of groups.entries()) {
    const qualifying = qualifyingByGroup[i] ?? [];
    const approvals = qualifying.filter((s) => s.state === "APPROVED" && !s.discounted);
    for (const s of approvals) approvedBy.add(s.user);
    for (const s of qualifying) {
      if (s.state === "CHANGES_REQUESTED") {
        held = true;
        reasons.push(`@${s.user} requested changes${group.label ? ` to ${group.label}` : ""}`);
      } else if (s.discounted)
        reasons.push(`@${s.user}'s approval does not count: @${s.user} ${s.discounted}`);
    }
    const short = Math.max(0, rule.count - approvals.length);
    if (group.principals.length === 0) reasons.push(`${group.label} names no owners to approve it`);
    else if (short > 0)
      reasons.push(
        `${short} more from ${group.principals.join(", ")}${group.label ? ` for ${group.label}` : ""}`,
      );
    missing += short;
  }
  const status = held || missing > 0 ? "pending" : "pass";
  return { ...base, status, missing, approvedBy: [...approvedBy], reasons };
}

async function qualifyingStandings(
  input: ApprovalsInput,
  people: PeopleFacts,
  standings: readonly Standing[],
  principals: readonly string[],
): Promise<Standing[]> {
  const qualifies = await Promise.all(
    standings.map((standing) => isAnyPrincipal(input, people, principals, standing.user)),
  );
  return standings.filter((_, i) => qualifies[i]);
}
