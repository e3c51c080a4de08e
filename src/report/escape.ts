// User-controlled text (paths, reasons, rule names) must never change the layout it is placed in:
// no newline may end a list item or table row, no `|` may split a cell, no tag or escape code
// may reach a browser or a terminal.

/** Longest piece of user text shown in one place; a longer one is cut with an ellipsis. */
export const MAX_TEXT = 1000;

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\t]/g;
// C0 and C1 controls (ESC starts terminal escape sequences), kept out of every output.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` cut to at most `max` characters, the last one an ellipsis when it was longer. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line of plain text: line breaks become spaces, control characters go, long text is cut. */
export function oneLine(text: string, max = MAX_TEXT): string {
  return clip(text.replace(LINE_BREAKS, " ").replace(CONTROLS, ""), max);
}

interface Piece {
  code: boolean;
  text: string;
  fence: string;
}

/** Splits text into plain runs and CommonMark code spans (a backtick run closed by one of equal length). */
function splitCodeSpans(text: string): Piece[] {
  const pieces: Piece[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "`") {
      i++;
      continue;
    }
    const open = runEnd(text, i);
    const fence = text.slice(i, open);
    const close = findClosingRun(text, open, fence.length);
    if (close < 0) {
      i = open;
      continue;
    }
    pieces.push({ code: false, text: text.slice(plainStart, i), fence: "" });
    pieces.push({ code: true, text: text.slice(open, close), fence });
    i = close + fence.length;
    plainStart = i;
  }
  pieces.push({ code: false, text: text.slice(plainStart), fence: "" });
  return pieces.filter((piece) => piece.code || piece.text !== "");
}

function runEnd(text: string, start: number): number {
  let end = start;
  while (text[end] === "`") end++;
  return end;
}

function findClosingRun(text: string, from: number, length: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== "`") {
      i++;
      continue;
    }
    const end = runEnd(text, i);
    if (end - i === length) return i;
    i = end;
  }
  return -1;
}

function escapePlain(text: string, inTable: boolean): string {
  const escaped = text
    .replace(/[\\`*[]/g, (char) => `\\${char}`)
    // `pass_rate` cannot turn italic (GFM ignores intraword underscores), `_x_` can.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
  return inTable ? escaped.replace(/\|/g, "\\|") : escaped;
}

/**
 * Inline Markdown for text that may carry code spans (reasons and fixes name files and commands
 * in backticks): code spans are kept, everything else is shown literally.
 */
export function markdownText(text: string, options: { inTable?: boolean; max?: number } = {}): string {
  const inTable = options.inTable ?? false;
  return splitCodeSpans(oneLine(text, options.max))
    .map((piece) => {
      // GFM splits table cells before it parses code spans, so a `\` before a `|` inside a code
      // span would unescape the pipe: such a span is shown as plain text instead.
      if (!piece.code || (inTable && piece.text.includes("\\"))) return escapePlain(piece.text, inTable);
      const body = inTable ? piece.text.replace(/\|/g, "\\|") : piece.text;
      return `${piece.fence}${body}${piece.fence}`;
    })
    .join("");
}

/** A code span around any text (paths, roots): the fence is longer than any backtick run inside. */
export function markdownCode(text: string, options: { inTable?: boolean; max?: number } = {}): string {
  const flat = oneLine(text, options.max);
  if (flat === "") return "";
  if (options.inTable && flat.includes("\\")) return escapePlain(flat, true);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || /^ .* $/.test(flat) ? " " : "";
  const body = options.inTable ? flat.replace(/\|/g, "\\|") : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}
