// promptfoo's `promptfoo eval -o results.json` (and `promptfoo export`) file, summary version 3.
import type { LocatedError } from "../../policy/located.js";
import { errorAt, locate, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { MetricTable } from "./metric-table.js";
import { describeValue, failed, isMetricValue, isRecord } from "./values.js";

export const PROMPTFOO_EXPECTS =
  "`results.version` and `results.stats`, as written by `promptfoo eval -o results.json` (version 3)";

export function looksPromptfoo(value: unknown): boolean {
  return isRecord(value) && isRecord(value.results) && "version" in value.results && "stats" in value.results;
}

export function readPromptfoo(file: YamlFile): Parsed<EvalResults> {
  const root = file.value;
  if (!isRecord(root) || !looksPromptfoo(root) || !isRecord(root.results)) {
    return failed([errorAt(file, [], `not a promptfoo results file: expected ${PROMPTFOO_EXPECTS}`)]);
  }
  const summary = root.results;
  if (summary.version !== 3) {
    return failed([
      errorAt(
        file,
        ["results", "version"],
        `promptfoo results version ${describeValue(summary.version)} is not supported: only version 3 is read; re-run with a current promptfoo`,
      ),
    ]);
  }
  const stats = summary.stats;
  if (!isRecord(stats)) {
    return failed([
      errorAt(
        file,
        ["results", "stats"],
        `results.stats must be a map of counts, not ${describeValue(stats)}`,
      ),
    ]);
  }
  const errors: LocatedError[] = [];
  const count = (key: string, required: boolean): number => {
    const value = stats[key];
    if (value === undefined && !required) return 0; // older v3 files predate the `errors` count
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    errors.push(
      errorAt(
        file,
        ["results", "stats", key],
        `results.stats.${key} must be a count, not ${describeValue(value)}`,
      ),
    );
    return 0;
  };
  const successes = count("successes", true);
  const failures = count("failures", true);
  const errored = count("errors", false);
  if (errors.length > 0) return failed(errors);
  const total = successes + failures + errored;
  if (total === 0) {
    return failed([
      errorAt(
        file,
        ["results", "stats"],
        "the promptfoo run has no tests (0 successes, 0 failures, 0 errors): an empty run is not a pass",
      ),
    ]);
  }

  const table = new MetricTable();
  const line = (key: string) => locate(file, ["results", "stats", key]).line;
  table.add("pass_rate", successes / total, locate(file, ["results", "stats"], { key: true }).line);
  table.add("successes", successes, line("successes"));
  table.add("failures", failures, line("failures"));
  table.add("errors", errored, line("errors"));
  addNamedScores(file, summary.results, table);
  return { ok: true, value: table.results("promptfoo") };
}

/**
 * `score/<name>`: the mean of `namedScores[name]` over the tests that report it; a test that
 * does not compute a named metric (another prompt's assertion) does not count as a zero.
 */
function addNamedScores(file: YamlFile, results: unknown, table: MetricTable): void {
  if (!Array.isArray(results)) return;
  const scores = new Map<string, { sum: number; count: number; line: number }>();
  results.forEach((result, index) => {
    if (!isRecord(result) || !isRecord(result.namedScores)) return;
    for (const [name, value] of Object.entries(result.namedScores)) {
      if (!isMetricValue(value)) continue;
      const score = scores.get(name);
      if (score) {
        score.sum += value;
        score.count += 1;
      } else {
        const line = locate(file, ["results", "results", index, "namedScores", name]).line;
        scores.set(name, { sum: value, count: 1, line });
      }
    }
  });
  for (const [name, { sum, count, line }] of scores) table.add(`score/${name}`, sum / count, line);
}
