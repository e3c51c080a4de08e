// Validates REST requests against GitHub's published OpenAPI description (@octokit/openapi).
//
// Decisions:
// - The dereferenced `api.github.com.deref.json` (~73 MB, ~0.6 s to parse) is read once per
//   process; only each operation's parameters and JSON request-body schema are kept, so the rest
//   can be garbage collected. Ajv validators are compiled lazily, once per operation and part.
// - OpenAPI 3.0 is not JSON Schema: `nullable: true` is rewritten (`type: X` → `type: [X, "null"]`,
//   `null` added to an `enum`, or `anyOf: [schema, {type: "null"}]` when there is no `type`), and
//   boolean `exclusiveMinimum/Maximum` become draft-07 numbers. Ajv runs with `strict: false` so
//   OpenAPI-only keywords (`example`, `x-*`, `discriminator`…) are ignored. Formats come from
//   ajv-formats, plus GitHub's own `int64`, `binary` and `repo.nwo`.
// - Path and query parameters are validated with type coercion (they arrive as strings); unknown
//   query parameters are allowed (GitHub ignores them). A bad path parameter answers 404, a bad
//   query or body 422, invalid JSON 400 — as GitHub does.
// - Operations are matched by method and path template; `x-multi-segment` parameters (`path`,
//   `ref`, `basehead`…) may span slashes. The most specific template wins: most literal segments,
//   then fewest multi-segment parameters.
// - GitHub enforces some check-run limits the schema does not fully state; `checkRunLimits`
//   checks them (see there).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
  "x-multi-segment"?: boolean;
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  parameters: Parameter[];
  /** JSON request-body schema, when the operation takes a JSON body. */
  body?: { required: boolean; schema: Schema };
  /** Operation takes a non-JSON body (uploads). */
  rawBody: boolean;
  regex: RegExp;
  names: string[];
  literals: number;
  multis: number;
}

export interface MatchedOperation {
  operation: Operation;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

export interface Problem {
  status: 400 | 404 | 422;
  reason: string;
}

type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ??
  (formatsModule as unknown as FormatsPlugin);

let loading: Promise<Operation[]> | undefined;

async function loadOperations(): Promise<Operation[]> {
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.deref.json");
  const spec = JSON.parse(await readFile(file, "utf8")) as { paths: Record<string, Record<string, unknown>> };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    // Octokit's legacy alias of GET /repos/{owner}/{repo}/compare/{basehead}; keep one route name.
    if (template === "/repos/{owner}/{repo}/compare/{base}...{head}") continue;
    for (const [method, raw] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete", "head"].includes(method)) continue;
      const op = raw as {
        operationId: string;
        parameters?: Parameter[];
        requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
      };
      const parameters = [...((item.parameters as Parameter[] | undefined) ?? []), ...(op.parameters ?? [])];
      const content = op.requestBody?.content ?? {};
      const json = content["application/json"]?.schema;
      const multi = new Set(
        parameters.filter((p) => p.in === "path" && p["x-multi-segment"]).map((p) => p.name),
      );
      const names: string[] = [];
      const segments = template.split("/").slice(1);
      const pattern = segments
        .map((segment, index) =>
          segment.replace(
            /\{([^}]+)\}|([^{]+)/g,
            (_m, name: string | undefined, literal: string | undefined) => {
              if (literal !== undefined) return literal.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
              names.push(name as string);
              if (!multi.has(name as string)) return "([^/]+)";
              return index === segments.length - 1 ? "(.*)" : "(.+)";
            },
          ),
        )
        .join("/");
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        parameters,
        ...(json ? { body: { required: op.requestBody?.required ?? false, schema: json } } : {}),
        rawBody: !json && Object.keys(content).length > 0,
        regex: new RegExp(`^/${pattern}$`),
        names,
        literals: segments.filter((s) => !s.includes("{")).length,
        multis: names.filter((n) => multi.has(n)).length,
      });
    }
  }
  return operations;
}

