// One policy file: YAML → plain value → (optional builtin pack underneath) → validated Policy,
// with every problem located at its file, line and column.
//
// `extends: builtin:<name>` is an ordinary base layer: the pack's raw values are laid down
// first and the file's own keys override them (objects merge key by key; lists and scalars
// replace), and only then are defaults applied and the result validated. A file may therefore
// relax a pack value — the pack is a starting point the file owner chose. Org → repo is
// different: that merge is tighten-only (see merge.ts), because the org owns the floor.

import { describeIssue } from "./issues.js";
import { hasKeyPath, isPlainObject, type KeyPath } from "./key-path.js";
import type { LocatedError } from "./located.js";
import { type Policy, policySchema } from "./schema.js";
import { closest } from "./suggest.js";
import { errorAt, locate, parseYaml, type YamlFile } from "./yaml.js";

/** The text of a builtin pack, by name without the `builtin:` prefix; undefined when unknown. */
export type BuiltinPacks = (name: string) => string | undefined;

/** Packs shipped in the app's `policies/` folder, for suggestions when a name is mistyped. */
export const BUILTIN_PACK_NAMES = ["ai-production-readiness", "ai-production-readiness@2"] as const;

/**
 * The file name of a pack, without `.yml`: `name@N` for version N, and the bare name for
 * version 1, which is what `builtin:<name>` without a version names (so an upgrade of the app
 * never changes a pack under a policy that did not ask for it). Undefined for a name that could
 * leave `policies/`.
 */
export function builtinPackFile(name: string): string | undefined {
  const parts = /^([a-z0-9-]+)(?:@([1-9][0-9]{0,3}))?$/.exec(name);
  if (!parts) return undefined;
  return parts[2] === undefined || parts[2] === "1" ? parts[1] : name;
}

/** Where a builtin pack's errors are reported: the file the app ships. */
export function builtinPackPath(name: string): string {
  return `policies/${builtinPackFile(name) ?? name}.yml`;
}

export type LoadedPolicy =
  | {
      ok: true;
      policy: Policy;
      file: YamlFile;
      /** What the file (with its pack underneath) spelled out, before defaults. */
      input: Record<string, unknown>;
      /** The builtin pack it extends, e.g. `ai-production-readiness`. */
      pack?: { name: string; file: YamlFile };
    }
  | { ok: false; errors: LocatedError[] };

const EXTENDS = /^builtin:([a-z0-9-]+(?:@[1-9][0-9]{0,3})?)$/;

export function loadPolicy(path: string, text: string, builtins: BuiltinPacks): LoadedPolicy {
  const parsed = parseLayer(path, text);
  if (!parsed.ok) return parsed;
  const { file, value } = parsed;

  const extendsValue = value.extends;
  const packName = typeof extendsValue === "string" ? EXTENDS.exec(extendsValue)?.[1] : undefined;
  if (packName === undefined) return validate(value, [file]);

  const pack = loadPack(packName, file, builtins);
  if (!pack.ok) return pack;
  const errors: LocatedError[] = [];
  if (!("version" in value)) {
    errors.push(errorAt(file, [], "version: required, expected 1 (every policy file states its version)"));
  }
  const merged = mergeLayers(pack.value, value);
  const result = validate(merged, [file, pack.file]);
  if (!result.ok) return { ok: false, errors: [...errors, ...result.errors] };
  if (errors.length > 0) return { ok: false, errors };
  return { ...result, pack: { name: packName, file: pack.file } };
}

type Layer =
  | { ok: true; file: YamlFile; value: Record<string, unknown> }
  | { ok: false; errors: LocatedError[] };

function parseLayer(path: string, text: string): Layer {
  const parsed = parseYaml(path, text);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  if (file.value === null || file.value === undefined) {
    return {
      ok: false,
      errors: [
        { path, line: 1, column: 1, message: "the policy file is empty: it needs at least `version: 1`" },
      ],
    };
  }
  if (!isPlainObject(file.value)) {
    const validated = validate(file.value, [file]);
    return validated.ok ? { ok: false, errors: [] } : validated;
  }
  return { ok: true, file, value: file.value };
}

function loadPack(name: string, file: YamlFile, builtins: BuiltinPacks): Layer {
  const text = builtins(name);
  if (text === undefined) {
    const suggestion = closest(name, BUILTIN_PACK_NAMES);
    const hint = suggestion
      ? ` — did you mean 'builtin:${suggestion}'?`
      : ` (available: ${BUILTIN_PACK_NAMES.map((n) => `builtin:${n}`).join(", ")})`;
    return {
      ok: false,
      errors: [errorAt(file, ["extends"], `unknown policy pack 'builtin:${name}'${hint}`)],
    };
  }
  const pack = parseLayer(builtinPackPath(name), text);
  if (!pack.ok) return pack;
  if ("extends" in pack.value) {
    return {
      ok: false,
      errors: [errorAt(pack.file, ["extends"], "a builtin pack cannot extend another pack")],
    };
  }
  const checked = validate(pack.value, [pack.file]);
  return checked.ok ? pack : checked;
}

/** Objects merge key by key; lists and scalars from `over` replace those in `base`. */
export function mergeLayers(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    out[key] = isPlainObject(under) && isPlainObject(value) ? mergeLayers(under, value) : value;
  }
  return out;
}

/**
 * Validate `value`; each problem is reported in the first of `files` that spells out its path
 * (the file before its pack), else at the nearest existing key of the first file.
 */
function validate(value: unknown, files: YamlFile[]): LoadedPolicy {
  const result = policySchema.safeParse(value, { reportInput: true });
  const [own] = files as [YamlFile, ...YamlFile[]];
  if (result.success) {
    const errors = duplicateRuleNames(result.data, own);
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, policy: result.data, file: own, input: value as Record<string, unknown> };
  }
  const errors = result.error.issues.flatMap((issue) =>
    describeIssue(issue, policySchema).map((problem) => {
      const file = files.find((f) => hasKeyPath(f.value, problem.path)) ?? own;
      return {
        path: file.path,
        ...locate(file, problem.path, { key: problem.atKey }),
        message: problem.message,
      };
    }),
  );
  return { ok: false, errors: sortByPosition(errors) };
}

/** Approval rules are matched by name when an org and a repo policy merge, so names must be unique. */
function duplicateRuleNames(policy: Policy, file: YamlFile): LocatedError[] {
  const seen = new Set<string>();
  const errors: LocatedError[] = [];
  policy.approvals.forEach((rule, index) => {
    if (seen.has(rule.name)) {
      const at: KeyPath = ["approvals", index, "name"];
      errors.push(
        errorAt(file, at, `approvals[${index}].name: another rule is already named '${rule.name}'`),
      );
    }
    seen.add(rule.name);
  });
  return errors;
}

function sortByPosition(errors: LocatedError[]): LocatedError[] {
  return [...errors].sort(
    (a, b) =>
      a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
