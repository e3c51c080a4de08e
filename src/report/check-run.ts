// Everything the check run shows, ready for `checks.create`/`checks.update` (annotations are
// sent in batches of 50 by the app with `annotationBatches`): an evaluation's report, or the
// notice that the evaluation could not be done.
import type { Evaluation } from "../engine/types.js";
import { type CheckRunAction, checkRunActions, RECHECK_ACTION } from "./actions.js";
import { type Annotation, annotationsFor } from "./annotations.js";
import { clip } from "./escape.js";
import { type CheckConclusion, checkConclusion, conclusionOf } from "./outcome.js";
import type { Renderer } from "./templates.js";
import { checkTitle } from "./title.js";

/** GitHub's cap on `output.summary` and `output.text`. */
export const GITHUB_TEXT_LIMIT = 65_535;

/** A check run title within GitHub's cap of 255 characters. */
export function checkRunTitle(title: string): string {
  return clip(title, 255);
}

export interface CheckRunOptions {
  /** The details page, linked when rows had to be left out. */
  detailsUrl?: string;
  maxChars?: number;
}

export interface CheckRunOutput {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
  actions: CheckRunAction[];
}

export function checkRunOutput(
  e: Evaluation,
  renderer: Renderer,
  options: CheckRunOptions = {},
): CheckRunOutput {
  const limits = { detailsUrl: options.detailsUrl, maxChars: options.maxChars ?? GITHUB_TEXT_LIMIT };
  const output: CheckRunOutput = {
    conclusion: checkConclusion(e),
    title: checkTitle(e),
    summary: renderer.renderMarkdown(e, limits),
    annotations: annotationsFor(e),
    actions: checkRunActions(e),
  };
  // The details only say more when there are artifacts whose gates the summary table compresses.
  if (e.artifacts.length > 0) output.text = renderer.renderDetails(e, limits);
  return output;
}

/**
 * "Could not be evaluated": replaces whatever stood on the head, so no earlier success counts.
 * Under an advisory policy it is `neutral`, like every other result there.
 */
export function failureOutput(message: string, enforcement: Evaluation["enforcement"]): CheckRunOutput {
  return {
    conclusion: conclusionOf("error", enforcement),
    title: checkRunTitle(`Readiness could not be evaluated: ${message}`),
    summary: [
      "Readiness could not be evaluated, so no earlier result counts for this commit.",
      "",
      `> ${message.replace(/\n/g, " ")}`,
      "",
      "Press **Re-check** or comment `/readiness recheck` to try again; if it keeps failing, report this message.",
    ].join("\n"),
    annotations: [],
    actions: [RECHECK_ACTION],
  };
}
