// Evaluation results in any supported format → metrics under normalised names (PRODUCT.md
// "Evidence"). `auto` recognises a format by its shape, never by guessing from values.
import type { LocatedError } from "../policy/located.js";
import { parseYaml } from "../policy/yaml.js";
import { startsWithFrontMatter } from "./eval/front-matter.js";
import { HF_EXPECTS, readHfModelIndex } from "./eval/hf-model-index.js";
import { LM_EVAL_EXPECTS, looksLmEval, readLmEval } from "./eval/lm-eval.js";
import { looksNative, NATIVE_EXPECTS, readNative } from "./eval/native.js";
import { looksPromptfoo, PROMPTFOO_EXPECTS, readPromptfoo } from "./eval/promptfoo.js";
import { describeValue, failed, isRecord } from "./eval/values.js";
import type { EvalFormat, EvalResults, Parsed } from "./types.js";

export { normaliseMetricName } from "./eval/metric-name.js";

export type EvalFormatOption = "auto" | EvalFormat;

/**
 * Why a results file was not read as the policy's `format`: `auto` recognised none of the formats
 * (no `detected`), or the file is recognisably another format than the one the policy names.
 */
export interface WrongFormat {
  wanted: EvalFormatOption;
  detected?: EvalFormat;
}

export type EvalParsed =
  | Parsed<EvalResults>
  | { ok: false; errors: LocatedError[]; wrongFormat: WrongFormat };

/** The formats read from YAML/JSON, in the order `auto` tries them. */
const STRUCTURED = [
  { format: "native", expects: NATIVE_EXPECTS, looks: looksNative, read: readNative },
  { format: "promptfoo", expects: PROMPTFOO_EXPECTS, looks: looksPromptfoo, read: readPromptfoo },
  { format: "lm-eval", expects: LM_EVAL_EXPECTS, looks: looksLmEval, read: readLmEval },
] as const;

export function readEvalResults(path: string, text: string, format: EvalFormatOption): EvalParsed {
  if (text.trim() === "") {
    return failed([{ path, line: 1, column: 1, message: "the evaluation results file is empty" }]);
  }
  if (format === "hf-model-index" || (format === "auto" && /\.(md|markdown)$/i.test(path))) {
    return readHfModelIndex(path, text);
  }
  const parsed = parseYaml(path, text, { largeJson: true });
  // A model card under another name: front matter followed by Markdown is not one YAML document.
  const cardLike = format === "auto" && startsWithFrontMatter(text);
  if (!parsed.ok) return cardLike ? readHfModelIndex(path, text) : parsed;
  const value = parsed.file.value;
  const detected = STRUCTURED.find((candidate) => candidate.looks(value));
  if (format === "auto") {
    if (detected) return detected.read(parsed.file);
    if (cardLike) return readHfModelIndex(path, text);
    return { ...failed([unknownShape(path, value)]), wrongFormat: { wanted: format } };
  }
  const wanted = STRUCTURED.find((candidate) => candidate.format === format);
  if (!wanted) return failed([{ path, line: 1, column: 1, message: `unknown results format "${format}"` }]);
  if (detected && detected !== wanted) {
    // Said explicitly, so say plainly that the file is another format rather than list its missing keys.
    return {
      ...failed([
        {
          path,
          line: 1,
          column: 1,
          message: `the policy says format: ${format}, but ${path} looks like ${detected.format} results; set format: ${detected.format} (or auto). ${format} expects ${wanted.expects}`,
        },
      ]),
      wrongFormat: { wanted: format, detected: detected.format },
    };
  }
  return wanted.read(parsed.file);
}

function unknownShape(path: string, value: unknown): LocatedError {
  const tried = [...STRUCTURED, { format: "hf-model-index", expects: HF_EXPECTS }]
    .map((candidate) => `${candidate.format} (${candidate.expects})`)
    .join("; ");
  return {
    path,
    line: 1,
    column: 1,
    message: `unknown evaluation results format: found ${found(value)}. Tried ${tried}`,
  };
}

function found(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (!isRecord(value)) return describeValue(value);
  const keys = Object.keys(value);
  const shown = keys.slice(0, 8).join(", ") + (keys.length > 8 ? ", …" : "");
  return keys.length > 0 ? `a map with keys ${shown}` : "an empty map";
}
