// A Markdown rollback plan reduced to its headings: which sections exist, which have text, and
// the drill date under "Last tested". CommonMark parsing (markdown-it) means `#` lines inside
// code fences are not headings and setext (underlined) headings are.
//
// Most plans are plain Markdown (headings, paragraphs, simple lists, code fences), which
// rollback-scan.ts reads line by line far faster than a full parse; anything else goes to
// markdown-it, whose parser is built to take linear time on any input (micromark, under mdast,
// took seconds on 100 KB of `[a](` and minutes on 100 KB of `>`). Both produce the same events
// for the same text (test/evidence/rollback-scan.test.ts). Plans larger than
// MARKDOWN_SIZE_LIMIT are not read: a plan that long is not one a person on call can follow,
// and the limit bounds how long one plan can hold the event loop.
import MarkdownIt, { type Token } from "markdown-it";
import type { LocatedError } from "../policy/located.js";
import { dateProblem } from "./dates.js";
import { dateIn, type PlanEvent, scanPlainMarkdown, type TextDate } from "./rollback-scan.js";
import type { Parsed, RollbackPlan } from "./types.js";

/** The largest Markdown rollback plan read, in bytes. */
export const MARKDOWN_SIZE_LIMIT = 128 * 1024;

/** CommonMark exactly (no tables, no linkify); nesting beyond 20 levels is dropped unread. */
const markdown = new MarkdownIt("commonmark");

/** Normalised for comparison: case, spacing, a trailing colon and a plural `s` do not matter. */
export function sectionKey(title: string): string {
  let key = title.trim().toLowerCase();
  // Most titles have single spaces and no colon: they skip the two replacements.
  if (ODD_SPACING.test(key)) key = key.replace(/\s+/g, " ").replace(/\s*:$/, "");
  return key.endsWith("s") ? key.slice(0, -1) : key;
}

/** Whitespace other than one space, or a trailing colon. */
const ODD_SPACING = /[^\S ]| {2}|:$/;

/** What to read from a Markdown document beside its sections. */
export interface MarkdownReading {
  /** How messages name the document ("the rollback plan"). */
  what: string;
  /** Why a longer document is not read ("a Markdown plan is read up to…: keep it to …"). */
  tooLong?: string;
  /** The section whose first YYYY-MM-DD is the document's date ("Last tested"). */
  datedBy?: string;
  /** The section whose first block of text is wanted ("Reviewer"). */
  textOf?: string;
}

/** A Markdown document reduced to its sections, the date under one and the text under another. */
export interface MarkdownSections {
  sections: RollbackPlan["sections"];
  dated?: { date: string; line: number };
  text?: { text: string; line: number };
}

export function readMarkdownPlan(path: string, text: string): Parsed<RollbackPlan> {
  const read = readMarkdownSections(path, text, {
    what: "the rollback plan",
    tooLong: "a Markdown plan is read up to LIMIT bytes: keep it to what the on-call person needs",
    datedBy: "Last tested",
  });
  if (!read.ok) return read;
  const { sections, dated } = read.value;
  return { ok: true, value: { format: "markdown", sections, ...(dated ? { lastTested: dated } : {}) } };
}

/**
 * Any Markdown document judged as rollback plans are: each section a heading with text under it.
 * Documents larger than MARKDOWN_SIZE_LIMIT are not read.
 */
export function readMarkdownSections(
  path: string,
  text: string,
  reading: MarkdownReading,
): Parsed<MarkdownSections> {
  const bytes = text.length <= MARKDOWN_SIZE_LIMIT / 3 ? 0 : Buffer.byteLength(text);
  if (bytes > MARKDOWN_SIZE_LIMIT) {
    const why =
      reading.tooLong ?? "a Markdown document is read up to LIMIT bytes: keep it to what its readers need";
    const message = `${reading.what} is ${bytes} bytes; ${why.replace("LIMIT", String(MARKDOWN_SIZE_LIMIT))}`;
    return { ok: false, errors: [{ path, line: 1, column: 1, message }] };
  }
  return sectionsFromEvents(path, scanPlainMarkdown(text) ?? markdownEvents(text), reading);
}

/** The same reading through the full CommonMark parser, whatever the text (for tests). */
export function readMarkdownPlanInFull(path: string, text: string): Parsed<RollbackPlan> {
  const read = sectionsFromEvents(path, markdownEvents(text), { what: "", datedBy: "Last tested" });
  if (!read.ok) return read;
  const { sections, dated } = read.value;
  return { ok: true, value: { format: "markdown", sections, ...(dated ? { lastTested: dated } : {}) } };
}

