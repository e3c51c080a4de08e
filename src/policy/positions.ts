// Where each value of a parsed file sits, for the fast paths of `parseYaml` (JSON, flat YAML):
// the same answers as the YAML document's node ranges, without building the document.
import { LineCounter } from "yaml";

/** A value's offset in the text and, for a map or a list, its children. */
export interface PositionNode {
  start: number;
  /** For a map: key → the key's offset and the value. */
  entries?: Map<string, { key: number; value: PositionNode }>;
  /** For a list: its items. */
  items?: PositionNode[];
}

/**
 * The offset of the node at `keyPath`, walking exactly as `locate` walks a YAML document: the
 * nearest existing ancestor when the path goes deeper than the file, and the key's own offset
 * with `key` when the step is the path's last key.
 */
export function offsetAt(root: PositionNode, keyPath: ReadonlyArray<string | number>, key: boolean): number {
  let node: PositionNode | undefined = root;
  let position = root.start;
  for (const step of keyPath) {
    if (node?.entries) {
      const entry: { key: number; value: PositionNode } | undefined =
        typeof step === "string" ? node.entries.get(step) : undefined;
      if (!entry) break;
      position = key && step === keyPath[keyPath.length - 1] ? entry.key : entry.value.start;
      node = entry.value;
    } else if (node?.items && typeof step === "number") {
      const item: PositionNode | undefined = node.items[step];
      if (item === undefined) break;
      position = item.start;
      node = item;
    } else {
      break;
    }
  }
  return position;
}

/** Where each offset of a file is, as a line and a column. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/**
 * A text's line positions, counted the first time one is asked: a fast path's file is often read
 * without any (its value is fine, and no error needs a place).
 */
export function lazyLines(text: string): LinePositions {
  let counted: LineCounter | undefined;
  return {
    linePos(offset) {
      counted ??= lineCounter(text);
      return counted.linePos(offset);
    },
  };
}

/** Line starts as the YAML parser records them (after each `\n`), for `linePos`. */
export function lineCounter(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines.addNewLine(at + 1);
  return lines;
}