/** Rewrites an OpenAPI 3.0 schema object into JSON Schema draft-07 (see the file comment). */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === "nullable" || key === "example" || key.startsWith("x-")) continue;
    out[key] =
      key === "properties" || key === "patternProperties"
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]))
        : key === "enum" || key === "default" || key === "const"
          ? value
          : toJsonSchema(value);
  }
  for (const bound of ["Minimum", "Maximum"] as const) {
    const flag = out[`exclusive${bound}`];
    if (typeof flag === "boolean") {
      if (flag) out[`exclusive${bound}`] = out[bound.toLowerCase()];
      else delete out[`exclusive${bound}`];
      if (flag) delete out[bound.toLowerCase()];
    }
  }
  if ((schema as Schema).nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (out.type === undefined && out.enum === undefined) return { anyOf: [out, { type: "null" }] };
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string {
  return (errors ?? [])
    .map((e) => {
      const at = `${where}${e.instancePath}`;
      if (e.keyword === "enum") {
        return `${at} ${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
      }
      if (e.keyword === "additionalProperties") {
        return `${at} has unexpected property ${(e.params as { additionalProperty: string }).additionalProperty}`;
      }
      return `${at} ${e.message}`;
    })
    .join("; ");
}

export class OpenApiValidator {
  private readonly byMethod = new Map<string, Operation[]>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly bodyAjv: Ajv;
  private readonly paramAjv: Ajv;

  private constructor(operations: Operation[]) {
    for (const op of operations) {
      const list = this.byMethod.get(op.method) ?? [];
      list.push(op);
      this.byMethod.set(op.method, list);
    }
    for (const list of this.byMethod.values()) {
      list.sort((a, b) => b.literals - a.literals || a.multis - b.multis || b.names.length - a.names.length);
    }
    const configure = (ajv: Ajv) => {
      addFormats(ajv);
      ajv.addFormat("int64", true);
      ajv.addFormat("binary", true);
      ajv.addFormat("repo.nwo", /^[^/\s]+\/[^/\s]+$/);
      return ajv;
    };
    this.bodyAjv = configure(new Ajv({ strict: false, allErrors: true }));
    this.paramAjv = configure(new Ajv({ strict: false, allErrors: true, coerceTypes: "array" }));
  }

  /** Loads the description once per process. */
  static async load(): Promise<OpenApiValidator> {
    loading ??= loadOperations();
    return new OpenApiValidator(await loading);
  }

  /** `rawPath` is the request path without the `/api/v3` prefix and query, still percent-encoded. */
  match(method: string, rawPath: string): MatchedOperation | undefined {
    for (const operation of this.byMethod.get(method.toUpperCase()) ?? []) {
      const m = operation.regex.exec(rawPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      operation.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? "");
      });
      return { operation, params };
    }
    return undefined;
  }

  private validator(key: string, ajv: Ajv, schema: () => unknown): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = ajv.compile(toJsonSchema(schema()) as Schema);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private paramSchema(op: Operation, where: "path" | "query"): Schema {
    const params = op.parameters.filter((p) => p.in === where);
    return {
      type: "object",
      properties: Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])),
      required: params.filter((p) => p.required || where === "path").map((p) => p.name),
    };
  }

  /**
   * Problems GitHub would reject the request for. `query` is mutated into coerced values.
   * `body` is `undefined` when the request had none.
   */
  validate(matched: MatchedOperation, query: Record<string, unknown>, body: unknown): Problem | undefined {
    const { operation: op, params } = matched;
    const key = `${op.method} ${op.template}`;
    const path = this.validator(`${key} path`, this.paramAjv, () => this.paramSchema(op, "path"));
    const pathValues: Record<string, unknown> = { ...params };
    if (!path(pathValues)) return { status: 404, reason: `path: ${describe(path.errors, "path")}` };
    const queryCheck = this.validator(`${key} query`, this.paramAjv, () => this.paramSchema(op, "query"));
    if (!queryCheck(query)) return { status: 422, reason: `query: ${describe(queryCheck.errors, "query")}` };
    if (op.body) {
      if (body === undefined) {
        if (op.body.required) return { status: 422, reason: "body: a JSON request body is required" };
        return undefined;
      }
      const schema = op.body.schema;
      const check = this.validator(`${key} body`, this.bodyAjv, () => schema);
      if (!check(body)) return { status: 422, reason: `body: ${describe(check.errors, "body")}` };
    }
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Length in characters (code points), as GitHub counts them. */
function chars(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

/**
 * Check-run limits GitHub enforces on create and update: `output.summary` and `output.text` at
 * most 65,535 characters, at most 50 annotations per request, `annotation_level` one of
 * notice|warning|failure, columns only on single-line annotations, at most 3 actions whose
 * `label` ≤ 20, `description` ≤ 40 and `identifier` ≤ 20 characters, annotation `title` ≤ 255
 * characters, `message` and `raw_details` ≤ 64 KB, `conclusion` required with status `completed`
 * or `completed_at`.
 */
export function checkRunLimits(body: unknown): string[] {
  if (body === null || typeof body !== "object") return [];
  const b = body as {
    status?: unknown;
    conclusion?: unknown;
    completed_at?: unknown;
    output?: { summary?: unknown; text?: unknown; annotations?: unknown };
    actions?: unknown;
  };
  const problems: string[] = [];
  const output = b.output;
  if (output && typeof output === "object") {
    for (const field of ["summary", "text"] as const) {
      if (chars(output[field]) > 65535) {
        problems.push(`output.${field} is ${chars(output[field])} characters; the maximum is 65535`);
      }
    }
    if (Array.isArray(output.annotations)) {
      if (output.annotations.length > 50) {
        problems.push(`${output.annotations.length} annotations in one request; the maximum is 50`);
      }
      output.annotations.forEach((a: Record<string, unknown>, i) => {
        if (!["notice", "warning", "failure"].includes(a?.annotation_level as string)) {
          problems.push(`output.annotations[${i}].annotation_level must be notice, warning or failure`);
        }
        if ((a?.start_column !== undefined || a?.end_column !== undefined) && a?.start_line !== a?.end_line) {
          problems.push(`output.annotations[${i}] has columns but spans several lines`);
        }
        if (chars(a?.title) > 255)
          problems.push(`output.annotations[${i}].title is longer than 255 characters`);
        for (const field of ["message", "raw_details"] as const) {
          if (typeof a?.[field] === "string" && Buffer.byteLength(a[field] as string) > 64 * 1024) {
            problems.push(`output.annotations[${i}].${field} is larger than 64 KB`);
          }
        }
      });
    }
  }
  if (Array.isArray(b.actions)) {
    if (b.actions.length > 3) problems.push(`${b.actions.length} actions; the maximum is 3`);
    b.actions.forEach((a: Record<string, unknown>, i) => {
      const limits = { label: 20, description: 40, identifier: 20 } as const;
      for (const [field, max] of Object.entries(limits)) {
        if (chars(a?.[field]) > max) problems.push(`actions[${i}].${field} is longer than ${max} characters`);
      }
    });
  }
  if ((b.status === "completed" || b.completed_at !== undefined) && b.conclusion === undefined) {
    problems.push("conclusion is required with status completed or completed_at");
  }
  return problems;
}
