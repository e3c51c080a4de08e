// Tighten-only merge of `artifacts`: every path the org governs stays in the org's kind, at the
// org's tier or above, under every gate and approval rule the org applies to it.
//
// - A root the repo adds, to a new kind or to an org kind, must lie outside every org root: its
//   folders before the first glob character must neither contain nor lie inside an org root's
//   (root-overlap.ts). Otherwise the resolver, which takes the shortest matching folder, would
//   hand the org's paths to the repo's kind, or regroup the org's artifacts.
// - An org kind keeps its roots, keeps its tier or raises it, and ignores at most what the org
//   ignores.
// - A raised tier must not leave a gate, approval rule or threshold whose `tiers` held the org's
//   tier.
import type { KeyPath } from "./key-path.js";
import { boundsAtLeast, describeThreshold, reachesAll } from "./merge-gates.js";
import { literalPrefix, rootsMayOverlap } from "./root-overlap.js";
import { type ArtifactKind, EVIDENCE_GATES, type Policy, type Tier } from "./schema.js";
import { plural, type Tightening, tierRank, union } from "./tighten.js";

type Artifacts = Policy["artifacts"];

export function mergeArtifacts(org: Artifacts, repo: Artifacts, t: Tightening): Artifacts {
  const orgRoots = Object.entries(org).flatMap(([kind, spec]) => spec.roots.map((root) => ({ kind, root })));
  const merged: Artifacts = { ...org };
  for (const [kind, r] of Object.entries(repo)) {
    const o = org[kind];
    // Roots the org's own kind already lists are the org's; every other root is the repo's addition.
    const added = r.roots.flatMap((root, i) => (o?.roots.includes(root) ? [] : [{ root, i }]));
    const kept = added.filter(({ root, i }) => {
      const clash = orgRoots.find((theirs) => rootsMayOverlap(root, theirs.root));
      if (clash)
        t.loosens(["artifacts", kind, "roots", i], overlapMessage(kind, root, clash.kind, clash.root));
      return !clash;
    });
    const roots = kept.map(({ root }) => root);
    if (o) merged[kind] = mergeKind(kind, o, r, roots, t);
    else if (roots.length > 0) merged[kind] = { ...r, roots };
  }
  return merged;
}

function overlapMessage(kind: string, root: string, orgKind: string, orgRoot: string): string {
  const theirs = literalPrefix(orgRoot).join("/");
  const fix =
    theirs === ""
      ? `that org root can match folders anywhere, so no root can be added beside it; tighten kind '${orgKind}' under artifacts.${orgKind} instead, or ask the org to narrow its root`
      : kind === orgKind
        ? `remove it, or use a root outside '${theirs}'`
        : `use a root outside '${theirs}' (a root's folders before its first glob character must neither contain nor lie inside the org root's), or tighten kind '${orgKind}' under artifacts.${orgKind} instead`;
  return `kind '${kind}' root '${root}' overlaps the org's root '${orgRoot}' (kind '${orgKind}'), so it could take the org's artifacts out of their kind, tier or gates; ${fix}`;
}

/** An org kind the repo redefines; `added` are the repo's roots that passed the overlap test. */
function mergeKind(
  kind: string,
  org: ArtifactKind,
  repo: ArtifactKind,
  added: string[],
  t: Tightening,
): ArtifactKind {
  const at = (...rest: Array<string | number>): KeyPath => ["artifacts", kind, ...rest];
  const lost = org.roots.filter((root) => !repo.roots.includes(root));
  if (lost.length > 0) {
    t.loosens(at("roots"), `kind '${kind}' no longer lists the org's ${plural("root", lost)}`);
  }
  let tier = org.tier;
  if (t.wrote(at("tier"))) {
    if (tierRank(repo.tier) < tierRank(org.tier)) {
      t.loosens(at("tier"), `kind '${kind}' tier ${repo.tier} is below the org's ${org.tier}`);
    } else tier = repo.tier;
  }
  let ignore = org.ignore;
  if (t.wrote(at("ignore"))) {
    const allowed = org.ignore ?? [];
    (repo.ignore ?? []).forEach((glob, i) => {
      if (!allowed.includes(glob)) {
        t.loosens(at("ignore", i), `kind '${kind}' ignores '${glob}', which the org does not ignore`);
      }
    });
    ignore = (repo.ignore ?? []).filter((glob) => allowed.includes(glob));
  }
  return { roots: union(org.roots, added), tier, ...(ignore && { ignore }) };
}

/**
 * A gate or approval rule applies to the tiers it lists, not to those above them: raising an org
 * kind's tier from medium to high takes its artifacts out of a `tiers: [medium]` gate. Checked on
 * the merged policy, so a repo that also widens that gate's tiers may raise the kind.
 */
export function checkTierRaises(org: Policy, merged: Policy, t: Tightening): void {
  for (const [kind, o] of Object.entries(org.artifacts)) {
    const tier = merged.artifacts[kind]?.tier;
    if (tier === undefined || tierRank(tier) <= tierRank(o.tier)) continue;
    // The tiers the kind's artifacts could have under the org that now all become `tier`.
    const left = (tiers: readonly Tier[] | undefined): Tier[] =>
      tiers === undefined || tiers.includes(tier)
        ? []
        : tiers.filter((x) => tierRank(x) >= tierRank(o.tier) && tierRank(x) < tierRank(tier));
    const loses = (what: string, tiers: Tier[], where: string) =>
      t.loosens(
        ["artifacts", kind, "tier"],
        `kind '${kind}' tier ${tier} would take its artifacts out of ${what}, which applies to ${plural("tier", tiers)} and not ${tier}; add ${tier} to ${where} too, or keep the org's tier ${o.tier}`,
      );
    // Only what the org applies: a gate or rule the repo adds never held the org's artifacts.
    for (const name of EVIDENCE_GATES) {
      if (!org.gates[name]) continue;
      const lost = left(merged.gates[name]?.tiers);
      if (lost.length > 0) loses(`the ${name} gate`, lost, `gates.${name}.tiers`);
    }
    for (const name of Object.keys(org.gates.documents ?? {})) {
      const lost = left(merged.gates.documents?.[name]?.tiers);
      if (lost.length > 0) loses(`the ${name} gate`, lost, `gates.documents.${name}.tiers`);
    }
    for (const rule of merged.approvals) {
      if (!org.approvals.some((r) => r.name === rule.name)) continue;
      if (rule.kinds && !rule.kinds.includes(kind)) continue;
      const lost = left(rule.tiers);
      if (lost.length > 0)
        loses(`approval rule '${rule.name}'`, lost, `the tiers of approval rule '${rule.name}'`);
    }
    // A threshold with `tiers` is left the same way, unless the merged policy holds the kind's
    // artifacts at the new tier to the same bound.
    for (const th of org.gates.evaluation?.thresholds ?? []) {
      if (th.kinds && !th.kinds.includes(kind)) continue;
      const lost = left(th.tiers);
      if (lost.length === 0) continue;
      const atNewTier = { metric: th.metric, kinds: [kind], tiers: [tier] };
      const kept = (merged.gates.evaluation?.thresholds ?? []).some(
        (m) => boundsAtLeast(m, th) && reachesAll(m, atNewTier),
      );
      if (!kept)
        loses(
          `the threshold on ${describeThreshold(th)}`,
          lost,
          "that threshold's tiers in gates.evaluation",
        );
    }
  }
}
