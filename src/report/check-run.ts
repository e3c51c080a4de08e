// Everything the check run shows, ready for `checks.create`/`checks.update` (annotations are
// sent in batches of 50 by the app with `annotationBatches`).
import type { Evaluation } from "../engine/types.js";
import { type CheckRunAction, checkRunActions } from "./actions.js";
import { type Annotation, annotationsFor } from "./annotations.js";
import { type CheckConclusion, checkConclusion, checkTitle } from "./conclusion.js";
import type { Renderer } from "./templates.js";

/** GitHub's cap on `output.summary` and `output.text`. */
export const GITHUB_TEXT_LIMIT = 65_535;

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