/** The plan's top-level blocks as events: headings, and blocks with words a reader would see. */
function* markdownEvents(text: string): Generator<PlanEvent> {
  // Lines as CommonMark counts them (CR, LF or CRLF), so positions match the parser's line map.
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const tokens = markdown.parse(source, {});
  let lineStarts: number[] | undefined;
  const offsetOfLine = (line: number): number => {
    lineStarts ??= startsOfLines(source);
    return lineStarts[line] ?? source.length;
  };
  // Only top-level headings are sections; a heading quoted inside a list or blockquote is text.
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i] as Token;
    let last = i;
    if (first.nesting === 1) {
      while (!((tokens[last] as Token).level === 0 && (tokens[last] as Token).nesting === -1)) last += 1;
    }
    const block = tokens.slice(i, last + 1);
    i = last;
    if (first.type === "heading_open") {
      const title = plainText(block, true).trim().replace(/\s+/g, " ");
      yield { kind: "heading", depth: Number(first.tag.slice(1)), title, line: (first.map?.[0] ?? 0) + 1 };
    } else if (hasWords(block)) {
      yield {
        kind: "text",
        firstDate: () => firstDate(source, block, offsetOfLine),
        text: () => plainText(block, false),
      };
    }
  }
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

function sectionsFromEvents(
  path: string,
  events: Iterable<PlanEvent>,
  reading: MarkdownReading,
): Parsed<MarkdownSections> {
  const sections: RollbackPlan["sections"] = [];
  let dated: MarkdownSections["dated"];
  let wanted: MarkdownSections["text"];
  const errors: LocatedError[] = [];
  const dateKey = reading.datedBy === undefined ? undefined : sectionKey(reading.datedBy);
  const textKey = reading.textOf === undefined ? undefined : sectionKey(reading.textOf);
  let sawDated = false;
  let sawText = false;

  // `open` holds the sections a block belongs to: at most one heading per level.
  type Open = { depth: number; section: RollbackPlan["sections"][number]; dates: boolean; text: boolean };
  const open: Open[] = [];
  for (const event of events) {
    if (event.kind === "heading") {
      // A section runs to the next heading of the same or a higher level, so the text of its
      // sub-sections counts as its own: "## Steps" then "### 1. Revert" and a command has text.
      while ((open.at(-1)?.depth ?? 0) >= event.depth) open.pop();
      const section = { title: event.title, line: event.line, hasText: false };
      sections.push(section);
      const key = dateKey === undefined && textKey === undefined ? undefined : sectionKey(event.title);
      const dates: boolean = dateKey !== undefined && !sawDated && key === dateKey;
      const text: boolean = textKey !== undefined && !sawText && key === textKey;
      sawDated ||= dates;
      sawText ||= text;
      open.push({ depth: event.depth, section, dates, text });
      continue;
    }
    for (const { section } of open) section.hasText = true;
    if (wanted === undefined && open.some((o) => o.text)) {
      const line = open.find((o) => o.text)?.section.line ?? 1;
      wanted = { text: event.text?.() ?? "", line };
    }
    if (dated === undefined && errors.length === 0 && open.some((o) => o.dates)) {
      const found = event.firstDate();
      if (!found) continue;
      const problem = dateProblem(found.date);
      if (problem)
        errors.push({ path, line: found.line, column: found.column, message: `${found.date} ${problem}` });
      else dated = { date: found.date, line: found.line };
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { sections, ...(dated ? { dated } : {}), ...(wanted ? { text: wanted } : {}) } };
}

/** Content a reader would see: not a heading, a rule, a link definition or an HTML comment. */
function hasWords(block: Token[]): boolean {
  const [first] = block as [Token];
  if (first.type === "hr") return false;
  if (first.type === "html_block") return first.content.replace(/<!--[\s\S]*?(?:-->|$)/g, "").trim() !== "";
  return plainText(block, true).trim() !== "";
}

/** The text a reader sees; image descriptions count only with `alt` (they hold no dates). */
function plainText(tokens: Token[], alt: boolean): string {
  let text = "";
  for (const token of tokens) {
    switch (token.type) {
      case "inline":
        text += plainText(token.children ?? [], alt);
        break;
      case "image":
        if (alt) text += plainText(token.children ?? [], alt);
        break;
      case "text":
      case "code_inline":
      case "code_block":
      case "fence":
        text += token.content;
        break;
      case "softbreak":
        text += "\n";
        break;
    }
  }
  return text;
}

/**
 * The first YYYY-MM-DD in the visible text of `block` (not in HTML, a link's address or an
 * image's description), with its place in `source`. A code block counts whole, fences and info
 * string included, as a reader sees them.
 */
function firstDate(
  source: string,
  block: Token[],
  offsetOfLine: (line: number) => number,
): TextDate | undefined {
  const [start, end] = (block[0]?.map ?? [0, 0]).map(offsetOfLine) as [number, number];
  for (const token of leaves(block)) {
    if (token.type === "fence" || token.type === "code_block") {
      const [from, to] = (token.map ?? [0, 0]).map(offsetOfLine) as [number, number];
      const found = dateIn(source, from, to);
      if (found) return found;
      continue;
    }
    const date = dateIn(token.content, 0, token.content.length)?.date;
    if (!date) continue;
    // Inline tokens carry no positions: the date is placed at its first occurrence in the block.
    const at = source.indexOf(date, start);
    const placed = at !== -1 && at < end ? dateIn(source, at, at + date.length) : undefined;
    return placed ?? { date, line: (block[0]?.map?.[0] ?? 0) + 1, column: 1 };
  }
  return undefined;
}

function* leaves(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    if (token.type === "inline") yield* leaves(token.children ?? []);
    else if (["text", "code_inline", "code_block", "fence"].includes(token.type)) yield token;
  }
}
