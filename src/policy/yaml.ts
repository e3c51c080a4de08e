// YAML (and JSON, which YAML 1.2 reads) with positions, so every error can name its line and
// column. Shared by the policy loader and the evidence readers.
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { LocatedError } from "./located.js";

/** Bounds alias expansion: a "billion laughs" document fails instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export interface YamlFile {
  path: string;
  doc: Document;
  lines: LineCounter;
  /** The plain value, present when the document parsed without errors. */
  value: unknown;
}

export type YamlResult = { ok: true; file: YamlFile } | { ok: false; errors: LocatedError[] };

export function parseYaml(path: string, text: string): YamlResult {
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
    return { ok: true, file: { path, doc, lines, value } };
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
  keyPath: ReadonlyArray<string | number>,
  options: { key?: boolean } = {},
): { line: number; column: number } {
  let node: unknown = file.doc.contents;
  let position: Node | undefined = node as Node | undefined;
  for (const step of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
      if (!pair) break;
      position = (
        options.key && step === keyPath[keyPath.length - 1] ? pair.key : (pair.value ?? pair.key)
      ) as Node;
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
  const offset = position?.range?.[0] ?? 0;
  const at = file.lines.linePos(offset);
  return { line: at.line, column: at.col };
}

/** A LocatedError at `keyPath` of `file`. */
export function errorAt(
  file: YamlFile,
  keyPath: ReadonlyArray<string | number>,
  message: string,
  options: { key?: boolean } = {},
): LocatedError {
  return { path: file.path, ...locate(file, keyPath, options), message };
}
