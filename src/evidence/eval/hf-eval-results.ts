// Hugging Face `.eval_results/*.yaml`: each file is a list of `{dataset: {id, task_id}, value,
// date?}`. A value is `<dataset id>/<task_id>`, and the bare `task_id` when one dataset reports
// it. The folder's files are read together, so a name is ambiguous across files too.
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { nameReadings, type Reading, reading } from "./readings.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const HF_EVAL_RESULTS_EXPECTS =
  "a list of `{dataset: {id, task_id}, value}` entries (Hugging Face `.eval_results/*.yaml`)";

export function looksHfEvalResults(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = value[0];
  return isRecord(first) && isRecord(first.dataset) && "value" in first;
}

/** Reads one or more `.eval_results` files (already parsed) as one set of results. */
export function readHfEvalResults(files: readonly YamlFile[]): Parsed<EvalResults> {
  const errors: LocatedError[] = [];
  const readings: Reading[] = [];
  for (const file of files) {
    if (!Array.isArray(file.value)) {
      errors.push(errorAt(file, [], `expected ${HF_EVAL_RESULTS_EXPECTS}, not ${describeValue(file.value)}`));
      continue;
    }
    file.value.forEach((entry, index) => {
      const found = readEntry(file, entry, index, files.length > 1, errors);
      if (found) readings.push(found);
    });
  }
  if (errors.length > 0) return failed(errors);
  if (readings.length === 0) {
    const where = files[0];
    return failed([
      where
        ? errorAt(where, [], "the evaluation results list no entries")
        : { path: "", line: 1, column: 1, message: "the evaluation results list no entries" },
    ]);
  }
  return { ok: true, value: nameReadings("hf-eval-results", readings) };
}

function readEntry(
  file: YamlFile,
  entry: unknown,
  index: number,
  named: boolean,
  errors: LocatedError[],
): Reading | undefined {
  const label = `entry ${index + 1}`;
  if (!isRecord(entry) || !isRecord(entry.dataset)) {
    errors.push(errorAt(file, [index], `${label} needs a dataset map with id and task_id, and a value`));
    return undefined;
  }
  const id = text(file, entry.dataset.id, [index, "dataset", "id"], `${label}: dataset.id`, errors);
  const task = text(
    file,
    entry.dataset.task_id,
    [index, "dataset", "task_id"],
    `${label}: dataset.task_id`,
    errors,
  );
  const value = entry.value;
  if (!isMetricValue(value)) {
    errors.push(
      errorAt(
        file,
        [index, "value"],
        `${label}: value must be a number, not ${describeValue(value)}${placeholder(value)}`,
      ),
    );
    return undefined;
  }
  if (id === undefined || task === undefined) return undefined;
  const line = locate(file, [index, "value"]).line;
  return reading(`${id}/${task}`, task, {
    value,
    line,
    source: named ? `${file.path} line ${line}` : `line ${line}`,
  });
}

function text(
  file: YamlFile,
  value: unknown,
  at: Array<string | number>,
  label: string,
  errors: LocatedError[],
): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  errors.push(errorAt(file, at, `${label} must be text, not ${describeValue(value)}${placeholder(value)}`));
  return undefined;
}

/**
 * The published template writes `task_id: {task_id}`, which YAML reads as a map `{task_id: null}`:
 * say it is a placeholder left unfilled rather than only "a map".
 */
function placeholder(value: unknown): string {
  if (!isRecord(value)) return "";
  const keys = Object.keys(value);
  return keys.length === 1 && value[keys[0] as string] === null
    ? ` ({${keys[0]}} is the template's placeholder: fill in the value)`
    : "";
}
