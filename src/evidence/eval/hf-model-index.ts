// Hugging Face model cards: `model-index` in the README's front matter. Each result names its
// dataset, so metrics become `<dataset type>/<metric type>`; the bare metric type is offered
// too, but only when one dataset reports it, so a threshold never silently picks a dataset.
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, parseYaml, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { frontMatter } from "./front-matter.js";
import { normaliseMetricName } from "./metric-name.js";
import { MetricTable } from "./metric-table.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const HF_EXPECTS = "a Markdown model card with `model-index` in its `---` front matter";

const NO_MODEL_INDEX = "no model-index in the model card front matter";

interface Reading {
  qualified: string;
  bare: string;
  value: number;
  line: number;
  /** Where the reading comes from, to tell apart two readings with the same name. */
  source: string;
}

export function readHfModelIndex(path: string, text: string): Parsed<EvalResults> {
  const matter = frontMatter(text);
  if (!matter.found)
    return failed([{ path, line: 1, column: 1, message: `${NO_MODEL_INDEX}: ${matter.reason}` }]);
  const parsed = parseYaml(path, matter.yaml);
  if (!parsed.ok) return parsed;
  const file = parsed.file;
  const root = file.value;
  if (!isRecord(root) || root["model-index"] === undefined || root["model-index"] === null) {
    return failed([{ path, line: 1, column: 1, message: NO_MODEL_INDEX }]);
  }
  const errors: LocatedError[] = [];
  const readings = readModelIndex(file, root["model-index"], errors);
  if (errors.length > 0) return failed(errors);
  if (readings.length === 0)
    return failed([errorAt(file, ["model-index"], "the model-index reports no results")]);
  return { ok: true, value: nameReadings(readings) };
}

function readModelIndex(file: YamlFile, index: unknown, errors: LocatedError[]): Reading[] {
  if (!Array.isArray(index)) {
    errors.push(
      errorAt(file, ["model-index"], `model-index must be a list of models, not ${describeValue(index)}`),
    );
    return [];
  }
  const readings: Reading[] = [];
  index.forEach((model, m) => {
    const at = ["model-index", m];
    if (!isRecord(model) || !Array.isArray(model.results)) {
      errors.push(errorAt(file, at, `model-index[${m}] needs a results list`));
      return;
    }
    model.results.forEach((result, r) => {
      const label = `model-index[${m}].results[${r}]`;
      for (const reading of readResult(file, [...at, "results", r], result, label, errors))
        readings.push(reading);
    });
  });
  return readings;
}

function readResult(
  file: YamlFile,
  at: Array<string | number>,
  result: unknown,
  label: string,
  errors: LocatedError[],
): Reading[] {
  if (!isRecord(result)) {
    errors.push(
      errorAt(file, at, `${label} must be a map with dataset and metrics, not ${describeValue(result)}`),
    );
    return [];
  }
  const { dataset, metrics } = result;
  if (!isRecord(dataset)) {
    errors.push(
      errorAt(
        file,
        at,
        `${label} has no dataset: each result needs dataset.type to name its metrics <dataset>/<metric>`,
      ),
    );
    return [];
  }
  if (typeof dataset.type !== "string" || dataset.type.trim() === "") {
    errors.push(
      errorAt(file, [...at, "dataset"], `${label}.dataset needs a type (the dataset id, e.g. "beans")`),
    );
    return [];
  }
  if (!Array.isArray(metrics) || metrics.length === 0) {
    errors.push(errorAt(file, [...at, "metrics"], `${label} needs a metrics list with type and value`));
    return [];
  }
  const datasetType = dataset.type;
  const source = (["config", "split"] as const).flatMap((key) =>
    dataset[key] === undefined || dataset[key] === null ? [] : [`${key} ${String(dataset[key])}`],
  );
  const readings: Reading[] = [];
  metrics.forEach((metric, k) => {
    const here = [...at, "metrics", k];
    if (!isRecord(metric) || typeof metric.type !== "string" || metric.type.trim() === "") {
      errors.push(
        errorAt(file, here, `${label}.metrics[${k}] needs a type (the metric id, e.g. "accuracy")`),
      );
    } else if (!isMetricValue(metric.value)) {
      errors.push(
        errorAt(
          file,
          [...here, "value"],
          `${label}.metrics[${k}].value must be a number, not ${describeValue(metric.value)}`,
        ),
      );
    } else {
      const line = locate(file, [...here, "value"]).line;
      readings.push({
        qualified: normaliseMetricName(`${datasetType}/${metric.type}`),
        bare: normaliseMetricName(metric.type),
        value: metric.value,
        line,
        source: [`line ${line}`, ...source].join(", "),
      });
    }
  });
  return readings;
}

/**
 * A qualified name read twice with different values (two splits of one dataset) is ambiguous
 * itself; a bare name is offered only when exactly one usable qualified name carries it.
 */
function nameReadings(readings: Reading[]): EvalResults {
  const table = new MetricTable();
  const ambiguous = new Map<string, string[]>();
  for (const [name, group] of groupBy(readings, (r) => r.qualified)) {
    const first = group[0] as Reading;
    if (group.every((r) => r.value === first.value)) table.add(name, first.value, first.line);
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
    if (only !== undefined && !ambiguous.has(only))
      table.add(bare, (group[0] as Reading).value, (group[0] as Reading).line);
    else ambiguous.set(bare, only !== undefined ? (ambiguous.get(only) ?? [only]) : qualified);
  }
  return table.results("hf-model-index", { ambiguous: Object.fromEntries(ambiguous) });
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
