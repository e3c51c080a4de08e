// Zod issues in the user's words: "gates.evaluation.thresholds[0].min: expected a number, got
// string "0.9"", placed at the line and column of the offending value (or key).
import type { z } from "zod";
import { formatKeyPath, type KeyPath } from "./key-path.js";
import { closest } from "./suggest.js";

type Issue = z.core.$ZodIssue;

/** A located problem before it is tied to a file: where in the document, and what is wrong. */
export interface IssueAt {
  path: KeyPath;
  /** Point at the key itself (unknown keys, bad record keys) instead of its value. */
  atKey: boolean;
  message: string;
}

/** One entry per problem; an issue naming several unknown keys yields one entry per key. */
export function describeIssue(issue: Issue, schema: z.ZodType): IssueAt[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const where = formatKeyPath(path);
  const prefix = where === "" ? "" : `${where}: `;
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeys(schema, path);
      return issue.keys.map((key) => {
        const suggestion = closest(key, allowed);
        const inside = where === "" ? "" : ` in ${where}`;
        const hint = suggestion
          ? ` — did you mean '${suggestion}'?`
          : allowed.length > 0
            ? ` (allowed: ${allowed.join(", ")})`
            : "";
        return { path: [...path, key], atKey: true, message: `unknown key '${key}'${inside}${hint}` };
      });
    }
    case "invalid_key": {
      const reason = issue.issues[0]?.message ?? "invalid name";
      return [{ path, atKey: true, message: `${prefix}invalid name: ${reason}` }];
    }
    case "invalid_type": {
      if (where === "" && issue.input !== undefined) {
        return [
          {
            path,
            atKey: false,
            message: `a policy file must be a mapping of keys (version: 1, …), got ${describeValue(issue.input)}`,
          },
        ];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const message =
        issue.input === undefined
          ? `${prefix}required, expected ${expected}`
          : `${prefix}expected ${expected}, got ${describeValue(issue.input)}`;
      return [{ path, atKey: false, message }];
    }
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const wanted = options.length === 1 ? options[0] : `one of ${options.join(", ")}`;
      if ("input" in issue && issue.input === undefined) {
        // A key left out, such as `version`: say it is required and show it written out.
        const key = path.at(-1);
        const example =
          issue.values.length === 1 && typeof key === "string"
            ? ` (${key}: ${String(issue.values[0])})`
            : `: ${wanted}`;
        return [{ path, atKey: false, message: `${where} is required${example}` }];
      }
      const got = "input" in issue ? `, got ${describeValue(issue.input)}` : "";
      return [{ path, atKey: false, message: `${prefix}expected ${wanted}${got}` }];
    }
    case "too_small":
      return [{ path, atKey: false, message: `${prefix}${ownMessage(issue) ?? tooSmall(issue)}` }];
    case "too_big":
      return [{ path, atKey: false, message: `${prefix}${ownMessage(issue) ?? tooBig(issue)}` }];
    case "invalid_format":
      return [
        { path, atKey: false, message: `${prefix}${ownMessage(issue) ?? `must match ${issue.format}`}` },
      ];
    default:
      return [{ path, atKey: false, message: `${prefix}${issue.message}` }];
  }
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

function describeValue(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** Zod's own default messages start like this; anything else was written in our schema. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized)/;

function ownMessage(issue: Issue): string | undefined {
  return ZOD_DEFAULT.test(issue.message) ? undefined : issue.message;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  const min = Number(issue.minimum);
  if (issue.origin === "array")
    return min <= 1 ? "must list at least one item" : `must list at least ${min} items`;
  if (issue.origin === "string") return min <= 1 ? "must not be empty" : `must be at least ${min} characters`;
  return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  const max = Number(issue.maximum);
  if (issue.origin === "array") return `must list at most ${max} items`;
  if (issue.origin === "string") return `must be at most ${max} characters`;
  return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Strip optional/default wrappers to reach the schema that describes the value itself. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!next) break;
    current = next;
  }
  return current;
}

/** The keys the object at `path` accepts, for suggestions. */
export function allowedKeys(schema: z.ZodType, path: KeyPath): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const step of path) {
    if (!current) return [];
    const def = defOf(current);
    if (def.type === "object") current = def.shape?.[String(step)];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return [];
    if (current) current = unwrap(current);
  }
  const def = current ? defOf(current) : undefined;
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}
