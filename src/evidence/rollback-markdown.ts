// A Markdown rollback plan reduced to its headings: which sections exist, which have text, and
// the drill date under "Last tested". CommonMark parsing (mdast) means `#` lines inside code
// fences are not headings and setext (underlined) headings are.
import { fromMarkdown } from "mdast-util-from-markdown";
import type { LocatedError } from "../policy/located.js";
import { dateProblem } from "./dates.js";
import type { Parsed, RollbackPlan } from "./types.js";

type Root = ReturnType<typeof fromMarkdown>;
type Block = Root["children"][number];
type Node = { type: string; value?: unknown; alt?: unknown; children?: Node[]; position?: Block["position"] };

const DATE = /(?<![\d-])\d{4}-\d{2}-\d{2}(?!\d)/;

/** Normalised for comparison: case, spacing, a trailing colon and a plural `s` do not matter. */
export function sectionKey(title: string): string {
  return title.trim().toLowerCase().replace(/\s+/g, " ").replace(/\s*:$/, "").replace(/s$/, "");
}

export function readMarkdownPlan(path: string, text: string): Parsed<RollbackPlan> {
  const blocks = fromMarkdown(text).children;
  const sections: RollbackPlan["sections"] = [];
  let lastTested: RollbackPlan["lastTested"];
  const errors: LocatedError[] = [];
  let sawLastTested = false;

  // Only top-level headings are sections; a heading quoted inside a list or blockquote is text.
  // `open` holds the sections a block belongs to: at most one heading per level.
  const open: Array<{ depth: number; section: RollbackPlan["sections"][number]; dates: boolean }> = [];
  for (const block of blocks) {
    if (block.type === "heading") {
      // A section runs to the next heading of the same or a higher level, so the text of its
      // sub-sections counts as its own: "## Steps" then "### 1. Revert" and a command has text.
      while ((open.at(-1)?.depth ?? 0) >= block.depth) open.pop();
      const title = plainText(block).trim().replace(/\s+/g, " ");
      const section = { title, line: block.position?.start.line ?? 1, hasText: false };
      sections.push(section);
      const dates: boolean = !sawLastTested && sectionKey(title) === sectionKey("Last tested");
      sawLastTested ||= dates;
      open.push({ depth: block.depth, section, dates });
      continue;
    }
    if (!hasWords(block)) continue;
    for (const { section } of open) section.hasText = true;
    if (lastTested === undefined && errors.length === 0 && open.some((o) => o.dates)) {
      const found = firstDate(text, block);
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
function firstDate(text: string, block: Block): { date: string; line: number; column: number } | undefined {
  for (const leaf of leaves([block])) {
    const start = leaf.position?.start.offset;
    const end = leaf.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const match = DATE.exec(text.slice(start, end));
    if (!match) continue;
    const offset = start + match.index;
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    const line = text.slice(0, offset).split("\n").length;
    return { date: match[0], line, column: offset - lineStart + 1 };
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
