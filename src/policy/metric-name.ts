// One spelling per metric, so "Pass Rate" in a policy meets `pass_rate` in a results file.

/** Trims, lower-cases and turns runs of whitespace into `_`; `/` and `,` are kept as separators. */
export function normaliseMetricName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, "_");
}
