// What the YAML parser is told not to check, checked here in one pass over the document: repeated
// keys (the parser's own check compares each key with every earlier key of its map, so a map of
// 50,000 keys took minutes) and aliases (the parser resolves each alias by scanning every earlier
// anchor, and a value that contains its own alias becomes a cycle no reader can walk).
import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from "yaml";

/** More aliases than this in one file are refused: evidence and policies need a handful. */
export const MAX_ALIASES = 100;
/** Aliases may repeat at most this many values in all, so a "billion laughs" file fails at once. */
export const MAX_ALIASED_VALUES = 10_000;

export interface NodeProblem {
  offset: number;
  message: string;
}

/**
 * Repeated keys (at the repeated key, where the parser reports them) and the first alias problem.
 * Keys compare as the parser compares them: scalars by value (so `1` and `"1"` differ, and NaN
 * never repeats), anything else only with itself.
 */
export function checkNodes(doc: Document): { duplicates: number[]; alias?: NodeProblem } {
  /** The offsets of repeated keys. */
  const duplicates: number[] = [];
  /** Each anchor's value size with aliases expanded; `open` while its own node is being walked. */
  const anchors = new Map<string, { size: number; open: boolean }>();
  let aliases = 0;
  let aliased = 0;
  // An explicit stack (not recursion), so a deeply nested file cannot overflow the call stack.
  type Anchor = { size: number; open: boolean };
  type Frame = { anchor?: Anchor; children: Array<Node | null>; next: number; size: number };
  const stack: Frame[] = [];
  const enter = (node: Node | null): NodeProblem | undefined => {
    if (isAlias(node)) {
      aliases += 1;
      const target = anchors.get(node.source);
      const at = node.range?.[0] ?? 0;
      if (aliases > MAX_ALIASES) {
        return { offset: at, message: `more than ${MAX_ALIASES} aliases: alias expansion is capped` };
      }
      if (target?.open) {
        return {
          offset: at,
          message: `alias *${node.source} is inside the value it names, so it never ends`,
        };
      }
      const size = target?.size ?? 0;
      aliased += size;
      if (aliased > MAX_ALIASED_VALUES) {
        return {
          offset: at,
          message: `aliases repeat more than ${MAX_ALIASED_VALUES} values: alias expansion is capped`,
        };
      }
      addSize(size);
      return undefined;
    }
    const name = node && "anchor" in node ? (node.anchor as string | undefined) : undefined;
    const anchor = name ? { size: 0, open: true } : undefined;
    if (name && anchor) anchors.set(name, anchor);
    let children: Array<Node | null> = [];
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        children.push(key, pair.value as Node | null);
        const value = isScalar(key) ? key.value : key;
        if (Number.isNaN(value)) continue;
        if (seen.has(value)) duplicates.push(key?.range?.[0] ?? 0);
        seen.add(value);
      }
    } else if (isSeq(node)) {
      children = node.items.slice() as Array<Node | null>;
    }
    stack.push({ anchor, children, next: 0, size: node ? 1 : 0 });
    return undefined;
  };
  const addSize = (size: number) => {
    const parent = stack.at(-1);
    if (parent) parent.size += size;
  };

  const root = doc.contents as Node | null;
  const first = enter(root);
  if (first) return { duplicates, alias: first };
  while (stack.length > 0) {
    const frame = stack.at(-1) as Frame;
    if (frame.next < frame.children.length) {
      const problem = enter(frame.children[frame.next++] ?? null);
      if (problem) return { duplicates, alias: problem };
      continue;
    }
    stack.pop();
    // Updated in place: an anchor of the same name set inside this node stays the latest.
    if (frame.anchor) Object.assign(frame.anchor, { size: frame.size, open: false });
    addSize(frame.size);
  }
  return { duplicates };
}
