// "Flat" YAML read line by line: the fast path of `parseYaml` for the small files most evidence
// is (manifests, privacy reviews). Building a YAML document costs tens of microseconds even for
// four lines; this costs one or two.
//
// Flat YAML is a mapping at the top level whose keys are plain words and whose values, each on
// its key's line, are plain or quoted one-line scalars, or `[a, b]` lists of them, or a list of
// `- item` lines under a key with no value; comments and blank lines anywhere. Anything else —
// nesting, multi-line scalars, anchors, tags, tabs, escapes, a repeated key… — makes the reader
// give up (undefined) and the caller use the YAML parser, so anything unusual reads, and fails,
// exactly as before. Plain scalars are typed by the YAML parser's own core-schema tags.
import { isScalar, type ScalarTag, Schema } from "yaml";
import type { PositionNode } from "./positions.js";

/** The core schema's scalar tags that apply by their pattern (null, booleans, numbers). */
const CORE_TAGS = new Schema({}).tags.filter(
  (tag): tag is ScalarTag & { test: RegExp } => tag.default === true && tag.test instanceof RegExp,
);

/**
 * How every core-schema null, boolean and number starts (`~`, `null`, `true`, `False`, `-1`,
 * `.5`, `0x1F`, `.inf`…), or the empty null: most words skip trying each tag's pattern.
 */
const MAY_BE_TYPED = /^(?:$|[~NnTtFf0-9+.-])/;
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?= |$)/;
const ITEM_LINE = /^( *)- /;
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;
/** What may follow a value on its line: spaces and a comment (which needs a space before it). */
const LINE_END = /^(?: +#.*)? *$/;
/** Characters a plain scalar may not start with (indicators) or contain here. */
const PLAIN_START = /^[^\s\-?:,[\]{}#&*!|>'"%@`]/;
const DOUBLE_QUOTED = /^"([^"\\]*)"/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'/;

export interface FlatYaml {
  value: Record<string, unknown>;
  root: PositionNode;
}

/** Undefined unless `text` is flat YAML as defined above. */
export function parseFlatYaml(text: string): FlatYaml | undefined {
  if (hasUnusualCharacters(text)) return undefined;
  const value: Record<string, unknown> = {};
  const entries = new Map<string, { key: number; value: PositionNode }>();
  let rootStart: number | undefined;
  /** The last key when it had no value on its line: `- item` lines below it make its list. */
  let open:
    | { key: string; keyAt: number; end: number; list?: { start: number; indent: number; items: unknown[] } }
    | undefined;
  let list: PositionNode[] = [];

  const close = () => {
    if (!open) return;
    if (open.list) {
      value[open.key] = open.list.items;
      entries.set(open.key, { key: open.keyAt, value: { start: open.list.start, items: list } });
    } else {
      // An empty value sits after the colon and its spaces, as the YAML parser places it.
      value[open.key] = null;
      entries.set(open.key, { key: open.keyAt, value: { start: open.end } });
    }
    open = undefined;
  };

  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, text.charCodeAt(end - 1) === 13 && end > start ? end - 1 : end);
    const lineStart = start;
    start = end + 1;
    if (BLANK_OR_COMMENT.test(line)) continue;

    const item = ITEM_LINE.exec(line);
    if (item && open) {
      const indent = (item[1] as string).length;
      open.list ??= { start: lineStart + indent, indent, items: [] };
      if (indent !== open.list.indent) return undefined;
      const at = item[0].length;
      const scalar = readScalar(line.slice(at), false);
      if (!scalar) return undefined;
      open.list.items.push(scalar.value);
      list.push({ start: lineStart + at });
      continue;
    }
    const key = KEY_LINE.exec(line);
    if (!key) return undefined;
    close();
    const name = key[1] as string;
    // A key the core schema reads as null, a boolean or a number, or one JSON cannot hold plainly.
    if (entries.has(name) || name === "__proto__" || name.length > 1000 || typedPlain(name) !== undefined) {
      return undefined;
    }
    rootStart ??= lineStart;
    const afterColon = key[0].length;
    const rest = line.slice(afterColon);
    const valueAt = afterColon + spacesAt(rest);
    if (LINE_END.test(rest)) {
      open = { key: name, keyAt: lineStart, end: lineStart + valueAt };
      list = [];
      continue;
    }
    const read = line.startsWith("[", valueAt) ? readFlowList(line, valueAt, lineStart) : undefined;
    const scalar = read ? undefined : readScalar(line.slice(valueAt), false);
    const found = read ?? (scalar && { value: scalar.value, node: { start: lineStart + valueAt } });
    if (!found) return undefined;
    value[name] = found.value;
    entries.set(name, { key: lineStart, value: found.node });
  }
  close();
  if (rootStart === undefined) return undefined;
  return { value, root: { start: rootStart, entries } };
}

