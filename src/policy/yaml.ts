// YAML (and JSON, which YAML 1.2 reads) with positions, so every error can name its line and
// column. Shared by the policy loader and the evidence readers.
//
// Two fast paths skip building a YAML document, which costs many times more than the file's
// value: JSON (JSON.parse, and a light scan for positions: json-positions.ts) and flat YAML, the
// shape of most small evidence files (yaml-flat.ts). Each gives up on anything it does not
// fully handle — invalid input, a repeated key, anything unusual — and the YAML parser reads it,
// so every error and its location is exactly the YAML parser's.
//
// Every step is linear in the text, and reading is synchronous, so the sizes read are capped to
// keep one file from holding the event loop: the YAML parser takes about a millisecond per few
// kilobytes, so YAML (and JSON, except evaluation results) is read up to YAML_SIZE_LIMIT.
// Evaluation results (promptfoo writes every output) are read as plain JSON up to the evidence
// size limit and JSON_VALUE_LIMIT values, counted before anything is parsed.
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
} from "yaml";
import { indexJson, type JsonRefusal, jsonValuesExceed } from "./json-positions.js";
import type { LocatedError } from "./located.js";
import { type LinePositions, lazyLines, lineCounter, offsetAt, type PositionNode } from "./positions.js";
import { checkNodes } from "./yaml-checks.js";
import { parseFlatYaml } from "./yaml-flat.js";

/** The most bytes of YAML, or of JSON other than large evaluation results, that is read. */
export const YAML_SIZE_LIMIT = 128 * 1024;
/** Large JSON (evaluation results) is read up to this many values and keys. */
export const JSON_VALUE_LIMIT = 250_000;
/** A file with more errors than this lists these and counts the rest. */
const MAX_ERRORS = 50;

type KeyPath = ReadonlyArray<string | number>;

export interface YamlFile {
  path: string;
  /** The plain value, present when the document parsed without errors. */
  value: unknown;
  /** The offset of the node at `keyPath` (see `locate`), from the YAML document or a fast path. */
  offsetOf: (keyPath: KeyPath, key: boolean) => number;
  lines: LinePositions;
}

export type YamlResult = { ok: true; file: YamlFile } | { ok: false; errors: LocatedError[] };

export interface YamlOptions {
  /** Read JSON of up to the evidence size limit and JSON_VALUE_LIMIT values (evaluation results). */
  largeJson?: boolean;
}

export function parseYaml(path: string, text: string, options: YamlOptions = {}): YamlResult {
  const bytes = text.length <= YAML_SIZE_LIMIT / 3 ? 0 : Buffer.byteLength(text);
  const large = bytes > YAML_SIZE_LIMIT;
  if (large && !options.largeJson) {
    return tooLarge(
      path,
      `the file is ${bytes} bytes; YAML and JSON files are read up to ${YAML_SIZE_LIMIT} bytes`,
    );
  }
  if (large && jsonValuesExceed(text, JSON_VALUE_LIMIT)) {
    return tooLarge(
      path,
      `the file holds more than ${JSON_VALUE_LIMIT} values; JSON is read up to that many`,
    );
  }
  const json = readJson(text);
  if ("root" in json) return jsonResult(path, text, json);
  if (large) return { ok: false, errors: [tooLargeForYaml(path, text, bytes, json)] };
  return parseFlat(path, text) ?? parseYamlDocument(path, text);
}

function tooLarge(path: string, message: string): YamlResult {
  return { ok: false, errors: [{ path, line: 1, column: 1, message }] };
}

/** The flat-YAML fast path (yaml-flat.ts); undefined when the text is not that simple. */
export function parseFlat(path: string, text: string): YamlResult | undefined {
  const flat = parseFlatYaml(text);
  if (!flat) return undefined;
  const { value, root } = flat;
  return {
    ok: true,
    file: { path, value, lines: lazyLines(text), offsetOf: (keyPath, key) => offsetAt(root, keyPath, key) },
  };
}

/**
 * The JSON fast path; undefined when the text is not plain JSON (YAML, invalid JSON, a repeated
 * key) or could read differently as YAML (a lone `\r`, which YAML counts as a line break).
 */
export function parseJson(path: string, text: string): YamlResult | undefined {
  const json = readJson(text);
  return "root" in json ? jsonResult(path, text, json) : undefined;
}

/** Why text is not read by the JSON path: not JSON at all, or JSON the path leaves to YAML. */
type NotPlainJson = { notJson: true } | { invalid: string } | { loneCr: true } | JsonRefusal;

function readJson(text: string): { value: unknown; root: PositionNode } | NotPlainJson {
  const first = text.match(/^[ \t\r\n]*(.)/)?.[1];
  if (first !== "{" && first !== "[") return { notJson: true };
  if (/\r(?!\n)/.test(text)) return { loneCr: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { invalid: (e as Error).message };
  }
  const index = indexJson(text);
  return "root" in index ? { value, root: index.root } : index;
}

function jsonResult(path: string, text: string, json: { value: unknown; root: PositionNode }): YamlResult {
  const { value, root } = json;
  return {
    ok: true,
    file: { path, value, lines: lazyLines(text), offsetOf: (keyPath, key) => offsetAt(root, keyPath, key) },
  };
}

