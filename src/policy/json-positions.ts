// Where each key and value sits in a JSON text, for the JSON fast path of `parseYaml`. JSON.parse
// gives values quickly but no positions, and silently keeps the last of two equal keys; this scan
// recovers both. It runs only on text JSON.parse has accepted, so it never checks the grammar.
import type { PositionNode } from "./positions.js";

/** Deeper documents are left to the YAML parser, so they behave exactly as before. */
const MAX_DEPTH = 256;

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_MAP = 123;
const CLOSE_MAP = 125;
const OPEN_LIST = 91;
const CLOSE_LIST = 93;

/** Why the positions were not indexed: a map repeats a key (at this offset), or nesting is too deep. */
export type JsonRefusal = { repeatedKeyAt: number } | { tooDeep: true };

/**
 * The positions of every value in `text`, which must be valid JSON, or why they were not
 * indexed (the caller then lets the YAML parser read the text and report the problem).
 */
export function indexJson(text: string): { root: PositionNode } | JsonRefusal {
  let i = 0;
  let refusal: JsonRefusal | undefined;
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === SPACE || c === LF || c === CR || c === TAB; ) {
      c = text.charCodeAt(++i);
    }
  };
  /** Reads the string at `i` (on its opening quote) and returns it decoded. */
  const readString = (): string => {
    const start = i++;
    let escaped = false;
    for (let c = text.charCodeAt(i); c !== QUOTE && i < text.length; c = text.charCodeAt(i)) {
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else i += 1;
    }
    i += 1;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  const readValue = (depth: number): PositionNode | undefined => {
    if (depth > MAX_DEPTH) {
      refusal ??= { tooDeep: true };
      return undefined;
    }
    skipSpace();
    const start = i;
    const c = text.charCodeAt(i);
    if (c === OPEN_MAP) {
      i += 1;
      const entries = new Map<string, { key: number; value: PositionNode }>();
      skipSpace();
      if (text.charCodeAt(i) === CLOSE_MAP) {
        i += 1;
        return { start, entries };
      }
      for (;;) {
        skipSpace();
        if (i >= text.length) return undefined; // only on text JSON.parse refused: never loop on it
        const keyAt = i;
        const key = readString();
        skipSpace();
        i += 1; // the colon
        const value = readValue(depth + 1);
        if (!value) return undefined;
        if (entries.has(key)) {
          refusal ??= { repeatedKeyAt: keyAt };
          return undefined;
        }
        entries.set(key, { key: keyAt, value });
        skipSpace();
        if (text.charCodeAt(i++) === CLOSE_MAP) return { start, entries }; // else a comma
      }
    }
    if (c === OPEN_LIST) {
      i += 1;
      const items: PositionNode[] = [];
      skipSpace();
      if (text.charCodeAt(i) === CLOSE_LIST) {
        i += 1;
        return { start, items };
      }
      for (;;) {
        if (i >= text.length) return undefined;
        const item = readValue(depth + 1);
        if (!item) return undefined;
        items.push(item);
        skipSpace();
        if (text.charCodeAt(i++) === CLOSE_LIST) return { start, items }; // else a comma
      }
    }
    if (c === QUOTE) {
      readString();
      return { start };
    }
    // A number, true, false or null: runs to the next delimiter.
    for (let d = c; i < text.length; d = text.charCodeAt(++i)) {
      if (d === 44 || d === CLOSE_MAP || d === CLOSE_LIST || d === SPACE || d === LF || d === CR || d === TAB)
        break;
    }
    return { start };
  };
  const root = readValue(0);
  return root ? { root } : (refusal ?? { tooDeep: true });
}

/**
 * Whether JSON text holds more than `max` values and keys, counted without parsing: outside
 * strings, each comma, colon and opening bracket starts one (close to exact, never under).
 * A tight loop with no allocation, so it bounds the cost of a large file before JSON.parse runs.
 */
export function jsonValuesExceed(text: string, max: number): boolean {
  let values = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === 44 || c === 58 || c === OPEN_MAP || c === OPEN_LIST) {
      values += 1;
      if (values > max) return true;
    }
  }
  return false;
}
