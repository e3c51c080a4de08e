// YAML (and JSON, which YAML 1.2 reads) with positions, so every error can name its line and
// column. Shared by the policy loader and the evidence readers.
//
// Two fast paths skip building a YAML document, which costs many times more than the file's
// value: JSON (JSON.parse, and a light scan for positions: json-positions.ts) and flat YAML, the
// shape of most small evidence files (yaml-flat.ts). Each gives up on anything it does not
// fully handle — invalid input, a repeated key, anything unusual — and the YAML parser reads it,
// so every error and its location is exactly the YAML parser's.
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { indexJson } from "./json-positions.js";
import type { LocatedError } from "./located.js";
import { lineCounter, offsetAt } from "./positions.js";
import { parseFlatYaml } from "./yaml-flat.js";

/** Bounds alias expansion: a "billion laughs" document fails instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

type KeyPath = ReadonlyArray<string | number>;

export interface YamlFile {
  path: string;
  /** The plain value, present when the document parsed without errors. */
  value: unknown;
  /** The offset of the node at `keyPath` (see `locate`), from the YAML document or a fast path. */
  offsetOf: (keyPath: KeyPath, key: boolean) => number;
  lines: LineCounter;
}

export type YamlResult = { ok: true; file: YamlFile } | { ok: false; errors: LocatedError[] };

export function parseYaml(path: string, text: string): YamlResult {
  return parseJson(path, text) ?? parseFlat(path, text) ?? parseYamlDocument(path, text);
}

/** The flat-YAML fast path (yaml-flat.ts); undefined when the text is not that simple. */
export function parseFlat(path: string, text: string): YamlResult | undefined {
  const flat = parseFlatYaml(text);
  if (!flat) return undefined;
  const { value, root } = flat;
  return {
    ok: true,
    file: { path, value, lines: lineCounter(text), offsetOf: (keyPath, key) => offsetAt(root, keyPath, key) },
  };
}

/**
 * The JSON fast path; undefined when the text is not plain JSON (YAML, invalid JSON, a repeated
 * key) or could read differently as YAML (a lone `\r`, which YAML counts as a line break).
 */
export function parseJson(path: string, text: string): YamlResult | undefined {
  const first = text.match(/^[ \t\r\n]*(.)/)?.[1];
  if ((first !== "{" && first !== "[") || /\r(?!\n)/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const root = indexJson(text);
  if (!root) return undefined;
  return {
    ok: true,
    file: { path, value, lines: lineCounter(text), offsetOf: (keyPath, key) => offsetAt(root, keyPath, key) },
  };
}

/** The YAML parser alone, without the fast paths (exported for the tests that compare them). */
export function parseYamlDocument(path: string, text: string): YamlResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems = [...doc.errors];
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { path, line: at.line, column: at.col, message: yamlMessage(e.code, e.message) };
      }),
    };
  }
  try {
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
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

function yamlMessage(code: string, message: string): string {
  if (code === "DUPLICATE_KEY") return "duplicate key: each key may appear only once";
  return message.split("\n")[0] ?? message;
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

function yamlOffset(doc: Document, keyPath: KeyPath, key: boolean): number {
  let node: unknown = doc.contents;
  let position: Node | undefined = node as Node | undefined;
  for (const step of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
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
