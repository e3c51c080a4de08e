// The report module's public API: an Evaluation rendered for each surface.
export { type CheckRunAction, checkRunActions, RECHECK_ACTION, REQUEST_REVIEWS_ACTION } from "./actions.js";
export { type Annotation, type AnnotationLevel, annotationBatches, annotationsFor } from "./annotations.js";
export {
  type CheckRunOptions,
  type CheckRunOutput,
  checkRunOutput,
  checkRunTitle,
  failureOutput,
  GITHUB_TEXT_LIMIT,
} from "./check-run.js";
export { type JsonReport, toJson } from "./json.js";
export {
  type CheckConclusion,
  checkConclusion,
  conclusionOf,
  type ExitStatus,
  enforcedConclusion,
  exitStatus,
  type Outcome,
  wouldBlock,
} from "./outcome.js";
export {
  createRenderer,
  PAGE_TEMPLATES,
  PARTIAL_TEMPLATES,
  type Renderer,
  type RenderOptions,
  type TemplateName,
  type Templates,
} from "./templates.js";
export { renderText, type TextOptions } from "./text.js";
export { checkTitle } from "./title.js";
