// Small checks on plain values read from YAML or JSON, shared by the results readers.
import type { LocatedError } from "../../policy/located.js";
import { firstErrors } from "../../policy/yaml.js";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A metric value: a finite number (YAML's `.nan` and `.inf` are numbers but not measurements). */
export function isMetricValue(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** How a value reads in an error message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a map";
  if (typeof value === "string") {
    const text = JSON.stringify(value);
    return `the text ${text.length > 60 ? `${text.slice(0, 56)}..."` : text}`;
  }
  return String(value);
}

export function failed(errors: LocatedError[]): { ok: false; errors: LocatedError[] } {
  return { ok: false, errors: firstErrors(errors) };
}
