// Shared test helpers: the shipped pack read from disk, and loading that must succeed.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type BuiltinPacks, type LoadedPolicy, loadPolicy } from "../../src/policy/index.js";

const packsDir = fileURLToPath(new URL("../../policies/", import.meta.url));

export const packText = (name: string): string => readFileSync(`${packsDir}${name}.yml`, "utf8");

export const builtins: BuiltinPacks = (name) => {
  try {
    return packText(name);
  } catch {
    return undefined;
  }
};

export function loaded(text: string, path = ".github/readiness.yml"): Extract<LoadedPolicy, { ok: true }> {
  const result = loadPolicy(path, text, builtins);
  if (!result.ok) throw new Error(`expected a valid policy, got:\n${JSON.stringify(result.errors, null, 2)}`);
  return result;
}

export function loadErrors(text: string, path = ".github/readiness.yml") {
  const result = loadPolicy(path, text, builtins);
  if (result.ok) throw new Error("expected the policy to be invalid");
  return result.errors;
}

/** Strip the common indentation so YAML fixtures can sit indented in the test source. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, "");
  const indent = Math.min(
    ...text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => l.match(/^ */)?.[0].length ?? 0),
  );
  return text
    .split("\n")
    .map((l) => l.slice(indent))
    .join("\n");
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${needle} not in fixture`);
  const before = text.slice(0, index).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
