// The performance metrics of a model card, as CycloneDX ML-BOM (`performanceMetrics[]`,
// camelCase) and model-card-toolkit (`performance_metrics[]`, snake_case) both write them:
// `{type, value, slice, confidence interval}`. Values are numbers or numeric strings.
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, type YamlFile } from "../../policy/yaml.js";
import { type Reading, reading } from "./readings.js";
import { describeValue, isMetricValue, isRecord } from "./values.js";

type KeyPath = ReadonlyArray<string | number>;

/** The key names of one spelling. */
export interface MetricKeys {
  interval: string;
  lower: string;
  upper: string;
}

export const CAMEL_CASE: MetricKeys = {
  interval: "confidenceInterval",
  lower: "lowerBound",
  upper: "upperBound",
};
export const SNAKE_CASE: MetricKeys = {
  interval: "confidence_interval",
  lower: "lower_bound",
  upper: "upper_bound",
};

/** A 95 % interval spans 2 × 1.96 standard errors. */
const INTERVAL_WIDTH_IN_STDERR = 3.92;

/**
 * `<type>/<slice>` for a sliced metric and `<type>` for an unsliced one; the bare type is offered
 * for a sliced one when only that slice reports it (readings.ts).
 */
export function readPerformanceMetrics(
  file: YamlFile,
  at: KeyPath,
  metrics: unknown,
  keys: MetricKeys,
  source: string,
  errors: LocatedError[],
): Reading[] {
  const where = at
    .map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? key : `.${key}`))
    .join("");
  if (!Array.isArray(metrics)) {
    errors.push(errorAt(file, at, `${where} must be a list of metrics, not ${describeValue(metrics)}`));
    return [];
  }
  const readings: Reading[] = [];
  metrics.forEach((metric, index) => {
    const here = [...at, index];
    const label = `${where}[${index}]`;
    if (!isRecord(metric) || typeof metric.type !== "string" || metric.type.trim() === "") {
      errors.push(errorAt(file, here, `${label} needs a type (the metric's name, e.g. "accuracy")`));
      return;
    }
    const value = numberOf(metric.value);
    if (value === undefined) {
      errors.push(
        errorAt(
          file,
          [...here, "value"],
          `${label}.value must be a number, not ${describeValue(metric.value)}`,
        ),
      );
      return;
    }
    const stderr = stderrOf(
      file,
      [...here, keys.interval],
      metric[keys.interval],
      keys,
      `${label}.${keys.interval}`,
      errors,
    );
    const slice =
      typeof metric.slice === "string" && metric.slice.trim() !== "" ? metric.slice.trim() : undefined;
    const type = metric.type.trim();
    const line = locate(file, [...here, "value"]).line;
    readings.push(
      reading(slice ? `${type}/${slice}` : type, type, {
        value,
        line,
        ...(stderr !== undefined && { stderr }),
        source: `line ${line}, ${source}`,
      }),
    );
  });
  return readings;
}

function stderrOf(
  file: YamlFile,
  at: KeyPath,
  interval: unknown,
  keys: MetricKeys,
  label: string,
  errors: LocatedError[],
): number | undefined {
  if (interval === undefined || interval === null) return undefined;
  const lower = isRecord(interval) ? numberOf(interval[keys.lower]) : undefined;
  const upper = isRecord(interval) ? numberOf(interval[keys.upper]) : undefined;
  if (lower === undefined || upper === undefined || upper < lower) {
    errors.push(
      errorAt(
        file,
        at,
        `${label} must have numeric ${keys.lower} ≤ ${keys.upper}, not ${describeValue(interval)}`,
      ),
    );
    return undefined;
  }
  return (upper - lower) / INTERVAL_WIDTH_IN_STDERR;
}

/** A number, or a string that is only a decimal number ("0.9", "1e-3"); not hex, not "Infinity". */
export function numberOf(value: unknown): number | undefined {
  if (isMetricValue(value)) return value;
  if (typeof value !== "string" || value.length > 64) return undefined;
  const trimmed = value.trim();
  if (trimmed === "" || !/^[-+]?[0-9.]+(e[-+]?[0-9]+)?$/i.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}
