// Approvals gate, per pull request: each applicable rule needs `count` counting approvals from
// the people it names (PRODUCT.md "Approvals"). Offline every applicable rule is `not_checked`.
import type { PeopleFacts } from "../facts/types.js";
import { isPseudoKind, PSEUDO_KINDS } from "../policy/pseudo-kinds.js";
import type { ApprovalRule, Policy } from "../policy/schema.js";
import { isOrgPrincipal, isPrincipal, isRepoAdmin, reviewStandings, type Standing } from "./reviews.js";
import { appliesToTier } from "./tiers.js";
import type { ApprovalResult, ArtifactApprovals, GateScope, TouchedArtifact } from "./types.js";

export interface ApprovalsInput extends GateScope {
  artifacts: readonly TouchedArtifact[];
}

/** A rule to decide: the policy's, or one the engine adds for an edit of a pseudo-artifact. */
export interface RuleToDecide extends ApprovalRule {
  /** Anyone with admin permission on the repository qualifies. */
  admins?: boolean;
}

/** Who a repository-admin rule asks, in the words the check shows. */
export const REPOSITORY_ADMIN = "a repository admin";

/**
 * The policy's rules, plus one for a PR that edits a pseudo-artifact (the policy file, a governed
 * CODEOWNERS): `policy_admins`, or without them a repository admin. Either way someone other than
 * the PR's authors approves a change to the rules that judge it.
 */
export function approvalRules(policy: Policy, artifacts: readonly TouchedArtifact[]): RuleToDecide[] {
  const rules: RuleToDecide[] = [...policy.approvals];
  if (artifacts.some((a) => isPseudoKind(a.kind))) {
    const kinds = [...PSEUDO_KINDS];
    rules.push(
      policy.policy_admins.length > 0
        ? { name: "Policy admins", teams: policy.policy_admins, owners: false, count: 1, kinds }
        : { name: "Repository admin", admins: true, owners: false, count: 1, kinds },
    );
  }
  return rules;
}

/** The artifacts a rule's filters select; tiers never select a pseudo-artifact. */
function selected(rule: ApprovalRule, artifacts: readonly TouchedArtifact[]): TouchedArtifact[] {
  return artifacts.filter(
    (a) =>
      (!rule.tiers || (!isPseudoKind(a.kind) && appliesToTier(rule.tiers, a))) &&
      (!rule.kinds || rule.kinds.includes(a.kind)),
  );
}

function appliesTo(rule: RuleToDecide, artifacts: readonly TouchedArtifact[]): boolean {
  const tierMatch =
    !rule.tiers || artifacts.some((a) => !isPseudoKind(a.kind) && appliesToTier(rule.tiers, a));
  const kindMatch = !rule.kinds || artifacts.some((a) => rule.kinds?.includes(a.kind));
  // A policy file or CODEOWNERS has no owners: an owners rule over those alone asks nobody, and
  // would show as a rule "satisfied" by no one.
  const hasOwners =
    !rule.owners || rule.admins || selected(rule, artifacts).some((a) => !isPseudoKind(a.kind));
  return artifacts.length > 0 && tierMatch && kindMatch && hasOwners;
}

interface Group {
  /** The artifact root for an owners rule; empty otherwise. */
  label: string;
  /** Who can approve, as the check names them. */
  principals: string[];
  /** Whether a reviewer qualifies; by default, being one of `principals`. */
  qualifies?: (people: PeopleFacts, login: string) => Promise<boolean>;
}

// Rules, groups and reviewers are decided side by side, not one after another: every question
// about people is then asked in the same turn, which a GitHub source answers in one request.
export async function approvalsGate(input: ApprovalsInput): Promise<ApprovalResult[]> {
  const rules = approvalRules(input.policy, input.artifacts).filter((rule) =>
    appliesTo(rule, input.artifacts),
  );
  return Promise.all(rules.map((rule) => decideRule(input, rule, groupsOf(input, rule))));
}

function groupsOf(input: ApprovalsInput, rule: RuleToDecide): Group[] {
  if (rule.admins) {
    return [
      {
        label: "",
        principals: [REPOSITORY_ADMIN],
        qualifies: (people, login) => isRepoAdmin(input, people, login),
      },
    ];
  }
  if (rule.owners) {
    return selected(rule, input.artifacts)
      .filter((a) => !isPseudoKind(a.kind))
      .map((a) => ({ label: a.root, principals: a.owners }));
  }
  return [{ label: "", principals: [...(rule.teams ?? []), ...(rule.users ?? [])] }];
}

