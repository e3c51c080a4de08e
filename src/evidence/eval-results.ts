// Evaluation results in any supported format → metrics under normalised names (PRODUCT.md
// "Evidence"). `auto` recognises a format by its shape, never by guessing from values.
import type { LocatedError } from "../policy/located.js";
import { parseYaml, type YamlFile } from "../policy/yaml.js";
import { CYCLONEDX_EXPECTS, looksCycloneDx, readCycloneDx } from "./eval/cyclonedx.js";
import { startsWithFrontMatter } from "./eval/front-matter.js";
import { HF_EVAL_RESULTS_EXPECTS, looksHfEvalResults, readHfEvalResults } from "./eval/hf-eval-results.js";
import { HF_EXPECTS, readHfModelIndex } from "./eval/hf-model-index.js";
import { INSPECT_EXPECTS, looksInspect, readInspect } from "./eval/inspect.js";
import { isInspectArchivePath, looksZip, readInspectArchive } from "./eval/inspect-archive.js";
import { JUNIT_EXPECTS, looksJunit, readJunit } from "./eval/junit.js";
import { LM_EVAL_EXPECTS, looksLmEval, readLmEval } from "./eval/lm-eval.js";
import { looksNative, NATIVE_EXPECTS, readNative } from "./eval/native.js";
import { looksPromptfoo, PROMPTFOO_EXPECTS, readPromptfoo } from "./eval/promptfoo.js";
import { describeValue, failed, isRecord } from "./eval/values.js";
import { decodeUtf8 } from "./text.js";
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
  { format: "inspect", expects: INSPECT_EXPECTS, looks: looksInspect, read: readInspect },
  { format: "lm-eval", expects: LM_EVAL_EXPECTS, looks: looksLmEval, read: readLmEval },
  { format: "cyclonedx", expects: CYCLONEDX_EXPECTS, looks: looksCycloneDx, read: readCycloneDx },
  {
    format: "hf-eval-results",
    expects: HF_EVAL_RESULTS_EXPECTS,
    looks: looksHfEvalResults,
    read: (file: YamlFile) => readHfEvalResults([file]),
  },
] as const;

/**
 * What the gate read at the results path: a file's bytes (text, or an Inspect `.eval` zip), or
 * the files of a folder (`.eval_results/`), each a `*.yaml` directly in it.
 */
export type EvalEvidence =
  | { kind: "file"; bytes: Uint8Array }
  | { kind: "folder"; files: ReadonlyArray<{ path: string; bytes: Uint8Array }> };

/**
 * Reads evaluation results from what is at `path`. `limit` caps what an archive may inflate to
 * (the evidence size cap).
 */
export async function readEvalEvidence(
  path: string,
  evidence: EvalEvidence,
  format: EvalFormatOption,
  limit: number,
): Promise<EvalParsed> {
  if (evidence.kind === "folder") return readEvalResultsFolder(path, evidence.files, format);
  const { bytes } = evidence;
  if (looksZip(bytes) || isInspectArchivePath(path)) {
    if (format === "auto" || format === "inspect") return readInspectArchive(path, bytes, limit);
    return wrongFormat(path, format, "inspect", "an Inspect .eval archive");
  }
  const text = decodeUtf8(path, bytes);
  if (!text.ok) return failed([text.error]);
  return readEvalResults(path, text.text, format);
}

/** Every `*.yaml` of a `.eval_results/` folder, read as one set of results. */
function readEvalResultsFolder(
  path: string,
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
  format: EvalFormatOption,
): EvalParsed {
  if (format !== "auto" && format !== "hf-eval-results") {
    return wrongFormat(
      path,
      format,
      "hf-eval-results",
      "a folder, which only hf-eval-results (.eval_results/*.yaml) can be",
    );
  }
  const parsed: YamlFile[] = [];
  const errors: LocatedError[] = [];
  for (const file of files) {
    const text = decodeUtf8(file.path, file.bytes);
    if (!text.ok) {
      errors.push(text.error);
      continue;
    }
    const yaml = parseYaml(file.path, text.text);
    if (yaml.ok) parsed.push(yaml.file);
    else errors.push(...yaml.errors);
  }
  if (errors.length > 0) return failed(errors);
  if (parsed.length === 0) {
    return failed([{ path, line: 1, column: 1, message: `${path} holds no *.yaml results file` }]);
  }
  return readHfEvalResults(parsed);
}

function wrongFormat(path: string, format: EvalFormatOption, detected: EvalFormat, what: string): EvalParsed {
  return {
    ...failed([
      {
        path,
        line: 1,
        column: 1,
        message: `the policy says format: ${format}, but ${path} is ${what}; set format: ${detected} (or auto)`,
      },
    ]),
    wrongFormat: { wanted: format, detected },
  };
}

export function readEvalResults(path: string, text: string, format: EvalFormatOption): EvalParsed {
  if (text.trim() === "") {
    return failed([{ path, line: 1, column: 1, message: "the evaluation results file is empty" }]);
  }
  if (format === "hf-model-index" || (format === "auto" && /\.(md|markdown)$/i.test(path))) {
    return readHfModelIndex(path, text);
  }
  if (format === "junit" || (format === "auto" && looksJunit(path, text))) return readJunit(path, text);
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
  const tried = [
    ...STRUCTURED,
    { format: "hf-model-index", expects: HF_EXPECTS },
    { format: "junit", expects: JUNIT_EXPECTS },
  ]
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
