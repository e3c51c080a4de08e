// `check --format`: the same Evaluation as the terminal text, the documented JSON, or the check
// run's Markdown summary.
import { readTemplates } from "../assets/templates.js";
import type { Evaluation } from "../engine/types.js";
import { createRenderer, renderText, toJson } from "../report/index.js";

export const FORMATS = ["text", "json", "markdown"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function renderEvaluation(e: Evaluation, format: ReportFormat, color = false): string {
  const out =
    format === "json"
      ? JSON.stringify(toJson(e), null, 2)
      : format === "markdown"
        ? createRenderer(readTemplates()).renderMarkdown(e)
        : renderText(e, { color });
  return out.endsWith("\n") ? out : `${out}\n`;
}
