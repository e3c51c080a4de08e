// Plain Markdown rollback plans, read line by line: the fast path of rollback-markdown.ts.
//
// "Plain" is a subset of CommonMark in which each line's role can be told from the line alone:
// ATX headings (`## Steps`) at the start of a line, paragraphs, bullet and numbered lists of
// text, and code fences at the top level. A plan that uses anything else — setext headings,
// quotes, rules, HTML, links, escapes, entities, tabs in indentation… — makes the scanner give
// up (undefined) and the caller parses it with markdown-it. Giving up is always safe, reading a
// line differently from CommonMark is not, so every rule below errs towards giving up.
//
// The scanner yields the same events as the full CommonMark reading: a heading, or text with
// words that a reader would see. It yields one text event per line where the parser yields one
// per block; the reading is the same, since a heading always ends a block and a date never
// spans two lines. Every step is linear in the line (no regex that retries at each blank).

/** A date found in the text, with its position (1-based). */
export interface TextDate {
  date: string;
  line: number;
  column: number;
}

export type PlanEvent =
  | { kind: "heading"; depth: number; title: string; line: number }
  | { kind: "text"; firstDate: () => TextDate | undefined; text?: () => string };

const DATE = /(?<![\d-])\d{4}-\d{2}-\d{2}(?!\d)/;

/** An ATX heading at the start of the line: 1 to 6 `#`, then a space, a tab or the line's end. */
const ATX = /^(#{1,6})(?=[ \t]|$)(.*)$/;
/** A code fence opening at the start of the line, with its info string. */
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`+|~+)[ \t]*$/;
/** A list item's marker and the spaces after it, when text follows on the line. */
const LIST_ITEM = /^ *(?:[-+*]|\d{1,9}[.)]) {1,4}(?=\S)/;
/**
 * What could start another block than a paragraph — a heading, quote, list, setext underline,
 * fence, HTML or link definition — or be read as one in a list item. A `*` or `_` followed by
 * text is emphasis, and one or two backticks are code: those lines are paragraphs.
 */
const BLOCK_START = /^(?:[#>+=<[-]|```|~~~|\d{1,9}[.)](?:[ \t]|$)|[*_](?:[ \t]|$))/;
/** A thematic break (`***`, `- - -`, `___`). */
const RULE = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ENTITY = "&(?:#\\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});";
/** Inline syntax that can hide or change text: escapes, links, images, HTML, entities. */
const INLINE_SPECIAL = new RegExp(`[\\\\[\\]<]|${ENTITY}`);
/** In a title, emphasis and code marks too: the title is compared as plain text. */
const TITLE_SPECIAL = new RegExp(`[\\\\[\\]<\`*_]|${ENTITY}`);
/** A character that stays visible text (emphasis and code marks may not). */
const WORD = /[^\s`*_]/;

/** A text event of the scanner: a span of the document, read only when asked (one object a line). */
class TextSpan {
  readonly kind = "text";
  constructor(
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
  ) {}
  firstDate(): TextDate | undefined {
    return dateIn(this.source, this.start, this.end);
  }
  text(): string {
    return this.source.slice(this.start, this.end);
  }
}

/** The plan's events, or undefined when the text is not plain Markdown as defined above. */
export function scanPlainMarkdown(text: string): PlanEvent[] | undefined {
  // A byte order mark, a NUL (read as U+FFFD) and a lone CR (a line break) are rare: leave them to the parser.
  if (/^\uFEFF|\0|\r(?!\n)/.test(text)) return undefined;
  const events: PlanEvent[] = [];
  const textBetween = (start: number, end: number): PlanEvent => new TextSpan(text, start, end);
  let fence: { marks: string; start: number; words: boolean } | undefined;
  let inList = false;
  let afterBlank = false;
  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, text.charCodeAt(end - 1) === 13 && end > start ? end - 1 : end);
    const lineStart = start;
    lineNumber += 1;
    start = end + 1;

    if (fence) {
      const close = FENCE_CLOSE.exec(line)?.[1];
      if (close && close[0] === fence.marks[0] && close.length >= fence.marks.length) {
        // The code block, fences included, is one block to the parser: a date in the info string counts.
        if (fence.words) events.push(textBetween(fence.start, lineStart + line.length));
        fence = undefined;
      } else if (/\S/.test(line)) {
        fence.words = true;
      }
      continue;
    }
    if (/^[ \t]*$/.test(line)) {
      afterBlank = true;
      continue;
    }
    const wasBlank = afterBlank;
    afterBlank = false;
    if (/^ *\t/.test(line)) return undefined; // tabs in the indentation: columns get subtle

    const first = line[0];
    const heading = first === "#" ? ATX.exec(line) : null;
    if (heading) {
      const title = headingTitle(heading[2] as string);
      if (title === undefined) return undefined;
      events.push({ kind: "heading", depth: (heading[1] as string).length, title, line: lineNumber });
      inList = false; // a heading at the start of a line closes any list
      continue;
    }
    // After a blank line, a line at the start of the line that is no list item closes the list.
    if (inList && wasBlank && !line.startsWith(" ") && !LIST_ITEM.test(line)) inList = false;

    const opening = first === "`" || first === "~" ? FENCE_OPEN.exec(line) : null;
    if (opening) {
      const marks = opening[1] as string;
      // In a list the fence may belong to an item; a backtick in a backtick fence's info string
      // makes it inline code instead.
      if (inList || (marks[0] === "`" && (opening[2] as string).includes("`"))) return undefined;
      fence = { marks, start: lineStart, words: false };
      continue;
    }
    const item = LIST_ITEM.exec(line)?.[0];
    if (item) inList = true;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent += 1;
    const content = line.slice(item ? item.length : indent);
    const other = BLOCK_START.test(content) || RULE.test(content);
    if (other || INLINE_SPECIAL.test(content) || !WORD.test(content)) return undefined;
    events.push(textBetween(lineStart, lineStart + line.length));
  }
  // An unclosed fence runs to the end of the file; rare enough to leave to the parser.
  return fence ? undefined : events;
}

/** An ATX heading's text without its optional closing `#`s; undefined unless it is plain text. */
function headingTitle(rest: string): string | undefined {
  // Loops, not /[ \t]+$/ or /[ \t]+#+$/: a regex tried at each blank of a long run is quadratic.
  let start = 0;
  let end = rest.length;
  while (start < end && isBlank(rest.charCodeAt(start))) start += 1;
  while (end > start && isBlank(rest.charCodeAt(end - 1))) end -= 1;
  // A closing sequence is `#`s after a blank, or the whole content.
  let hashes = end;
  while (hashes > start && rest.charCodeAt(hashes - 1) === HASH) hashes -= 1;
  if (hashes === start) end = start;
  else if (hashes < end && isBlank(rest.charCodeAt(hashes - 1))) {
    end = hashes;
    while (end > start && isBlank(rest.charCodeAt(end - 1))) end -= 1;
  }
  const content = rest.slice(start, end);
  if (TITLE_SPECIAL.test(content)) return undefined;
  return content.trim().replace(/\s+/g, " ");
}

const HASH = 35;

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** The first YYYY-MM-DD in `text` between two offsets, with its line and column. */
export function dateIn(text: string, start: number, end: number): TextDate | undefined {
  const match = DATE.exec(text.slice(start, end));
  if (!match) return undefined;
  const offset = start + match.index;
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) line += 1;
  return { date: match[0], line, column: offset - lineStart + 1 };
}