/** The error for a file too large for the YAML parser, at the JSON problem when there is one. */
function tooLargeForYaml(path: string, text: string, bytes: number, json: NotPlainJson): LocatedError {
  const limits = `YAML is read up to ${YAML_SIZE_LIMIT} bytes, larger results only as plain JSON`;
  if ("repeatedKeyAt" in json) {
    const at = lineCounter(text).linePos(json.repeatedKeyAt);
    return { path, line: at.line, column: at.col, message: `duplicate key: each key may appear only once` };
  }
  const why =
    "notJson" in json
      ? "is not JSON"
      : "invalid" in json
        ? `is not valid JSON (${json.invalid.split("\n")[0]})`
        : "loneCr" in json
          ? "has a carriage return without a line feed, which YAML and JSON read differently"
          : "nests deeper than 256 levels";
  return { path, line: 1, column: 1, message: `the file is ${bytes} bytes and ${why}: ${limits}` };
}

/** The YAML parser alone, without the fast paths (exported for the tests that compare them). */
export function parseYamlDocument(path: string, text: string): YamlResult {
  const lines = new LineCounter();
  // Repeated keys and aliases are checked by checkNodes, in linear time (see yaml-checks.ts).
  const doc = withoutStacks(() =>
    parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false }),
  );
  const checked = checkNodes(doc);
  const problems = withDuplicates(
    doc.errors.map((e) => ({ offset: e.pos[0], message: yamlMessage(e.code, e.message) })),
    checked.duplicates.sort((a, b) => a - b),
  );
  if (checked.alias) problems.push(checked.alias);
  if (problems.length > 0) return { ok: false, errors: located(path, lines, problems) };
  try {
    // checkNodes has bounded the aliases; the parser's own count walks the document per alias.
    const value = doc.toJS({ maxAliasCount: -1 });
    return {
      ok: true,
      file: { path, value, lines, offsetOf: (keyPath, key) => yamlOffset(doc, keyPath, key) },
    };
  } catch (e) {
    return {
      ok: false,
      errors: [{ path, line: 1, column: 1, message: `cannot read YAML: ${(e as Error).message}` }],
    };
  }
}

/**
 * Runs `read` with errors made without a stack trace. The parser makes an Error object for each
 * problem it finds, tens of thousands in a malformed file, and capturing each one's stack was
 * most of the time spent; its errors are reported by their offset, never by their stack.
 */
function withoutStacks<T>(read: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const DUPLICATE_KEY = "duplicate key: each key may appear only once";

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return DUPLICATE_KEY;
  if (code === "RESOURCE_EXHAUSTION") return "the document nests too deeply to read";
  return message.split("\n")[0] ?? message;
}

type Problem = { offset: number; message: string };

/** The parser's errors with the repeated keys among them, in the order of the text. */
function withDuplicates(errors: Problem[], duplicates: number[]): Problem[] {
  if (duplicates.length === 0) return errors;
  const merged: Problem[] = [];
  let d = 0;
  for (const error of errors) {
    for (; d < duplicates.length && (duplicates[d] as number) < error.offset; d++) {
      merged.push({ offset: duplicates[d] as number, message: DUPLICATE_KEY });
    }
    merged.push(error);
  }
  for (; d < duplicates.length; d++) merged.push({ offset: duplicates[d] as number, message: DUPLICATE_KEY });
  return merged;
}

/** Located errors, the first MAX_ERRORS of them and a count of the rest. */
function located(path: string, lines: LineCounter, problems: Problem[]): LocatedError[] {
  return firstErrors(
    problems.slice(0, MAX_ERRORS + 1).map(({ offset, message }) => {
      const at = lines.linePos(offset);
      return { path, line: at.line, column: at.col, message };
    }),
    problems.length,
  );
}

/**
 * The first MAX_ERRORS of `errors`, and one more that counts the rest: a file with thousands of
 * mistakes is fixed from the top, and every error costs a line in the check run.
 */
export function firstErrors(errors: LocatedError[], total = errors.length): LocatedError[] {
  if (total <= MAX_ERRORS) return errors;
  const next = errors[MAX_ERRORS] as LocatedError;
  return [...errors.slice(0, MAX_ERRORS), { ...next, message: `and ${total - MAX_ERRORS} more errors` }];
}

/**
 * The position of the node at `keyPath` (object keys and array indexes). When the path goes
 * deeper than the document (a missing key), the nearest existing ancestor is returned. With
 * `key: true` the position of the map key is returned instead of its value.
 */
export function locate(
  file: YamlFile,
  keyPath: KeyPath,
  options: { key?: boolean } = {},
): { line: number; column: number } {
  const at = file.lines.linePos(file.offsetOf(keyPath, options.key ?? false));
  return { line: at.line, column: at.col };
}

// Each map's first pair per key, indexed once: a reader locates every key of a large map.
const pairsByKey = new WeakMap<object, Map<unknown, Pair>>();

function pairAt(map: { items: Pair[] }, step: string | number): Pair | undefined {
  let pairs = pairsByKey.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (!pairs.has(key)) pairs.set(key, pair);
    }
    pairsByKey.set(map, pairs);
  }
  return pairs.get(step);
}

function yamlOffset(doc: Document, keyPath: KeyPath, key: boolean): number {
  let node: unknown = doc.contents;
  let position: Node | undefined = node as Node | undefined;
  for (const step of keyPath) {
    if (isMap(node)) {
      const pair = pairAt(node, step);
      if (!pair) break;
      position = (key && step === keyPath[keyPath.length - 1] ? pair.key : (pair.value ?? pair.key)) as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step];
      if (item === undefined) break;
      position = item as Node;
      node = item;
    } else {
      break;
    }
  }
  return position?.range?.[0] ?? 0;
}

/** A LocatedError at `keyPath` of `file`. */
export function errorAt(
  file: YamlFile,
  keyPath: KeyPath,
  message: string,
  options: { key?: boolean } = {},
): LocatedError {
  return { path: file.path, ...locate(file, keyPath, options), message };
}
