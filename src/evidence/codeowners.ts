// GitHub CODEOWNERS: parsing with located errors, and "who owns this file" with GitHub's rules
// (the last matching line wins; gitignore-style patterns without `!` or `[ ]`).
import type { LocatedError } from "../policy/located.js";
import { firstErrors } from "../policy/yaml.js";
import { isWildcardRule, lastMatchingRule } from "./codeowners-match.js";
import { isCodeowner } from "./principals.js";
import type { Codeowners, CodeownersRule } from "./types.js";

/** Where GitHub looks, in order; the first file that exists is the one used. */
export const CODEOWNERS_LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/** GitHub does not load a CODEOWNERS file of this size or more: it then owns nothing. */
export const CODEOWNERS_SIZE_LIMIT = 3 * 1024 * 1024;
/**
 * Rules with `*` or `?` are tried against each changed path in turn (the others are looked up),
 * so their number bounds how long resolving 3,000 paths takes. Real files have tens.
 */
export const MAX_WILDCARD_RULES = 500;

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
  const bytes = text.length < CODEOWNERS_SIZE_LIMIT / 3 ? 0 : Buffer.byteLength(text);
  if (bytes >= CODEOWNERS_SIZE_LIMIT) {
    const message = `the file is ${bytes} bytes; GitHub does not load a CODEOWNERS file of 3 MB or more, so none of its rules apply`;
    return { codeowners: { path, rules }, errors: [{ path, line: 1, column: 1, message }] };
  }
  text.split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    const [pattern, ...owners] = tokens(source);
    if (!pattern) return;
    const problem = patternProblem(pattern.text);
    if (problem) {
      errors.push({ path, line, column: pattern.column, message: problem });
      return;
    }
    const badOwner = owners.find((owner) => !isCodeowner(owner.text));
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
  const wildcards = rules.filter((rule) => isWildcardRule(rule.pattern)).length;
  if (wildcards > MAX_WILDCARD_RULES) {
    const message = `the file has ${wildcards} rules with wildcards (* or ?); at most ${MAX_WILDCARD_RULES} are read, so none of its rules apply`;
    return {
      codeowners: { path, rules: [] },
      errors: [{ path, line: 1, column: 1, message }, ...firstErrors(errors)],
    };
  }
  return { codeowners: { path, rules }, errors: firstErrors(errors) };
}

/** The rule GitHub applies to `filePath` (repository-relative): the last one that matches. */
export function ownersOf(codeowners: Codeowners, filePath: string): CodeownersRule | undefined {
  return lastMatchingRule(codeowners, filePath.replace(/^\/+/, ""));
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
