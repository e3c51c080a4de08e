// Tighten-only merge of the evidence gates: a repo may add a gate or make one stricter.
import type { KeyPath } from "./key-path.js";
import {
  BINDINGS,
  type EvaluationGate,
  type OwnershipGate,
  type Policy,
  type PrivacyGate,
  type RollbackGate,
  type Threshold,
  TIERS,
  type Tier,
} from "./schema.js";
import { includesPrincipal, plural, smaller, type Tightening, uncovered, union } from "./tighten.js";

type Gates = Policy["gates"];

// One merge per gate the schema knows. The mapped type makes a new gate in the schema a compile
// error here until it has its merge, so no org gate can be dropped silently from the merged policy.
const MERGES: {
  [G in keyof Gates]-?: (
    org: NonNullable<Gates[G]>,
    repo: NonNullable<Gates[G]>,
    t: Tightening,
    at: At,
  ) => NonNullable<Gates[G]>;
} = {
  ownership: mergeOwnership,
  evaluation: mergeEvaluation,
  privacy: mergePrivacy,
  rollback: mergeRollback,
};

export function mergeGates(org: Gates, repo: Gates, t: Tightening): Gates {
  const at: At = (gate, ...rest) => ["gates", gate, ...rest];
  const merged: Record<string, unknown> = {};
  for (const gate of Object.keys(MERGES) as Array<keyof Gates>) {
    const o = org[gate];
    const r = repo[gate];
    const merge = MERGES[gate] as (o: unknown, r: unknown, t: Tightening, at: At) => unknown;
    const value = o && r ? merge(o, r, t, at) : (o ?? r);
    if (value) merged[gate] = value;
  }
  return merged as Gates;
}

type At = (gate: string, ...rest: Array<string | number>) => KeyPath;

/** A gate's `tiers`: the repo's list must still cover every tier the org's gate applies to. */
function mergeTiers(gate: string, org: Tier[] | undefined, repo: Tier[] | undefined, t: Tightening, at: At) {
  if (!t.wrote(at(gate, "tiers"))) return org;
  const lost = uncovered(org, repo, TIERS);
  if (lost.length > 0) {
    t.loosens(
      at(gate, "tiers"),
      `the ${gate} gate no longer applies to ${plural("tier", lost)}, as the org's does`,
    );
  }
  return org === undefined || repo === undefined
    ? undefined
    : TIERS.filter((x) => org.includes(x) || repo.includes(x));
}

/** The repo's evidence file name when it set one: where evidence lives is not a loosening. */
function pick<G, K extends keyof G>(
  gate: string,
  key: K & string,
  org: G,
  repo: G,
  t: Tightening,
  at: At,
): G[K] {
  return t.wrote(at(gate, key)) ? repo[key] : org[key];
}

function mergeOwnership(org: OwnershipGate, repo: OwnershipGate, t: Tightening, at: At): OwnershipGate {
  const wrote = t.wrote(at("ownership", "codeowners"));
  if (wrote && org.codeowners && !repo.codeowners) {
    t.loosens(at("ownership", "codeowners"), "codeowners: false drops the org's CODEOWNERS requirement");
  }
  const tiers = mergeTiers("ownership", org.tiers, repo.tiers, t, at);
  return { ...(tiers && { tiers }), codeowners: org.codeowners || (wrote && repo.codeowners) };
}

function mergeEvaluation(org: EvaluationGate, repo: EvaluationGate, t: Tightening, at: At): EvaluationGate {
  const tiers = mergeTiers("evaluation", org.tiers, repo.tiers, t, at);
  let bind = org.bind;
  if (t.wrote(at("evaluation", "bind"))) {
    const strength = (b: string) => BINDINGS.indexOf(b as (typeof BINDINGS)[number]);
    if (strength(repo.bind) < strength(org.bind)) {
      t.loosens(
        at("evaluation", "bind"),
        `bind ${repo.bind} is weaker than the org's ${org.bind} (${BINDINGS.join(" < ")})`,
      );
    } else bind = repo.bind;
  }
  const thresholds = t.wrote(at("evaluation", "thresholds"))
    ? mergeThresholds(org.thresholds, repo.thresholds, t, at)
    : org.thresholds;
  let regression = org.regression ?? repo.regression;
  if (org.regression && repo.regression && t.wrote(at("evaluation", "regression"))) {
    if (repo.regression.tolerance > org.regression.tolerance) {
      t.loosens(
        at("evaluation", "regression", "tolerance"),
        `regression tolerance ${repo.regression.tolerance} is above the org's ${org.regression.tolerance}`,
      );
    }
    regression = { tolerance: Math.min(org.regression.tolerance, repo.regression.tolerance) };
  }
  return {
    ...(tiers && { tiers }),
    file: pick("evaluation", "file", org, repo, t, at),
    format: pick("evaluation", "format", org, repo, t, at),
    bind,
    thresholds,
    ...(regression && { regression }),
  };
}

interface Bounds {
  min?: number;
  max?: number;
  /** Index of the entry that set each bound, for locating errors. */
  minAt?: number;
  maxAt?: number;
}

