// Org → repo merging is tighten-only (PRODUCT.md "Policy files"): a repo may add kinds and roots
// outside the folders the org governs, gates and approval rules, and make any requirement
// stricter; every loosening is an error at the repo file's line and column. The merged policy is
// the tighter of the two everywhere. Artifacts are merged in merge-artifacts.ts, gates in
// merge-gates.ts.
//
// Reading rules, so users can predict the result:
// - a key the repo leaves out inherits the org's value (omitting never loosens; a schema
//   default in the repo never overrides the org);
// - a list the repo writes replaces the org's and must keep what the org requires (roots,
//   tiers, sections, environments, thresholds) or stay within what the org allows (ignore
//   globs, reviewers, override teams, approvers);
// - approval rules are matched by name: every org rule stays, a same-name repo rule must be at
//   least as strict and is read as written (no tiers = every tier, no count = 1), and new repo
//   rules are added.
import type { LocatedError } from "./located.js";
import { checkTierRaises, mergeArtifacts } from "./merge-artifacts.js";
import { mergeGates } from "./merge-gates.js";
import type { ApprovalRule, Policy } from "./schema.js";
import { includesPrincipal, type PolicyLayer, plural, Tightening, uncovered, union } from "./tighten.js";

export type { PolicyLayer } from "./tighten.js";

export function mergeTightenOnly(
  org: PolicyLayer,
  repo: PolicyLayer,
): { policy: Policy; errors: LocatedError[] } {
  const t = new Tightening(org, repo);
  const o = org.policy;
  const r = repo.policy;

  const wroteEnforcement = t.wrote(["enforcement"]);
  if (wroteEnforcement && o.enforcement === "enforced" && r.enforcement === "advisory") {
    t.loosens(
      ["enforcement"],
      "enforcement advisory would stop blocking merges the org's enforced policy blocks",
    );
  }
  const enforcement =
    o.enforcement === "enforced" || (wroteEnforcement && r.enforcement === "enforced")
      ? "enforced"
      : "advisory";

  const policy: Policy = {
    version: 1,
    enforcement,
    policy_admins: withinOrg(["policy_admins"], o.policy_admins, r.policy_admins, "policy admin", t),
    artifacts: mergeArtifacts(o.artifacts, r.artifacts, t),
    gates: mergeGates(o.gates, r.gates, t),
    approvals: mergeApprovals(o.approvals, r.approvals, t),
  };
  checkTierRaises(o, policy, t);
  const overrides = mergeOverrides(o.overrides, r.overrides, t);
  if (overrides) policy.overrides = overrides;
  const releases = mergeReleases(o.releases, r.releases, t);
  if (releases) policy.releases = releases;
  // In file order, as a user fixes them; the checks run in key order.
  const errors = [...t.errors].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { policy, errors };
}

/**
 * A list of people the repo may narrow but not widen. An empty org list means "no bound" for
 * policy admins (the org named none) but "nobody" for override teams.
 */
function withinOrg(
  path: Array<string | number>,
  org: string[],
  repo: string[],
  what: string,
  t: Tightening,
  emptyOrgMeans: "anyone" | "nobody" = "anyone",
): string[] {
  if (!t.wrote(path)) return org;
  if (org.length === 0 && emptyOrgMeans === "anyone") return repo;
  repo.forEach((who, i) => {
    if (!includesPrincipal(org, who))
      t.loosens([...path, i], `${what} ${who} is not one of the org's ${what}s`);
  });
  const kept = repo.filter((who) => includesPrincipal(org, who));
  return kept.length > 0 ? kept : org;
}

function mergeApprovals(org: ApprovalRule[], repo: ApprovalRule[], t: Tightening): ApprovalRule[] {
  const merged = org.map((rule) => {
    const index = repo.findIndex((r) => r.name === rule.name);
    const same = repo[index];
    return same ? mergeRule(rule, same, index, t) : rule;
  });
  const added = repo.filter((r) => !org.some((o) => o.name === r.name));
  return [...merged, ...added];
}