async function decideRule(
  input: ApprovalsInput,
  rule: RuleToDecide,
  groups: Group[],
): Promise<ApprovalResult> {
  const required = rule.count * groups.length;
  const people = input.facts.people;
  if (!people) {
    return {
      rule: rule.name,
      required,
      from: principalsOf(groups),
      status: "not_checked",
      missing: required,
      approvedBy: [],
      reasons: ["approvals are checked on GitHub"],
      ...byArtifact(
        rule,
        groups.map((g) => ({ root: g.label, missing: rule.count, from: g.principals, approvedBy: [] })),
      ),
    };
  }
  // Whether each owner belongs to the organisation is asked beside the reviews, and who qualifies
  // once the reviewers are known, as before: the questions share requests with the rest.
  const [belongs, { standings, answers }] = await Promise.all([
    Promise.all(
      groups.map((g) =>
        rule.owners
          ? Promise.all(g.principals.map((owner) => isOrgPrincipal(input, people, owner)))
          : g.principals.map(() => true),
      ),
    ),
    reviewStandings(input, people).then(async (standings) => ({
      standings,
      answers: await Promise.all(groups.map((g) => principalAnswers(input, people, standings, g))),
    })),
  ]);
  const reasons: string[] = [];
  // An owner outside the organisation (a sock puppet the PR named) cannot approve as an owner.
  const counted = groups.map((group, i) => {
    const valid = belongs[i] ?? [];
    for (const [j, owner] of group.principals.entries()) {
      if (!valid[j])
        reasons.push(
          `${owner} is not an active member or a team of this organisation, so cannot approve ${group.label} as its owner`,
        );
    }
    return { ...group, principals: group.principals.filter((_, j) => valid[j]) };
  });
  const base = { rule: rule.name, required, from: principalsOf(counted) };
  const approvedBy = new Set<string>();
  const shares: ArtifactApprovals[] = [];
  let missing = 0;
  let held = false;
  for (const [i, group] of counted.entries()) {
    const valid = belongs[i] ?? [];
    // A reviewer qualifies through a principal that belongs to the organisation.
    const qualifying = standings.filter((_, k) =>
      answers[i]?.[k]?.some((yes, j) => yes && valid[j] !== false),
    );
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
    if (group.principals.length === 0)
      reasons.push(
        `${group.label} names no owners${groups[i]?.principals.length ? " of this organisation" : ""} to approve it`,
      );
    // An owners rule says who is still needed per artifact (`artifacts`), not in its reasons.
    else if (short > 0 && !rule.owners)
      reasons.push(
        `${short} more from ${group.principals.join(", ")}${rule.admins ? " (not the author or a commit author)" : ""}`,
      );
    missing += short;
    shares.push({
      root: group.label,
      missing: short,
      from: group.principals,
      approvedBy: [...new Set(approvals.map((s) => s.user))],
    });
  }
  const status = held || missing > 0 ? "pending" : "pass";
  return { ...base, status, missing, approvedBy: [...approvedBy], reasons, ...byArtifact(rule, shares) };
}

/** The per-artifact breakdown, for an `owners: true` rule only. */
function byArtifact(rule: RuleToDecide, shares: ArtifactApprovals[]): { artifacts?: ArtifactApprovals[] } {
  return rule.owners && !rule.admins ? { artifacts: shares } : {};
}

function principalsOf(groups: readonly Group[]): string[] {
  return [...new Set(groups.flatMap((g) => g.principals))];
}

/**
 * For each standing, whether its reviewer is each of the group's principals (one answer for a
 * group with its own test), every question asked at once.
 */
function principalAnswers(
  input: ApprovalsInput,
  people: PeopleFacts,
  standings: readonly Standing[],
  group: Group,
): Promise<boolean[][]> {
  return Promise.all(
    standings.map((standing) =>
      group.qualifies
        ? group.qualifies(people, standing.user).then((yes) => [yes])
        : Promise.all(
            group.principals.map((principal) => isPrincipal(input, people, principal, standing.user)),
          ),
    ),
  );
}