/** A one-line scalar filling `source` up to an optional comment; undefined when it is not simple. */
function readScalar(source: string, inFlow: boolean): { value: unknown } | undefined {
  const quoted = DOUBLE_QUOTED.exec(source) ?? SINGLE_QUOTED.exec(source);
  if (quoted) {
    const after = source.slice(quoted[0].length);
    if (inFlow ? after !== "" : !LINE_END.test(after)) return undefined;
    const inner = quoted[1] as string;
    return { value: source.startsWith("'") ? inner.replace(/''/g, "'") : inner };
  }
  // A plain scalar runs to a ` #` comment (none in a flow list); trailing spaces are not part of it.
  // (indexOf and a loop, not / +#/ or / +$/: a regex tried at each space of a long run is quadratic.)
  const comment = inFlow ? -1 : source.indexOf(" #");
  const plain = trimSpacesEnd(comment === -1 ? source : source.slice(0, comment));
  if (!PLAIN_START.test(plain) || /[[\]{}]|[^\S ]|: |:$/.test(plain) || (inFlow && /[,:#]/.test(plain))) {
    return undefined;
  }
  const typed = typedPlain(plain);
  return { value: typed === undefined ? plain : typed.value };
}

/** `[a, "b", 3]` at `at` in the line, with each item's position; undefined when not that simple. */
function readFlowList(
  line: string,
  at: number,
  lineStart: number,
): { value: unknown[]; node: PositionNode } | undefined {
  const close = line.indexOf("]", at);
  if (close === -1 || !LINE_END.test(line.slice(close + 1))) return undefined;
  const inside = line.slice(at + 1, close);
  const values: unknown[] = [];
  const items: PositionNode[] = [];
  if (inside.trim() !== "") {
    let offset = at + 1;
    for (const part of inside.split(",")) {
      const lead = spacesAt(part);
      const scalar = readScalar(trimSpacesEnd(part.slice(lead)), true);
      if (!scalar) return undefined;
      values.push(scalar.value);
      items.push({ start: lineStart + offset + lead });
      offset += part.length + 1;
    }
  }
  return { value: values, node: { start: lineStart + at, items } };
}

/**
 * Tabs, control characters, a lone CR (a line break to YAML), Unicode line separators and
 * non-characters: the YAML parser has rules for each, so they are left to it.
 */
function hasUnusualCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c >= 32 && c < 127)) continue;
    if (c === 13 ? text.charCodeAt(i + 1) !== 10 : c < 32 || c <= 0x9f) return true;
    if (c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) return true;
  }
  return false;
}

function spacesAt(text: string): number {
  let at = 0;
  while (text.charCodeAt(at) === 32) at += 1;
  return at;
}

function trimSpacesEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end -= 1;
  return text.slice(0, end);
}

/** The value of a plain scalar the core schema types (null, boolean, number), else undefined. */
function typedPlain(source: string): { value: unknown } | undefined {
  if (!MAY_BE_TYPED.test(source)) return undefined;
  const tag = CORE_TAGS.find((candidate) => candidate.test.test(source));
  if (!tag) return undefined;
  let failed = false;
  const resolved = tag.resolve(source, () => (failed = true), {});
  // Some tags (null, booleans) resolve to a Scalar node rather than a plain value.
  return failed ? undefined : { value: isScalar(resolved) ? resolved.value : resolved };
}