function mergeRule(org: ApprovalRule, repo: ApprovalRule, index: number, t: Tightening): ApprovalRule {
  const at = (...rest: Array<string | number>) => ["approvals", index, ...rest];
  const name = `approval rule '${org.name}'`;
  if (repo.count < org.count)
    t.loosens(at("count"), `${name} needs ${repo.count}, below the org's ${org.count}`);
  if (org.owners && !repo.owners) t.loosens(at("owners"), `${name} no longer requires the artifact owners`);
  if (!org.owners && repo.owners) {
    t.loosens(at("owners"), `${name} lets artifact owners approve instead of the org's teams and users`);
  }
  const approvers = (key: "teams" | "users") => {
    const allowed = org[key] ?? [];
    (repo[key] ?? []).forEach((who, i) => {
      if (!includesPrincipal(allowed, who))
        t.loosens(at(key, i), `${name} lets ${who} approve, which the org's does not`);
    });
    return (repo[key] ?? []).filter((who) => includesPrincipal(allowed, who));
  };
  const teams = approvers("teams");
  const users = approvers("users");
  const lostTiers = uncovered(org.tiers, repo.tiers, ["low", "medium", "high"] as const);
  if (lostTiers.length > 0)
    t.loosens(at("tiers"), `${name} no longer applies to ${plural("tier", lostTiers)}`);
  if (repo.kinds !== undefined) {
    const lost = org.kinds?.filter((k) => !repo.kinds?.includes(k));
    if (lost === undefined)
      t.loosens(at("kinds"), `${name} no longer applies to every kind, as the org's does`);
    else if (lost.length > 0) t.loosens(at("kinds"), `${name} no longer applies to ${plural("kind", lost)}`);
  }
  const wider = <T>(a: T[] | undefined, b: T[] | undefined) => (a && b ? union(a, b) : undefined);
  const tiers = wider(org.tiers, repo.tiers);
  const kinds = wider(org.kinds, repo.kinds);
  // When the repo named none of the org's approvers (already an error), keep the org's.
  const keepOrg = teams.length + users.length === 0 && !org.owners;
  const people = keepOrg ? { teams: org.teams, users: org.users } : { teams, users };
  return {
    name: org.name,
    ...(people.teams && people.teams.length > 0 ? { teams: people.teams } : {}),
    ...(people.users && people.users.length > 0 ? { users: people.users } : {}),
    owners: org.owners,
    count: Math.max(org.count, repo.count),
    ...(tiers && { tiers }),
    ...(kinds && { kinds }),
  };
}

function mergeOverrides(
  org: Policy["overrides"],
  repo: Policy["overrides"],
  t: Tightening,
): Policy["overrides"] {
  if (!repo) return org;
  if (!org) {
    // An org policy without `overrides` lets nobody override; a repo cannot open that door.
    if (repo.teams.length > 0)
      t.loosens(["overrides", "teams"], "allows overrides, which the org policy does not");
    return undefined;
  }
  const teams = withinOrg(["overrides", "teams"], org.teams, repo.teams, "override team", t, "nobody");
  let hours = org.expires_after_hours;
  if (t.wrote(["overrides", "expires_after_hours"])) {
    if (repo.expires_after_hours > org.expires_after_hours) {
      t.loosens(
        ["overrides", "expires_after_hours"],
        `overrides last ${repo.expires_after_hours} hours, longer than the org's ${org.expires_after_hours}`,
      );
    }
    hours = Math.min(hours, repo.expires_after_hours);
  }
  return { teams, expires_after_hours: hours };
}

function mergeReleases(org: Policy["releases"], repo: Policy["releases"], t: Tightening): Policy["releases"] {
  if (!org || !repo) return org ?? repo;
  const wroteEnforce = t.wrote(["releases", "enforce"]);
  if (wroteEnforce && org.enforce && !repo.enforce) {
    t.loosens(["releases", "enforce"], "releases.enforce: false lets unready releases stay published");
  }
  let environments = org.environments;
  if (t.wrote(["releases", "environments"])) {
    const lost = org.environments.filter((env) => !repo.environments.includes(env));
    if (lost.length > 0) {
      t.loosens(["releases", "environments"], `no longer protects the org's ${plural("environment", lost)}`);
    }
    environments = union(org.environments, repo.environments);
  }
  return { enforce: org.enforce || (wroteEnforce && repo.enforce), environments };
}
