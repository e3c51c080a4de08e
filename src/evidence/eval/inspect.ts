// Inspect AI eval logs: the JSON log (`--log-format json`) and the `header.json` of an `.eval`
// archive have the same shape. Each scorer's metrics are `<score name>/<metric>`, the bare metric
// when one scorer reports it; a scorer's `stderr` metric is the standard error of its siblings.
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { nameReadings, type Reading, reading } from "./readings.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const INSPECT_EXPECTS =
  "an Inspect AI eval log: `version`, `status`, `eval` and `results.scores`, as `inspect eval --log-format json` writes it (or an `.eval` archive)";

/** The metric Inspect names the standard error of the other metrics of the same score. */
const STDERR_METRIC = "stderr";

export function looksInspect(value: unknown): boolean {
  return isRecord(value) && isRecord(value.eval) && typeof value.status === "string" && "version" in value;
}

export function readInspect(file: YamlFile): Parsed<EvalResults> {
  const root = file.value;
  if (!isRecord(root) || !looksInspect(root)) {
    return failed([errorAt(file, [], `not an Inspect AI eval log: expected ${INSPECT_EXPECTS}`)]);
  }
  const status = String(root.status);
  const results = root.results;
  if (results === undefined || results === null) {
    // A run that errored or was cancelled before scoring has no results to read.
    const why = status === "success" ? "" : ` (the run's status is "${status}"${errorText(root)})`;
    return failed([
      errorAt(file, ["status"], `the Inspect log has no results${why}: it cannot vouch for the task`),
    ]);
  }
  if (!isRecord(results) || !Array.isArray(results.scores)) {
    return failed([
      errorAt(file, ["results"], `results must be a map with a scores list, not ${describeValue(results)}`),
    ]);
  }
  const errors: LocatedError[] = [];
  const readings = results.scores.flatMap((score, index) => readScore(file, score, index, errors));
  if (errors.length > 0) return failed(errors);
  if (readings.length === 0) {
    return failed([errorAt(file, ["results", "scores"], "the Inspect log reports no scores")]);
  }
  const partial = partialRun(root, status, results);
  return { ok: true, value: nameReadings("inspect", readings, partial ? { partial } : {}) };
}

function readScore(file: YamlFile, score: unknown, index: number, errors: LocatedError[]): Reading[] {
  const at = ["results", "scores", index];
  const label = `results.scores[${index}]`;
  if (!isRecord(score) || typeof score.name !== "string" || score.name.trim() === "") {
    errors.push(errorAt(file, at, `${label} needs a name (the scorer's) and metrics`));
    return [];
  }
  if (!isRecord(score.metrics)) {
    errors.push(
      errorAt(
        file,
        [...at, "metrics"],
        `${label}.metrics must be a map, not ${describeValue(score.metrics)}`,
      ),
    );
    return [];
  }
  const values = new Map<string, { value: number; line: number }>();
  for (const [key, metric] of Object.entries(score.metrics)) {
    const value = isRecord(metric) ? metric.value : metric;
    const where = isRecord(metric) ? [...at, "metrics", key, "value"] : [...at, "metrics", key];
    if (!isMetricValue(value)) {
      errors.push(
        errorAt(file, where, `${label}.metrics.${key} must be a number, not ${describeValue(value)}`),
      );
      continue;
    }
    values.set(key, { value, line: locate(file, where).line });
  }
  const stderr = values.get(STDERR_METRIC)?.value;
  const name = score.name;
  return [...values].map(([metric, { value, line }]) =>
    reading(`${name}/${metric}`, metric, {
      value,
      line,
      ...(stderr !== undefined && metric !== STDERR_METRIC && { stderr }),
      source: `line ${line}, scorer ${name}`,
    }),
  );
}

/** A run that did not succeed, stopped short of its samples, or was limited cannot vouch for the task. */
function partialRun(root: Record<string, unknown>, status: string, results: Record<string, unknown>) {
  const reasons: string[] = [];
  if (status !== "success") reasons.push(`the run's status is "${status}"${errorText(root)}, not "success"`);
  const { total_samples: total, completed_samples: completed } = results;
  if (typeof total === "number" && typeof completed === "number" && completed < total) {
    reasons.push(`${completed} of ${total} samples were completed`);
  }
  const config = isRecord(root.eval) && isRecord(root.eval.config) ? root.eval.config : {};
  if (config.limit !== undefined && config.limit !== null) {
    reasons.push(`eval.config.limit is ${JSON.stringify(config.limit)}`);
  }
  return reasons.length > 0 ? `partial run: ${reasons.join("; ")}` : undefined;
}

function errorText(root: Record<string, unknown>): string {
  const message = isRecord(root.error) ? root.error.message : undefined;
  if (typeof message !== "string" || message.trim() === "") return "";
  const line = message.trim().split("\n", 1)[0] as string;
  return `: ${line.length > 120 ? `${line.slice(0, 117)}...` : line}`;
}
