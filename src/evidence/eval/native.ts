// The native results file (YAML or JSON): `metrics: {name: number}`, optionally `evaluated`,
// `dataset` and `date`. Strict, like the policy: a typo must not hide a metric or a binding.
import { closestMatch } from "leven";
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { MetricTable } from "./metric-table.js";
import { COMMIT_ID, RESULTS_DATE as DATE, OBJECT_ID } from "./native-schema.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const NATIVE_EXPECTS = "a top-level `metrics` map of metric name → number";

const TOP_KEYS = ["metrics", "evaluated", "dataset", "date"];
const EVALUATED_KEYS = ["commit", "files"];

export function looksNative(value: unknown): boolean {
  return isRecord(value) && "metrics" in value;
}

export function readNative(file: YamlFile): Parsed<EvalResults> {
  const root = file.value;
  if (!isRecord(root)) {
    return failed([
      errorAt(file, [], `native results must be a map with ${NATIVE_EXPECTS}, not ${describeValue(root)}`),
    ]);
  }
  const errors: LocatedError[] = [];
  for (const error of unknownKeys(file, [], root, TOP_KEYS)) errors.push(error);
  const table = readMetrics(file, root.metrics, errors);
  const evaluated = root.evaluated === undefined ? undefined : readEvaluated(file, root.evaluated, errors);
  if (root.dataset !== undefined && typeof root.dataset !== "string" && !isRecord(root.dataset)) {
    errors.push(
      errorAt(file, ["dataset"], `dataset must be a name or a map, not ${describeValue(root.dataset)}`),
    );
  }
  if (root.date !== undefined && !isDate(root.date)) {
    errors.push(errorAt(file, ["date"], `date must be a YYYY-MM-DD date, not ${describeValue(root.date)}`));
  }
  if (errors.length > 0) return failed(errors);
  return { ok: true, value: table.results("native", evaluated ? { evaluated } : {}) };
}

function readMetrics(file: YamlFile, metrics: unknown, errors: LocatedError[]): MetricTable {
  const table = new MetricTable();
  if (!isRecord(metrics)) {
    const what = metrics === undefined ? "there is no metrics key" : `metrics is ${describeValue(metrics)}`;
    errors.push(errorAt(file, ["metrics"], `native results need a metrics map of name → number (${what})`));
    return table;
  }
  for (const [name, value] of Object.entries(metrics)) {
    const at = ["metrics", name];
    if (!isMetricValue(value)) {
      errors.push(errorAt(file, at, `metric "${name}" must be a number, not ${describeValue(value)}`));
    } else if (!table.add(name, value, locate(file, at).line)) {
      errors.push(
        errorAt(file, at, `metric "${name}" repeats another metric's name (names ignore case and spacing)`, {
          key: true,
        }),
      );
    }
  }
  if (table.size === 0 && errors.length === 0) {
    errors.push(
      errorAt(file, ["metrics"], "metrics is empty: report at least one metric with a numeric value"),
    );
  }
  return table;
}

export function readEvaluated(
  file: YamlFile,
  evaluated: unknown,
  errors: LocatedError[],
): EvalResults["evaluated"] {
  if (!isRecord(evaluated)) {
    errors.push(
      errorAt(
        file,
        ["evaluated"],
        `evaluated must be a map with commit and files, not ${describeValue(evaluated)}`,
      ),
    );
    return undefined;
  }
  for (const error of unknownKeys(file, ["evaluated"], evaluated, EVALUATED_KEYS)) errors.push(error);
  const result: NonNullable<EvalResults["evaluated"]> = {};
  const { commit, files } = evaluated;
  if (commit !== undefined) {
    if (typeof commit === "string" && COMMIT_ID.test(commit)) result.commit = commit.toLowerCase();
    else
      errors.push(
        errorAt(
          file,
          ["evaluated", "commit"],
          `evaluated.commit must be a commit SHA in quotes, not ${describeValue(commit)}`,
        ),
      );
  }
  if (files !== undefined) {
    if (!isRecord(files)) {
      errors.push(
        errorAt(
          file,
          ["evaluated", "files"],
          `evaluated.files must map each path to its git blob SHA, not ${describeValue(files)}`,
        ),
      );
    } else {
      result.files = {};
      for (const [path, sha] of Object.entries(files)) {
        // Blob SHAs are compared with git's lower-case output.
        if (typeof sha === "string" && OBJECT_ID.test(sha)) result.files[path] = sha.toLowerCase();
        else
          errors.push(
            errorAt(
              file,
              ["evaluated", "files", path],
              `evaluated.files["${path}"] must be a git blob SHA (40 hex digits), not ${describeValue(sha)}`,
            ),
          );
      }
    }
  }
  return result;
}

export function unknownKeys(
  file: YamlFile,
  at: string[],
  map: Record<string, unknown>,
  known: string[],
): LocatedError[] {
  return Object.keys(map)
    .filter((key) => !known.includes(key))
    .map((key) => {
      // A suggestion only when the typo is small next to the word, so `foo` is not "date".
      const near = closestMatch(key, known, { maxDistance: Math.max(1, Math.floor(key.length / 3)) });
      const hint = near ? `; did you mean "${near}"?` : `; known keys: ${known.join(", ")}`;
      const where = at.length > 0 ? ` in ${at.join(".")}` : "";
      return errorAt(file, [...at, key], `unknown key "${key}"${where}${hint}`, { key: true });
    });
}

function isDate(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value));
}
