// GitHub CODEOWNERS: parsing with located errors, and "who owns this file" with GitHub's rules
// (the last matching line wins; gitignore-style patterns without `!` or `[ ]`).
import picomatch from "picomatch";
import type { LocatedError } from "../policy/located.js";
import { codeownerPattern } from "./principals.js";
import type { Codeowners, CodeownersRule } from "./types.js";

/** Where GitHub looks, in order; the first file that exists is the one used. */
export const CODEOWNERS_LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

interface Token {
  text: string;
  column: number;
}

/**
 * Reads every rule. A line GitHub would reject (negation, a character range, an invalid owner)
 * is reported and left out, as GitHub skips it too. A pattern without owners is kept: it
 * un-owns the paths it matches.
 */
export function parseCodeowners(
  path: string,
  text: string,
): { codeowners: Codeowners; errors: LocatedError[] } {
  const rules: CodeownersRule[] = [];
  const errors: LocatedError[] = [];
  text.split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    const [pattern, ...owners] = tokens(source);
    if (!pattern) return;
    const problem = patternProblem(pattern.text);
    if (problem) {
      errors.push({ path, line, column: pattern.column, message: problem });
      return;
    }
    const badOwner = owners.find((owner) => !codeownerPattern.test(owner.text));
    if (badOwner) {
      errors.push({
        path,
        line,
        column: badOwner.column,
        message: `"${badOwner.text}" is not a valid owner: use @user, @org/team or an email address; GitHub ignores this line`,
      });
      return;
    }
    rules.push({ pattern: unescapeHash(pattern.text), owners: owners.map((owner) => owner.text), line });
  });
  return { codeowners: { path, rules }, errors };
}

/** The rule GitHub applies to `filePath` (repository-relative): the last one that matches. */
export function ownersOf(codeowners: Codeowners, filePath: string): CodeownersRule | undefined {
  const path = filePath.replace(/^\/+/, "");
  const compiled = compile(codeowners);
  for (let i = compiled.length - 1; i >= 0; i--) {
    const { rule, matches } = compiled[i] as CompiledRule;
    if (matches(path)) return rule;
  }
  return undefined;
}

/** Whitespace-separated words; `\ ` keeps a space in a word, and a word starting with `#` starts a comment. */
function tokens(source: string): Token[] {
  const found: Token[] = [];
  let current: Token | undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      current = undefined;
      continue;
    }
    if (!current) {
      if (ch === "#") break;
      current = { text: "", column: i + 1 };
      found.push(current);
    }
    if (ch === "\\" && i + 1 < source.length) {
      current.text += ch + source[++i];
    } else {
      current.text += ch;
    }
  }
  return found;
}

function patternProblem(pattern: string): string | undefined {
  if (pattern.startsWith("!")) return "negation (!) is not supported in CODEOWNERS; GitHub ignores this line";
  if (/(?<!\\)[[\]]/.test(pattern)) {
    return "character ranges ([ ]) are not supported in CODEOWNERS; GitHub ignores this line";
  }
  return undefined;
}

/** `\#` is kept as `#` in the rule shown to users; other escapes stay for the matcher. */
function unescapeHash(pattern: string): string {
  return pattern.replace(/\\#/g, "#");
}

interface CompiledRule {
  rule: CodeownersRule;
  matches: (path: string) => boolean;
}

// Compiled once per parsed file: a PR can touch 3,000 files against hundreds of rules.
const cache = new WeakMap<Codeowners, CompiledRule[]>();

function compile(codeowners: Codeowners): CompiledRule[] {
  let compiled = cache.get(codeowners);
  if (!compiled) {
    compiled = codeowners.rules.map((rule) => {
      const regex = globs(rule.pattern).map((glob) => picomatch.makeRe(glob, GLOB_OPTIONS));
      return { rule, matches: (path: string) => regex.some((re) => re.test(path)) };
    });
    cache.set(codeowners, compiled);
  }
  return compiled;
}

const GLOB_OPTIONS = { dot: true, nobrace: true, noextglob: true, nonegate: true, windows: false } as const;

/**
 * A CODEOWNERS pattern as picomatch globs:
 * - a leading `/` anchors to the root; a pattern with no other slash matches at any depth;
 * - a trailing `/` matches what is inside the directory, never a file of that name;
 * - `dir/*` matches the files directly in `dir` only (GitHub's documented exception);
 * - otherwise the pattern matches the path itself and, as a directory, everything below it.
 */
function globs(pattern: string): string[] {
  let glob = escapeLiterals(pattern);
  const directoryOnly = glob.endsWith("/");
  glob = glob.replace(/\/+$/, "");
  if (glob.startsWith("/")) glob = glob.replace(/^\/+/, "");
  else if (!glob.includes("/")) glob = `**/${glob}`;
  if (glob === "") return [];
  const last = glob.slice(glob.lastIndexOf("/") + 1);
  if (directoryOnly || last === "**") return [`${glob}/**/*`];
  if (last === "*") return [glob];
  return [glob, `${glob}/**/*`];
}

/** Characters that mean something to picomatch but are plain in gitignore patterns. */
function escapeLiterals(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "\\") {
      out += ch + (pattern[++i] ?? "");
    } else {
      out += /[(){}+@!|^$]/.test(ch) ? `\\${ch}` : ch;
    }
  }
  return out;
}
