// Shared by the results readers' tests: unwrapping a read, and the real Inspect log's reading.
import { expect } from "vitest";
import type { EvalResults, Parsed } from "../../src/evidence/types.js";
import type { LocatedError } from "../../src/policy/located.js";

export const INSPECT_LOG =
  "test/fixtures/real/inspect_ai__2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json";

export function ok(result: Parsed<EvalResults>): EvalResults {
  if (!result.ok) throw new Error(`expected results, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

export function errors(result: Parsed<EvalResults>): LocatedError[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

/** What the real Inspect log reports, as a JSON log or as an `.eval` archive's header.json. */
export function expectRealInspectReading(results: EvalResults): void {
  expect(results.format).toBe("inspect");
  expect(results.metrics).toEqual({
    "model_graded_fact/accuracy": 1,
    "model_graded_fact/stderr": 0,
    accuracy: 1,
    stderr: 0,
  });
  expect(results.stderr).toEqual({ "model_graded_fact/accuracy": 0, accuracy: 0 });
}
