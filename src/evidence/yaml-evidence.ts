// A YAML evidence file checked against a strict zod schema. Every problem becomes a located error
// whose message a user can act on: the field, what was expected, what was found.
import leven from "leven";
import type { z } from "zod";
import type { LocatedError } from "../policy/located.js";
import { firstErrors, locate, parseYaml, type YamlFile } from "../policy/yaml.js";
import { dateText } from "./dates.js";

type Key = string | number;
type Issue = z.core.$ZodIssue;

export type YamlEvidence<T> = { ok: true; value: T; file: YamlFile } | { ok: false; errors: LocatedError[] };

/** Parses `text` and validates it; `what` names the file for top-level messages ("the manifest"). */
export function readYamlEvidence<S extends z.ZodType>(
  path: string,
  text: string,
  schema: S,
  what: string,
): YamlEvidence<z.output<S>> {
  if (text.trim() === "")
    return { ok: false, errors: [{ path, line: 1, column: 1, message: `${what} is empty` }] };
  const parsed = parseYaml(path, text);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  const data = withDatesAsText(file.value);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      errors: [{ path, ...locate(file, []), message: `${what} must be a mapping of keys` }],
    };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data, file };
  const errors = result.error.issues.flatMap((issue) => describe(issue, [], { file, data, schema }));
  return { ok: false, errors: firstErrors(sortByPosition(errors)) };
}

export function sortByPosition(errors: LocatedError[]): LocatedError[] {
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** `owners[1]`, `evidence.rollback`. */
export function fieldName(path: readonly Key[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === "number" ? `${name}[${key}]` : name ? `${name}.${key}` : key),
    "",
  );
}

interface Context {
  file: YamlFile;
  data: unknown;
  schema: z.ZodType;
}

function describe(issue: Issue, prefix: readonly Key[], ctx: Context): LocatedError[] {
  const path = [...prefix, ...(issue.path as Key[])];
  const at = (keyPath: readonly Key[], message: string, key = false): LocatedError => ({
    path: ctx.file.path,
    ...locate(ctx.file, keyPath, { key }),
    message,
  });
  const field = `"${fieldName(path)}"`;
  const value = valueAt(ctx.data, path);

  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => at([...path, key], unknownKey(key, knownKeys(ctx.schema, path)), true));
  }
  if (value === undefined && path.length > 0 && issue.code !== "custom")
    return [at(path, `${field} is required`)];
  if (issue.code === "invalid_union") {
    // The branch whose type matched explains the problem best (a list with a bad item).
    const matched = issue.errors.find(
      (branch) => !branch.some((i) => i.code === "invalid_type" && i.path.length === 0),
    );
    if (matched) return matched.flatMap((inner) => describe(inner, path, ctx));
    const expected = issue.errors.flatMap((branch) =>
      branch.flatMap((i) => (i.code === "invalid_type" ? [expectedName(i.expected)] : [])),
    );
    return [at(path, typeMessage(field, value, expected.join(" or ")))];
  }
  // Messages written in our schemas are predicates ("must be…", "needs…"); zod's own start upper-case.
  if (/^[a-z]/.test(issue.message)) {
    return [at(path, `${field} ${issue.message}`)];
  }
  switch (issue.code) {
    case "invalid_type":
      return [at(path, typeMessage(field, value, expectedName(issue.expected)))];
    case "invalid_value":
      return [
        at(path, `${field} must be one of ${issue.values.map(String).join(", ")}, not ${shown(value)}`),
      ];
    default:
      return [at(path, `${field}: ${issue.message}`)];
  }
}

function typeMessage(field: string, value: unknown, expected: string): string {
  if (value === null) return `${field} is empty; it must be ${expected}`;
  return `${field} must be ${expected}, not ${kindOf(value)}`;
}

function unknownKey(key: string, known: string[]): string {
  const near = known
    .map((k) => ({ k, d: leven(key, k) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d)[0];
  if (near) return `unknown key "${key}" (did you mean "${near.k}"?)`;
  return known.length > 0 ? `unknown key "${key}"; known keys: ${known.join(", ")}` : `unknown key "${key}"`;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    string: "text",
    number: "a number",
    boolean: "true or false",
    array: "a list",
    object: "a mapping",
  };
  return names[expected] ?? expected;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `text ${shown(value)}`;
  return `${typeof value === "number" ? "the number" : "the value"} ${String(value)}`;
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function valueAt(data: unknown, path: readonly Key[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<Key, unknown>)[key];
  }
  return node;
}

/** The keys the schema accepts at `path`, for "did you mean". */
function knownKeys(schema: z.ZodType, path: readonly Key[]): string[] {
  let node: z.core.$ZodType | undefined = unwrap(schema);
  for (const key of path) {
    const def = node?._zod.def as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      element?: z.core.$ZodType;
    };
    node = unwrap(typeof key === "number" ? def?.element : def?.shape?.[key]);
  }
  const shape = (node?._zod.def as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let node = schema;
  for (let depth = 0; node && depth < 10; depth++) {
    const def = node._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) node = def.innerType;
    else if (def.type === "pipe") node = def.in;
    else break;
  }
  return node;
}

/** Some YAML options read `2026-01-05` as a Date; evidence dates are text either way. */
function withDatesAsText(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : dateText(value);
  if (Array.isArray(value)) return value.map(withDatesAsText);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDatesAsText(v)]));
  }
  return value;
}