/** Thresholds grouped by metric, the tightest bound of each direction winning. */
function byMetric(thresholds: Threshold[]): Map<string, Bounds> {
  const metrics = new Map<string, Bounds>();
  thresholds.forEach((th, index) => {
    const b = metrics.get(th.metric) ?? {};
    if (th.min !== undefined && (b.min === undefined || th.min > b.min))
      Object.assign(b, { min: th.min, minAt: index });
    if (th.max !== undefined && (b.max === undefined || th.max < b.max))
      Object.assign(b, { max: th.max, maxAt: index });
    metrics.set(th.metric, b);
  });
  return metrics;
}

/** A repo that writes `thresholds` must keep every org threshold at least as strict. */
function mergeThresholds(org: Threshold[], repo: Threshold[], t: Tightening, at: At): Threshold[] {
  const o = byMetric(org);
  const r = byMetric(repo);
  const list = at("evaluation", "thresholds");
  for (const [metric, ob] of o) {
    const rb = r.get(metric);
    const bounds = [ob.min !== undefined && `min ${ob.min}`, ob.max !== undefined && `max ${ob.max}`].filter(
      Boolean,
    );
    if (!rb) {
      t.loosens(list, `removes the org's threshold on '${metric}' (${bounds.join(", ")})`);
      continue;
    }
    if (ob.min !== undefined) {
      if (rb.min === undefined)
        t.loosens([...list, rb.maxAt ?? 0], `drops the org's min ${ob.min} for '${metric}'`);
      else if (rb.min < ob.min) {
        t.loosens(
          [...list, rb.minAt ?? 0, "min"],
          `min ${rb.min} for '${metric}' is below the org's ${ob.min}`,
        );
      }
    }
    if (ob.max !== undefined) {
      if (rb.max === undefined)
        t.loosens([...list, rb.minAt ?? 0], `drops the org's max ${ob.max} for '${metric}'`);
      else if (rb.max > ob.max) {
        t.loosens(
          [...list, rb.maxAt ?? 0, "max"],
          `max ${rb.max} for '${metric}' is above the org's ${ob.max}`,
        );
      }
    }
  }
  const merged: Threshold[] = [];
  for (const metric of union([...o.keys()], [...r.keys()])) {
    const a = o.get(metric) ?? {};
    const b = r.get(metric) ?? {};
    const min = [a.min, b.min].filter((x) => x !== undefined);
    const max = smaller(a.max, b.max);
    merged.push({
      metric,
      ...(min.length > 0 && { min: Math.max(...min) }),
      ...(max !== undefined && { max }),
    });
  }
  return merged;
}

function mergePrivacy(org: PrivacyGate, repo: PrivacyGate, t: Tightening, at: At): PrivacyGate {
  const tiers = mergeTiers("privacy", org.tiers, repo.tiers, t, at);
  let reviewers = org.reviewers;
  if (t.wrote(at("privacy", "reviewers"))) {
    repo.reviewers.forEach((who, i) => {
      if (!includesPrincipal(org.reviewers, who)) {
        t.loosens(at("privacy", "reviewers", i), `privacy reviewer ${who} is not one of the org's reviewers`);
      }
    });
    const kept = repo.reviewers.filter((who) => includesPrincipal(org.reviewers, who));
    if (kept.length > 0) reviewers = kept;
  }
  const maxAge = tightenAge("privacy", "max_age_days", org.max_age_days, repo.max_age_days, t, at);
  return {
    ...(tiers && { tiers }),
    file: pick("privacy", "file", org, repo, t, at),
    reviewers,
    ...(maxAge !== undefined && { max_age_days: maxAge }),
  };
}

function mergeRollback(org: RollbackGate, repo: RollbackGate, t: Tightening, at: At): RollbackGate {
  const tiers = mergeTiers("rollback", org.tiers, repo.tiers, t, at);
  const sameSection = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  let sections = org.sections;
  if (t.wrote(at("rollback", "sections"))) {
    const lost = org.sections.filter((s) => !repo.sections.some((r) => sameSection(r, s)));
    if (lost.length > 0) {
      t.loosens(
        at("rollback", "sections"),
        `the rollback plan no longer requires the org's ${plural("section", lost)}`,
      );
    }
    sections = union(org.sections, repo.sections, sameSection);
  }
  const maxAge = tightenAge(
    "rollback",
    "max_drill_age_days",
    org.max_drill_age_days,
    repo.max_drill_age_days,
    t,
    at,
  );
  return {
    ...(tiers && { tiers }),
    file: pick("rollback", "file", org, repo, t, at),
    sections,
    ...(maxAge !== undefined && { max_drill_age_days: maxAge }),
  };
}

/** A maximum age may only shrink; the repo leaving it out keeps the org's. */
function tightenAge(
  gate: string,
  key: string,
  org: number | undefined,
  repo: number | undefined,
  t: Tightening,
  at: At,
) {
  if (org !== undefined && repo !== undefined && repo > org) {
    t.loosens(at(gate, key), `${key} ${repo} is longer than the org's ${org}`);
  }
  return smaller(org, repo);
}
