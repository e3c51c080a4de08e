// Tighten-only merge of the evidence gates: a repo may add a gate or make one stricter.
import type { KeyPath } from "./key-path.js";
import { normaliseMetricName } from "./metric-name.js";
import {
  BINDINGS,
  type DocumentGate,
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
  documents: mergeDocuments,
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
  const regression =
    org.regression && repo.regression && t.wrote(at("evaluation", "regression"))
      ? mergeRegression(org.regression, repo.regression, t, at)
      : (org.regression ?? repo.regression);
  return {
    ...(tiers && { tiers }),
    file: pick("evaluation", "file", org, repo, t, at),
    format: pick("evaluation", "format", org, repo, t, at),
    bind,
    thresholds,
    ...(regression && { regression }),
  };
}

type Regression = NonNullable<EvaluationGate["regression"]>;

/**
 * The smaller tolerance and the smaller noise multiplier win. No `stderr` means no noise band (a
 * multiplier of 0): a repo that adds one to an org rule without it would excuse regressions.
 */
function mergeRegression(org: Regression, repo: Regression, t: Tightening, at: At): Regression {
  if (repo.tolerance > org.tolerance) {
    t.loosens(
      at("evaluation", "regression", "tolerance"),
      `regression tolerance ${repo.tolerance} is above the org's ${org.tolerance}`,
    );
  }
  const tolerance = Math.min(org.tolerance, repo.tolerance);
  if (repo.stderr !== undefined && repo.stderr > (org.stderr ?? 0)) {
    t.loosens(
      at("evaluation", "regression", "stderr"),
      org.stderr === undefined
        ? `regression stderr ${repo.stderr} adds a noise band the org's regression rule does not have`
        : `regression stderr ${repo.stderr} is above the org's ${org.stderr}`,
    );
  }
  const stderr =
    org.stderr === undefined || repo.stderr === undefined ? undefined : Math.min(org.stderr, repo.stderr);
  return { tolerance, ...(stderr !== undefined && { stderr }) };
}

/**
 * Which artifacts a threshold reaches, as a key: thresholds with the same metric and the same
 * filters are one requirement, whose tightest `min` and `max` win.
 */
function scopeKey(th: Threshold): string {
  const sorted = (list: readonly string[] | undefined) => (list ? [...list].sort().join(",") : "*");
  return `${normaliseMetricName(th.metric)}|${sorted(th.kinds)}|${sorted(th.tiers)}`;
}

/** Whether `wide`'s filters reach every artifact `narrow`'s do (a filter left out reaches all). */
export function reachesAll(
  wide: Pick<Threshold, "kinds" | "tiers">,
  narrow: Pick<Threshold, "kinds" | "tiers">,
): boolean {
  const covers = (w: readonly string[] | undefined, n: readonly string[] | undefined) =>
    w === undefined || n?.every((x) => w.includes(x)) === true;
  return covers(wide.kinds, narrow.kinds) && covers(wide.tiers, narrow.tiers);
}

/** Whether `th` is on the same metric as `floor` and at least as strict in each of its bounds. */
export function boundsAtLeast(th: Threshold, floor: Threshold): boolean {
  if (normaliseMetricName(th.metric) !== normaliseMetricName(floor.metric)) return false;
  if (floor.min !== undefined && (th.min === undefined || th.min < floor.min)) return false;
  return floor.max === undefined || (th.max !== undefined && th.max <= floor.max);
}

/** `accuracy (kinds model; tier high)`: a threshold as users name it in errors. */
export function describeThreshold(th: Threshold): string {
  const filters = [
    th.kinds && `${th.kinds.length === 1 ? "kind" : "kinds"} ${th.kinds.join(", ")}`,
    th.tiers && `${th.tiers.length === 1 ? "tier" : "tiers"} ${th.tiers.join(", ")}`,
  ].filter(Boolean);
  return filters.length > 0 ? `'${th.metric}' (${filters.join("; ")})` : `'${th.metric}'`;
}

/**
 * A repo that writes `thresholds` must keep every org threshold: for each of the org's bounds, a
 * repo threshold on the same metric that reaches every artifact the org's reaches (the same or
 * wider `kinds` and `tiers`) and is at least as strict. A repo threshold with narrower filters
 * only adds a requirement for those artifacts; it never stands in for the org's. Both lists are
 * kept in the merged policy, so an artifact meets every threshold that applies to it.
 */
