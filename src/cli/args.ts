// Flags for every command: node:util parseArgs in strict mode, so an unknown or misspelt flag is
// a usage error (exit 2) instead of being silently ignored.
import { parseArgs } from "node:util";
import { UsageError } from "../facts/git-exec.js";

export { UsageError } from "../facts/git-exec.js";

export interface ParsedArgs {
  strings: Record<string, string | undefined>;
  /** The switches given (`--write`): true when present. */
  switches: Record<string, boolean>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses `args` with the given string-valued flags (`--repo DIR`), the on/off `switchFlags`
 * (`--write`), plus `-h/--help`.
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  stringFlags: readonly string[],
  switchFlags: readonly string[] = [],
): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const flag of stringFlags) options[flag] = { type: "string" };
  for (const flag of switchFlags) options[flag] = { type: "boolean" };
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    const strings: Record<string, string | undefined> = {};
    for (const flag of stringFlags) strings[flag] = values[flag] as string | undefined;
    const switches: Record<string, boolean> = {};
    for (const flag of switchFlags) switches[flag] = values[flag] === true;
    return { strings, switches, positionals, help: values.help === true };
  } catch (error) {
    // parseArgs explains at length how to pass a positional starting with '-'; the first
    // sentence is the part that helps.
    const message = (error as Error).message.split(". ")[0] ?? "invalid arguments";
    throw new UsageError(`${command}: ${message}`);
  }
}

/** The value of a flag restricted to a few words, e.g. `--format text|json`. */
export function choice<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
}
