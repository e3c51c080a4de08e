// parseYaml finds repeated keys itself, in one pass, rather than with the YAML parser's own check
// (which compares each key with every earlier key of its map). It must find exactly the keys the
// parser's check finds, at the same place.

import { describe, expect, it } from "vitest";
import { isScalar, LineCounter, parseDocument, visit } from "yaml";
import { parseYamlDocument } from "../../src/policy/yaml.js";
import { seededRandom } from "../support/seeded-random.js";

const DUPLICATE = "duplicate key: each key may appear only once";

/**
 * The repeated keys as lines and columns. After a pair with an empty key or value the YAML
 * parser places the error where that pair ended rather than at the repeated key, as it does
 * after a broken line: for such files only the number of repeated keys is compared.
 */
function positions(text: string, offsets: number[], lines: LineCounter) {
  const doc = parseDocument(text, { uniqueKeys: false });
  let vague = doc.errors.length > 0;
  visit(doc, {
    Pair(_, pair) {
      for (const node of [pair.key, pair.value]) {
        if (!node || (isScalar(node) && node.range?.[0] === node.range?.[1])) vague = true;
      }
    },
  });
  return offsets.map((offset) => {
    if (vague) return "a repeated key";
    const at = lines.linePos(offset);
    return { line: at.line, column: at.col };
  });
}

/** The repeated keys the YAML parser's own check reports. */
function parserDuplicates(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const offsets = doc.errors.filter((e) => e.code === "DUPLICATE_KEY").map((e) => e.pos[0]);
  return positions(text, offsets, lines);
}

function ourDuplicates(text: string) {
  const result = parseYamlDocument("f.yml", text);
  const lines = new LineCounter();
  parseDocument(text, { lineCounter: lines });
  const offsets = (result.ok ? [] : result.errors)
    .filter((e) => e.message === DUPLICATE)
    .map(({ line = 1, column = 1 }) => (lines.lineStarts[line - 1] ?? 0) + column - 1);
  return positions(text, offsets, lines);
}

describe("repeated keys", () => {
  it.each([
    ["block keys", "a: 1\nb: 2\na: 3\n"],
    ["nested keys", "x:\n  a: 1\n  a: 2\n"],
    ["keys with no value", "a:\nb: 1\na:\n"],
    ["flow keys", "{a: 1, b: 2, a: 3}"],
    ["JSON keys", '{"a": 1,\n "a": 2}'],
    ["quoted and plain spellings", "'a': 1\n\"a\": 2\na: 3\n"],
    ["equal numbers", "1: x\n0x1: y\n"],
    ["a number and a string", "1: x\n'1': y\n"],
    ["keys with anchors and tags", "&x a: 1\n!!str a: 2\n"],
    ["explicit keys", "? a\n: 1\n? a\n: 2\n"],
    ["empty keys", ": 1\n: 2\n"],
    ["NaN keys", ".nan: 1\n.NaN: 2\n"],
    ["null spellings", "null: 1\n~: 2\n"],
    ["a repeated key in a list item", "- a: 1\n  a: 2\n- a: 3\n"],
    ["flow pairs in a list", "[a: 1, a: 2]"],
  ])("are found as the YAML parser finds them: %s", (_, text) => {
    expect(ourDuplicates(text)).toEqual(parserDuplicates(text));
  });

  it("are found as the YAML parser finds them in thousands of generated files", () => {
    const lines = [
      "a: 1",
      "a:",
      "b: 2",
      "'a': 3",
      "1: x",
      "0x1: y",
      "true: t",
      "True: t",
      "  a: 4",
      "  c: 5",
      "- a: 6",
      "  a: 7",
      "x: {a: 1, a: 2}",
      "y: {a: 1, b: 2}",
      "? a",
      ": 8",
      "&n a: 9",
      "# comment",
      "",
    ];
    const random = seededRandom(11); // the same inputs on every run
    let placed = 0;
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + random(8) }, () => lines[random(lines.length)]).join("\n");
      const expected = parserDuplicates(text);
      placed += expected.filter((at) => typeof at === "object").length;
      expect(ourDuplicates(text), JSON.stringify(text)).toEqual(expected);
    }
    // Enough repeated keys are compared by their place for the comparison to mean something.
    expect(placed).toBeGreaterThan(200);
  });
});
