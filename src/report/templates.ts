// Markdown rendering from the handlebars templates in `templates/` (read at the edge by
// `src/assets/templates.ts`). Helpers do all escaping: templates compile with `noEscape`
// because HTML entities would show literally inside Markdown code spans.
import Handlebars from "handlebars";
import type { Evaluation, GateStatus } from "../engine/types.js";
import { markdownCode, markdownText } from "./escape.js";
import { fitWithin } from "./fit.js";
import { buildView, type ReportView } from "./view.js";
import { plural, STATUS_EMOJI, STATUS_WORD } from "./words.js";

/** Pages rendered on their own. */
export const PAGE_TEMPLATES = ["summary", "text", "release"] as const;
/** Pieces the pages include with `{{> name}}`. */
export const PARTIAL_TEMPLATES = ["gate", "approval", "hidden"] as const;

export type TemplateName = (typeof PAGE_TEMPLATES)[number] | (typeof PARTIAL_TEMPLATES)[number];
/** Template sources by name; `templates/<name>.md.hbs` on disk. */
export type Templates = Record<TemplateName, string>;

export interface RenderOptions {
  /** Linked from the "more items not shown" line. */
  detailsUrl?: string;
  /** Cap in UTF-8 bytes; rows are dropped from the end of each list to fit. Unlimited by default. */
  maxChars?: number;
}

export interface Renderer {
  /** The summary: verdict, artifacts × gates table, what to fix, approvals, errors, policy. */
  renderMarkdown(e: Evaluation, options?: RenderOptions): string;
  /** The details: every gate of every artifact, passing and skipped ones with their reasons and notes. */
  renderDetails(e: Evaluation, options?: RenderOptions): string;
}

function list(values: unknown, format: (value: string) => string): string {
  return Array.isArray(values) ? values.map((value) => format(String(value))).join(", ") : "";
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper("text", (value: unknown) => markdownText(String(value)));
  hb.registerHelper("cell", (value: unknown) => markdownText(String(value), { inTable: true }));
  hb.registerHelper("code", (value: unknown) => markdownCode(String(value)));
  hb.registerHelper("cellCode", (value: unknown) => markdownCode(String(value), { inTable: true }));
  hb.registerHelper("codes", (values: unknown) => list(values, (value) => markdownCode(value)));
  hb.registerHelper("mentions", (values: unknown) => list(values, (value) => markdownText(value)));
  hb.registerHelper("emoji", (status: GateStatus) => STATUS_EMOJI[status]);
  hb.registerHelper("word", (status: GateStatus) => STATUS_WORD[status]);
  hb.registerHelper("status", (status: GateStatus) => `${STATUS_EMOJI[status]} ${STATUS_WORD[status]}`);
  hb.registerHelper("plural", (count: number, word: string) => plural(count, word));
  hb.registerHelper("number", (count: number) => count.toLocaleString("en-US"));
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  // Parentheses would end a Markdown link early.
  hb.registerHelper("url", (value: unknown) =>
    encodeURI(String(value)).replace(/[()]/g, (char) => (char === "(" ? "%28" : "%29")),
  );
}

export function createRenderer(templates: Templates): Renderer {
  const hb = Handlebars.create();
  registerHelpers(hb);
  for (const name of PARTIAL_TEMPLATES) {
    hb.parse(templates[name]);
    hb.registerPartial(name, templates[name]);
  }
  // Only our helpers and the built-in blocks exist, so helper calls compile to direct calls
  // instead of a lookup per use (an unknown helper is then a compile error, not a render error).
  const knownHelpers = Object.fromEntries(Object.keys(hb.helpers).map((name) => [name, true]));
  const compile = (source: string) => {
    hb.parse(source); // syntax errors surface when the renderer is created, not on the first event
    return hb.compile<ReportView>(source, {
      noEscape: true,
      strict: true,
      knownHelpers,
      knownHelpersOnly: true,
    });
  };
  const summary = compile(templates.summary);
  const details = compile(templates.text);

  // The summary and the details of one evaluation read the same view: it is built once.
  let last: { e: Evaluation; limit: number; detailsUrl: string | undefined; view: ReportView } | undefined;
  const viewOf = (e: Evaluation, limit: number, detailsUrl: string | undefined): ReportView => {
    if (last?.e !== e || last.limit !== limit || last.detailsUrl !== detailsUrl) {
      last = { e, limit, detailsUrl, view: buildView(e, { limit, detailsUrl }) };
    }
    return last.view;
  };

  const render = (page: Handlebars.TemplateDelegate<ReportView>, e: Evaluation, options: RenderOptions) => {
    const at = (limit: number) => page(viewOf(e, limit, options.detailsUrl));
    if (options.maxChars === undefined) return at(Number.POSITIVE_INFINITY);
    const rows = Math.max(e.artifacts.length, e.errors.length, e.warnings.length);
    return fitWithin(at, rows, options.maxChars);
  };

  return {
    renderMarkdown: (e, options = {}) => render(summary, e, options),
    renderDetails: (e, options = {}) => render(details, e, options),
  };
}
