// Collects metrics under their normalised names, with the line each value sits on and, where the
// results report one, its standard error.
import type { EvalFormat, EvalResults } from "../types.js";
import { normaliseMetricName } from "./metric-name.js";

export class MetricTable {
  private readonly values = new Map<string, number>();
  private readonly lines = new Map<string, number>();
  private readonly stderrs = new Map<string, number>();

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

  /** The standard error of `name`; the first one given wins, as for values. */
  addStderr(name: string, stderr: number): void {
    const key = normaliseMetricName(name);
    if (!this.stderrs.has(key)) this.stderrs.set(key, stderr);
  }

  /** Object.fromEntries defines own properties, so a metric named `__proto__` stays a metric. */
  results(
    format: EvalFormat,
    extra: Omit<Partial<EvalResults>, "format" | "metrics" | "lines" | "stderr"> = {},
  ): EvalResults {
    // Only the standard errors of metrics that are reported: a stray `x_stderr` names nothing.
    const stderr = [...this.stderrs].filter(([name]) => this.values.has(name));
    return {
      format,
      metrics: Object.fromEntries(this.values),
      lines: Object.fromEntries(this.lines),
      ambiguous: {},
      ...(stderr.length > 0 && { stderr: Object.fromEntries(stderr) }),
      ...extra,
    };
  }
}
