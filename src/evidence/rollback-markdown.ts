// A Markdown rollback plan reduced to its headings: which sections exist, which have text, and
// the drill date under "Last tested". CommonMark parsing (mdast) means `#` lines inside code
// fences are not headings and setext (underlined) headings are.
//
// Most plans are plain Markdown (headings, paragraphs, simple lists, code fences), which
// rollback-scan.ts reads line by line far faster than a full parse; anything else goes to mdast.
// Both produce the same events for the same text (test/evidence/rollback-scan.test.ts).
import { fromMarkdown } from "mdast-util-from-markdown";
import type { LocatedError } from "../policy/located.js";
import { dateProblem } from "./dates.js";
import { dateIn, type PlanEvent, scanPlainMarkdown, type TextDate } from "./rollback-scan.js";
import type { Parsed, RollbackPlan } from "./types.js";

type Root = ReturnType<typeof fromMarkdown>;
type Block = Root["children"][number];
type Node = { type: string; value?: unknown; alt?: unknown; children?: Node[]; position?: Block["position"] };

/** Normalised for comparison: case, spacing, a trailing colon and a plural `s` do not matter. */
export function sectionKey(title: string): string {
  return title.trim().toLowerCase().replace(/\s+/g, " ").replace(/\s*:$/, "").replace(/s$/, "");
}

const LAST_TESTED = sectionKey("Last tested");

export function readMarkdownPlan(path: string, text: string): Parsed<RollbackPlan> {
  return planFromEvents(path, scanPlainMarkdown(text) ?? markdownEvents(text));
}

/** The same reading through the full CommonMark parser, whatever the text (for tests). */
export function readMarkdownPlanWithMdast(path: string, text: string): Parsed<RollbackPlan> {
  return planFromEvents(path, markdownEvents(text));
}

/** The plan's top-level blocks as events: headings, and blocks with words a reader would see. */
function* markdownEvents(text: string): Generator<PlanEvent> {
  // Only top-level headings are sections; a heading quoted inside a list or blockquote is text.
  for (const block of fromMarkdown(text).children) {
    if (block.type === "heading") {
      const title = plainText(block).trim().replace(/\s+/g, " ");
      yield { kind: "heading", depth: block.depth, title, line: block.position?.start.line ?? 1 };
    } else if (hasWords(block)) {
      yield { kind: "text", firstDate: () => firstDate(text, block) };
    }
  }
}

function planFromEvents(path: string, events: Iterable<PlanEvent>): Parsed<RollbackPlan> {
  const sections: RollbackPlan["sections"] = [];
  let lastTested: RollbackPlan["lastTested"];
  const errors: LocatedError[] = [];
  let sawLastTested = false;

  // `open` holds the sections a block belongs to: at most one heading per level.
  const open: Array<{ depth: number; section: RollbackPlan["sections"][number]; dates: boolean }> = [];
  for (const event of events) {
    if (event.kind === "heading") {
      // A section runs to the next heading of the same or a higher level, so the text of its
      // sub-sections counts as its own: "## Steps" then "### 1. Revert" and a command has text.
      while ((open.at(-1)?.depth ?? 0) >= event.depth) open.pop();
      const section = { title: event.title, line: event.line, hasText: false };
      sections.push(section);
      const dates: boolean = !sawLastTested && sectionKey(event.title) === LAST_TESTED;
      sawLastTested ||= dates;
      open.push({ depth: event.depth, section, dates });
      continue;
    }
    for (const { section } of open) section.hasText = true;
    if (lastTested === undefined && errors.length === 0 && open.some((o) => o.dates)) {
      const found = event.firstDate();
      if (!found) continue;
      const problem = dateProblem(found.date);
      if (problem)
        errors.push({ path, line: found.line, column: found.column, message: `${found.date} ${problem}` });
      else lastTested = { date: found.date, line: found.line };
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { format: "markdown", sections, ...(lastTested ? { lastTested } : {}) } };
}

/** Content a reader would see: not a heading, a rule, a link definition or an HTML comment. */
function hasWords(block: Block): boolean {
  switch (block.type) {
    case "heading":
    case "thematicBreak":
    case "definition":
      return false;
    case "html":
      return block.value.replace(/<!--[\s\S]*?(?:-->|$)/g, "").trim() !== "";
    default:
      return plainText(block).trim() !== "";
  }
}

function plainText(node: Node): string {
  if (node.type === "html") return "";
  if (typeof node.value === "string") return node.value;
  if (typeof node.alt === "string") return node.alt;
  return (node.children ?? []).map(plainText).join("");
}

/** The first YYYY-MM-DD in the visible text of `block` (HTML comments are skipped), with its position. */
function firstDate(text: string, block: Block): TextDate | undefined {
  for (const leaf of leaves([block])) {
    const start = leaf.position?.start.offset;
    const end = leaf.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const found = dateIn(text, start, end);
    if (found) return found;
  }
  return undefined;
}

function* leaves(nodes: Node[]): Generator<Node> {
  for (const node of nodes) {
    if (node.type === "html") continue;
    if (typeof node.value === "string") yield node;
    else if (node.children) yield* leaves(node.children);
  }
}
