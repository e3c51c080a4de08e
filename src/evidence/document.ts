// A document gate's evidence (PRODUCT.md "Document gates"), Markdown or YAML/JSON, reduced to what
// the gate judges: which sections or keys it has and whether each holds something, the date it
// is dated by, and the reviewer it names. Markdown is read exactly as rollback plans are
// (rollback-markdown.ts, linear on any input); YAML and JSON by the policy's YAML reader.
import { DATA_DOCUMENT } from "../policy/schema.js";
import { locate, parseYaml } from "../policy/yaml.js";
import { dateProblem, dateText } from "./dates.js";
import { sectionFinder } from "./rollback.js";
import { readMarkdownSections } from "./rollback-markdown.js";
import type { Parsed } from "./types.js";

/** A section (Markdown) or top-level key (YAML/JSON) of a document. */
export interface DocumentPart {
  line: number;
  /** A heading with text under it; a key whose value is not empty. */
  hasText: boolean;
}

export interface EvidenceDocument {
  format: "markdown" | "data";
  /** The part for a wanted section title or key (titles match as rollback sections do). */
  find: (name: string) => DocumentPart | undefined;
  /** The date under `datedBy`, when there is one. */
  date?: { date: string; line: number };
  /** The login the document names as its reviewer (a `reviewer` key or a "Reviewer" section). */
  reviewer?: { login: string; line: number };
}

export interface DocumentReading {
  /** The key, or the section (`last_reviewed` finds "Last reviewed"), holding the date. */
  datedBy?: string;
  /** Read the reviewer the document names. */
  reviewer: boolean;
}

export const REVIEWER_PART = "reviewer";

/** A GitHub login mentioned in text (`Signed off by @alice`): not an email, not a team. */
const MENTION = /(?<![A-Za-z0-9_.-])@([A-Za-z0-9][A-Za-z0-9-]{0,38})(?![A-Za-z0-9/_.-])/;
/** Text that is a login and nothing else (`alice`, `- @alice`). */
const BARE_LOGIN = /^\s*(?:[-*+]\s+)?@?([A-Za-z0-9][A-Za-z0-9-]{0,38})\s*$/;

/** The reviewer the text names: its first @mention, or the text when it is a login alone. */
function loginIn(text: string): string | undefined {
  return MENTION.exec(text)?.[1] ?? BARE_LOGIN.exec(text)?.[1];
}

export function readDocument(path: string, text: string, reading: DocumentReading): Parsed<EvidenceDocument> {
  if (text.trim() === "")
    return { ok: false, errors: [{ path, line: 1, column: 1, message: "the document is empty" }] };
  return DATA_DOCUMENT.test(path) ? readDataDocument(path, text, reading) : readMarkdown(path, text, reading);
}

function readMarkdown(path: string, text: string, reading: DocumentReading): Parsed<EvidenceDocument> {
  const read = readMarkdownSections(path, text, {
    what: "the document",
    // `last_reviewed` and "Last reviewed" name the same section.
    ...(reading.datedBy !== undefined ? { datedBy: reading.datedBy.replace(/_/g, " ") } : {}),
    ...(reading.reviewer ? { textOf: "Reviewer" } : {}),
  });
  if (!read.ok) return read;
  const findSection = sectionFinder({ format: "markdown", sections: read.value.sections });
  const { dated, text: named } = read.value;
  const login = named ? loginIn(named.text) : undefined;
  return {
    ok: true,
    value: {
      format: "markdown",
      find: (name) => findSection(name.replace(/_/g, " ")),
      ...(dated ? { date: dated } : {}),
      ...(login && named ? { reviewer: { login, line: named.line } } : {}),
    },
  };
}

function readDataDocument(path: string, text: string, reading: DocumentReading): Parsed<EvidenceDocument> {
  const parsed = parseYaml(path, text);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  const value = file.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      errors: [{ path, ...locate(file, []), message: "the document must be a mapping of keys" }],
    };
  }
  const data = value as Record<string, unknown>;
  const lineOf = (key: string) => locate(file, [key], { key: true }).line ?? 1;
  const find = (name: string): DocumentPart | undefined =>
    Object.hasOwn(data, name) ? new KeyPart(name, hasContent(data[name]), lineOf) : undefined;
  const document: EvidenceDocument = { format: "data", find };
  if (reading.datedBy !== undefined && Object.hasOwn(data, reading.datedBy)) {
    const raw = data[reading.datedBy];
    const at = locate(file, [reading.datedBy]);
    const date = raw instanceof Date ? dateText(raw) : typeof raw === "string" ? raw : undefined;
    const problem = date === undefined ? "must be a date like 2026-01-05" : dateProblem(date);
    if (problem) {
      const shown = date ?? JSON.stringify(raw) ?? String(raw);
      return { ok: false, errors: [{ path, ...at, message: `"${reading.datedBy}" ${shown} ${problem}` }] };
    }
    document.date = { date: date as string, line: at.line ?? 1 };
  }
  if (reading.reviewer && typeof data[REVIEWER_PART] === "string") {
    const login = BARE_LOGIN.exec(data[REVIEWER_PART])?.[1];
    if (login) document.reviewer = { login, line: lineOf(REVIEWER_PART) };
  }
  return { ok: true, value: document };
}

/** A top-level key; its line is looked up only when a message needs it (most keys are fine). */
class KeyPart implements DocumentPart {
  constructor(
    private readonly key: string,
    readonly hasText: boolean,
    private readonly lineOf: (key: string) => number,
  ) {}
  get line(): number {
    return this.lineOf(this.key);
  }
}

/**
 * Whether a value holds something a reader would see: text that is not blank, a number or a
 * boolean, a list or mapping with such a value. Nesting is walked with a stack, not recursion,
 * so a deeply nested value cannot overflow it.
 */
function hasContent(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || next === undefined) continue;
    if (typeof next === "string") {
      if (next.trim() !== "") return true;
    } else if (typeof next === "number" || typeof next === "boolean" || next instanceof Date) {
      return true;
    } else if (Array.isArray(next)) {
      stack.push(...next);
    } else if (typeof next === "object") {
      stack.push(...Object.values(next));
    }
  }
  return false;
}
