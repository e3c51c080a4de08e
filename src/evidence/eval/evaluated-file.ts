// `evaluated.yml`: the `evaluated:` block of `bind: digest` for results formats that cannot hold
// it (every format but native). It sits beside the results file — beside the folder, for a
// results folder — so the evaluation tool's own output is never edited by hand.
import { posix } from "node:path";
import { parseYaml } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { readEvaluated, unknownKeys } from "./native.js";
import { describeValue, failed, isRecord } from "./values.js";

export const EVALUATED_FILE = "evaluated.yml";

export type Evaluated = NonNullable<EvalResults["evaluated"]>;

/**
 * `models/a/eval/results.json` → `models/a/eval/evaluated.yml`; `m/.eval_results/` → `m/evaluated.yml`
 * (`dirname` already passes over trailing slashes, in linear time).
 */
export function evaluatedFilePath(resultsPath: string): string {
  return posix.join(posix.dirname(resultsPath), EVALUATED_FILE);
}

export function readEvaluatedFile(path: string, text: string): Parsed<Evaluated> {
  const parsed = parseYaml(path, text);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  const root = file.value;
  if (!isRecord(root) || root.evaluated === undefined) {
    const what = isRecord(root) ? "a map without an evaluated key" : describeValue(root);
    return failed([
      {
        path,
        line: 1,
        column: 1,
        message: `${path} must hold an evaluated: block (commit, files), not ${what}`,
      },
    ]);
  }
  const errors = unknownKeys(file, [], root, ["evaluated"]);
  const evaluated = readEvaluated(file, root.evaluated, errors);
  if (errors.length > 0 || !evaluated) return failed(errors);
  return { ok: true, value: evaluated };
}
