// EleutherAI lm-evaluation-harness results JSON: the v0.4 layout (`"acc,none"` keys, `groups`,
// `n-samples`, `config.limit`) and the legacy v0 layout (`results{arc_easy{acc}}`).
import { errorAt, locate, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { MetricTable } from "./metric-table.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const LM_EVAL_EXPECTS =
  "a `results` map of task → metrics, with `versions`, `config` or `n-samples` beside it";

/** Per-task entries that describe the task rather than measure it. */
const NOT_METRICS = new Set(["alias", "name", "sample_len", "sample_count"]);
/** v0.4 appends the filter to each metric key; `none` means no filter. */
const NO_FILTER = "none";
/** `<metric>_stderr` is the standard error of `<metric>` (and stays a metric of its own). */
const STDERR_SUFFIX = "_stderr";

export function looksLmEval(value: unknown): boolean {
  return (
    isRecord(value) &&
    isRecord(value.results) &&
    !("stats" in value.results) && // promptfoo also has `results` and a top-level `config`
    ["versions", "config", "n-samples"].some((key) => key in value)
  );
}

export function readLmEval(file: YamlFile): Parsed<EvalResults> {
  const root = file.value;
  if (!isRecord(root) || !isRecord(root.results)) {
    return failed([errorAt(file, [], `not lm-evaluation-harness results: expected ${LM_EVAL_EXPECTS}`)]);
  }
  const table = new MetricTable();
  const errors = [
    ...addTasks(file, "results", root.results, table),
    ...(isRecord(root.groups) ? addTasks(file, "groups", root.groups, table) : []),
  ];
  if (errors.length > 0) return failed(errors);
  if (table.size === 0) {
    return failed([errorAt(file, ["results"], "the lm-evaluation-harness results hold no numeric metric")]);
  }
  const partial = partialRun(root);
  return { ok: true, value: table.results("lm-eval", partial ? { partial } : {}) };
}

/** Groups repeat in `results` in v0.4; the first reading (results) is kept. */
function addTasks(file: YamlFile, section: string, tasks: Record<string, unknown>, table: MetricTable) {
  const errors = [];
  for (const [task, metrics] of Object.entries(tasks)) {
    if (!isRecord(metrics)) {
      errors.push(
        errorAt(
          file,
          [section, task],
          `${section}.${task} must be a map of metrics, not ${describeValue(metrics)}`,
        ),
      );
      continue;
    }
    for (const [key, value] of Object.entries(metrics)) {
      // "N/A" stderr, aliases and sample counts are not measurements.
      if (NOT_METRICS.has(key) || !isMetricValue(value)) continue;
      const name = metricName(key);
      table.add(`${task}/${name}`, value, locate(file, [section, task, key]).line);
      const of = stderrOf(name);
      if (of !== undefined) table.addStderr(`${task}/${of}`, value);
    }
  }
  return errors;
}

/** `acc,none` → `acc`; `exact_match,strict-match` keeps its filter; v0 `acc` stays `acc`. */
function metricName(key: string): string {
  const comma = key.indexOf(",");
  if (comma < 0) return key;
  return key.slice(comma + 1).trim() === NO_FILTER ? key.slice(0, comma) : key;
}

/** `acc_stderr` → `acc`, `exact_match_stderr,strict-match` → `exact_match,strict-match`: the metric it measures. */
function stderrOf(name: string): string | undefined {
  const comma = name.indexOf(",");
  const metric = comma < 0 ? name : name.slice(0, comma);
  if (!metric.endsWith(STDERR_SUFFIX) || metric.length === STDERR_SUFFIX.length) return undefined;
  return metric.slice(0, -STDERR_SUFFIX.length) + (comma < 0 ? "" : name.slice(comma));
}

/** A run cut short by `--limit`, or on fewer samples than the task has, cannot vouch for the task. */
function partialRun(root: Record<string, unknown>): string | undefined {
  const limit = isRecord(root.config) ? root.config.limit : undefined;
  const short: string[] = [];
  if (isRecord(root["n-samples"])) {
    for (const [task, samples] of Object.entries(root["n-samples"])) {
      if (!isRecord(samples)) continue;
      const { effective, original } = samples;
      if (typeof effective === "number" && typeof original === "number" && effective < original) {
        short.push(`${task} was evaluated on ${effective} of ${original} samples`);
      }
    }
  }
  const limited = limit !== undefined && limit !== null;
  if (!limited && short.length === 0) return undefined;
  const prefix = limited ? `partial run (config.limit is ${JSON.stringify(limit)})` : "partial run";
  return short.length > 0
    ? `${prefix}: ${short.join(", ")}`
    : `${prefix}: the tasks were not evaluated on all their samples`;
}
