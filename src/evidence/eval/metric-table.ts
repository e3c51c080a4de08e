// Collects metrics under their normalised names, with the line each value sits on.
import type { EvalFormat, EvalResults } from "../types.js";
import { normaliseMetricName } from "./metric-name.js";

export class MetricTable {
  private readonly values = new Map<string, number>();
  private readonly lines = new Map<string, number>();

  get size(): number {
    return this.values.size;
  }

  has(name: string): boolean {
    return this.values.has(normaliseMetricName(name));
  }

  /** Adds `name` unless its normalised form is already taken (the first value wins); says whether it did. */
  add(name: string, value: number, line?: number): boolean {
    const key = normaliseMetricName(name);
    if (this.values.has(key)) return false;
    this.values.set(key, value);
    if (line !== undefined) this.lines.set(key, line);
    return true;
  }

  /** Object.fromEntries defines own properties, so a metric named `__proto__` stays a metric. */
  results(
    format: EvalFormat,
    extra: Omit<Partial<EvalResults>, "format" | "metrics" | "lines"> = {},
  ): EvalResults {
    return {
      format,
      metrics: Object.fromEntries(this.values),
      lines: Object.fromEntries(this.lines),
      ambiguous: {},
      ...extra,
    };
  }
}
