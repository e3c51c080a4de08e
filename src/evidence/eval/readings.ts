// Results that name each value by where it was measured (a dataset, a slice, a scorer): every
// value gets a qualified name, and its bare name too when only one qualified name carries it, so
// a threshold never silently picks one dataset's value over another's.
import type { EvalFormat, EvalResults } from "../types.js";
import { normaliseMetricName } from "./metric-name.js";
import { MetricTable } from "./metric-table.js";

export interface Reading {
  qualified: string;
  bare: string;
  value: number;
  /** 1-based line of the value, where the format has lines. */
  line?: number;
  /** The standard error of the value, where the results report one. */
  stderr?: number;
  /** Where the reading comes from, to tell apart two readings with the same name. */
  source: string;
}

/** A reading with both its names normalised. */
export function reading(qualified: string, bare: string, rest: Omit<Reading, "qualified" | "bare">): Reading {
  return { qualified: normaliseMetricName(qualified), bare: normaliseMetricName(bare), ...rest };
}

/**
 * A qualified name read twice with different values (two splits of one dataset) is ambiguous
 * itself; a bare name is offered only when exactly one usable qualified name carries it.
 */
export function nameReadings(
  format: EvalFormat,
  readings: readonly Reading[],
  extra: Pick<Partial<EvalResults>, "partial"> = {},
): EvalResults {
  const table = new MetricTable();
  const ambiguous = new Map<string, string[]>();
  const take = (name: string, r: Reading) => {
    table.add(name, r.value, r.line);
    if (r.stderr !== undefined) table.addStderr(name, r.stderr);
  };
  for (const [name, group] of groupBy(readings, (r) => r.qualified)) {
    const first = group[0] as Reading;
    if (group.every((r) => r.value === first.value)) take(name, first);
    else
      ambiguous.set(
        name,
        group.map((r) => `${name} (${r.source})`),
      );
  }
  for (const [bare, group] of groupBy(readings, (r) => r.bare)) {
    if (table.has(bare) || ambiguous.has(bare)) continue; // a qualified name wins over a bare one
    const qualified = [...new Set(group.map((r) => r.qualified))];
    const only = qualified.length === 1 ? (qualified[0] as string) : undefined;
    if (only !== undefined && !ambiguous.has(only)) take(bare, group[0] as Reading);
    else ambiguous.set(bare, only !== undefined ? (ambiguous.get(only) ?? [only]) : qualified);
  }
  return table.results(format, { ambiguous: Object.fromEntries(ambiguous), ...extra });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
