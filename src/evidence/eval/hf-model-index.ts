// Hugging Face model cards: `model-index` in the README's front matter. Each result names its
// dataset, so metrics become `<dataset type>/<metric type>`; the bare metric type is offered
// too, but only when one dataset reports it (readings.ts).
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, parseYaml, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { frontMatter } from "./front-matter.js";
import { nameReadings, type Reading, reading } from "./readings.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const HF_EXPECTS = "a Markdown model card with `model-index` in its `---` front matter";

const NO_MODEL_INDEX = "no model-index in the model card front matter";

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
  return { ok: true, value: nameReadings("hf-model-index", readings) };
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
      readings.push(
        reading(`${datasetType}/${metric.type}`, metric.type, {
          value: metric.value,
          line,
          source: [`line ${line}`, ...source].join(", "),
        }),
      );
    }
  });
  return readings;
}