export function mergeThresholds(org: Threshold[], repo: Threshold[], t: Tightening, at: At): Threshold[] {
  const list = at("evaluation", "thresholds");
  const sameMetric = (a: Threshold, b: Threshold) =>
    normaliseMetricName(a.metric) === normaliseMetricName(b.metric);
  for (const o of org) {
    const name = describeThreshold(o);
    const candidates = repo.map((r, index) => ({ r, index })).filter(({ r }) => sameMetric(r, o));
    if (candidates.length === 0) {
      const bounds = [o.min !== undefined && `min ${o.min}`, o.max !== undefined && `max ${o.max}`];
      t.loosens(list, `removes the org's threshold on ${name} (${bounds.filter(Boolean).join(", ")})`);
      continue;
    }
    const reaching = candidates.filter(({ r }) => reachesAll(r, o));
    if (reaching.length === 0) {
      const first = candidates[0] as { index: number };
      t.loosens(
        [...list, first.index],
        `the thresholds on '${o.metric}' no longer reach every artifact the org's ${name} does: keep a threshold with the org's kinds and tiers (or none)`,
      );
      continue;
    }
    for (const bound of ["min", "max"] as const) {
      const wanted = o[bound];
      if (wanted === undefined) continue;
      const stricter = (v: number) => (bound === "min" ? v >= wanted : v <= wanted);
      const set = reaching.filter(({ r }) => r[bound] !== undefined);
      if (set.some(({ r }) => stricter(r[bound] as number))) continue;
      const loosest = set[0];
      if (!loosest) {
        t.loosens(
          [...list, (reaching[0] as { index: number }).index],
          `drops the org's ${bound} ${wanted} for ${name}`,
        );
      } else {
        const value = loosest.r[bound] as number;
        t.loosens(
          [...list, loosest.index, bound],
          `${bound} ${value} for ${name} is ${bound === "min" ? "below" : "above"} the org's ${wanted}`,
        );
      }
    }
  }
  return tightestPerScope([...org, ...repo]);
}

/** One threshold per metric and filters, the tightest bound of each direction winning. */
function tightestPerScope(thresholds: readonly Threshold[]): Threshold[] {
  const merged = new Map<string, Threshold>();
  for (const th of thresholds) {
    const key = scopeKey(th);
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...th });
      continue;
    }
    if (th.min !== undefined) seen.min = seen.min === undefined ? th.min : Math.max(seen.min, th.min);
    const max = smaller(seen.max, th.max);
    if (max !== undefined) seen.max = max;
  }
  return [...merged.values()];
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

type Documents = Record<string, DocumentGate>;

/**
 * Document gates merge by name: the repo adds gates of its own, and tightens the org's as any
 * gate (more sections and keys, shorter ages, reviewers narrowed to the org's). The org's date
 * key and reviewers stand: another date or a reviewer the org did not name would loosen it.
 */
function mergeDocuments(org: Documents, repo: Documents, t: Tightening, at: At): Documents {
  const merged: Documents = { ...org };
  for (const [name, r] of Object.entries(repo)) {
    const o = org[name];
    merged[name] = o ? mergeDocument(name, o, r, t, (_gate, ...rest) => at("documents", name, ...rest)) : r;
  }
  return merged;
}

function mergeDocument(name: string, org: DocumentGate, repo: DocumentGate, t: Tightening, at: At) {
  const tiers = mergeTiers(name, org.tiers, repo.tiers, t, at);
  const sections = mergeRequiredList(name, "section", "sections", org.sections, repo.sections, t, at);
  const keys = mergeRequiredList(name, "key", "keys", org.keys, repo.keys, t, at);
  let datedBy = org.dated_by ?? repo.dated_by;
  // `last_reviewed` and "Last reviewed" name the same date (a key, or the section titled so).
  const dateName = (d: string | undefined) => d?.toLowerCase().replace(/_/g, " ").trim();
  if (
    org.dated_by !== undefined &&
    t.wrote(at(name, "dated_by")) &&
    dateName(repo.dated_by) !== dateName(org.dated_by)
  ) {
    t.loosens(at(name, "dated_by"), `the ${name} document is dated by '${org.dated_by}' in the org's policy`);
    datedBy = org.dated_by;
  }
  const maxAge = tightenAge(name, "max_age_days", org.max_age_days, repo.max_age_days, t, at);
  let reviewers = org.reviewers ?? repo.reviewers;
  if (org.reviewers && repo.reviewers && t.wrote(at(name, "reviewers"))) {
    const orgReviewers = org.reviewers;
    repo.reviewers.forEach((who, i) => {
      if (!includesPrincipal(orgReviewers, who))
        t.loosens(at(name, "reviewers", i), `${name} reviewer ${who} is not one of the org's reviewers`);
    });
    const kept = repo.reviewers.filter((who) => includesPrincipal(orgReviewers, who));
    if (kept.length > 0) reviewers = kept;
  }
  return {
    ...(tiers && { tiers }),
    file: pick(name, "file", org, repo, t, at),
    ...(sections && { sections }),
    ...(keys && { keys }),
    ...(datedBy !== undefined && { dated_by: datedBy }),
    ...(maxAge !== undefined && { max_age_days: maxAge }),
    ...(reviewers && { reviewers }),
  };
}

/** A list of required sections or keys: the repo's must keep every one of the org's. */
function mergeRequiredList(
  gate: string,
  word: string,
  key: "sections" | "keys",
  org: string[] | undefined,
  repo: string[] | undefined,
  t: Tightening,
  at: At,
): string[] | undefined {
  if (!repo || !t.wrote(at(gate, key))) return org ?? repo;
  if (!org) {
    // A form the org's gate does not accept: a document in it would not need the org's list.
    const form = key === "sections" ? "a Markdown" : "a YAML or JSON";
    t.loosens(
      at(gate, key),
      `${form} form of the ${gate} document would not be held to what the org's requires`,
    );
    return undefined;
  }
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const lost = org.filter((o) => !repo.some((r) => same(r, o)));
  if (lost.length > 0) {
    t.loosens(at(gate, key), `the ${gate} document no longer requires the org's ${plural(word, lost)}`);
  }
  return union(org, repo, same);
}
