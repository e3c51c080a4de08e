// The flat-YAML fast path of parseYaml reads what it accepts exactly as the YAML parser does and
// leaves everything else to it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFlat } from "../../src/policy/yaml.js";
import { seededRandom } from "../support/seeded-random.js";
import { expectSameAsYaml } from "./same-as-yaml.js";

const file = (path: string) => readFileSync(path, "utf8");

const FLAT = {
  "a manifest with flow lists": file("examples/sample-ml-repo/models/churn/artifact.yml"),
  "a privacy review with a block list": file("examples/sample-ml-repo/models/churn/privacy-review.yml"),
  "the benchmark's manifest": 'owners: ["@owner7"]\ndata_categories: [usage]\n',
  "comments and blank lines":
    "# owners first\n\nowners:   # who\n# between\n  - '@a/b'   # team\n\n  - bob\ntier: high # raised\n",
  "a compact block list": 'owners:\n- alice\n- "@acme/ml"\n',
  "typed plain scalars":
    "a: 1\nb: +0\nc: 0x1F\nd: 0o17\ne: 1.5e3\nf: .inf\ng: .NaN\nh: true\ni: FALSE\nj: ~\nk: null\nl: 2026-01-05\nm: 1_000\nn: yes\n",
  "typed plain scalars by every first character":
    "a: .5\nb: Null\nc: NULL\nd: True\ne: 007\nf: tru\ng: nullx\nh: +.inf\ni: 0.\nj: F\nk: nan\nl: Off\n",
  "empty values": "a:\nb: # nothing\nc:   \n",
  "quoted scalars": "a: \"x # not a comment\"\nb: 'it''s'\nc: \"\"\nd: '1'\n",
  "plain scalars with punctuation":
    'a: https://x.example/a?b=c&d\nb: C# and F#\nc: a, b\nd: it\'s "fine"\ne: a:b\nf: 2026-01-05T10:00:00Z\n',
  "flow lists": "a: []\nb: [ x , 'y', \"z\", 1, null ]\nc: [a] # comment\n",
  "CRLF line breaks": "owners:\r\n  - alice\r\ntier: high\r\n",
  "a key that needs no quotes": "data-categories: [x]\n_private: 1\nkey2: v\n",
  "no final newline": "reviewer: petra",
};

const NOT_FLAT = {
  "nested maps": file("test/fixtures/eval/native-evaluated.yml"),
  "a nested empty value": file("test/fixtures/eval/native-non-number.yml"),
  "a repeated key": "owners: [a]\nowners: [b]\n",
  "keys equal as booleans": "true: 1\nTrue: 2\n",
  "a null key": "null: 1\n",
  "a __proto__ key": "__proto__: 1\n",
  "a multi-line scalar": "reason: this is long\n  and continues\n",
  "a multi-line flow list": "owners: [a,\n  b]\n",
  "a block scalar": "steps: |\n  undo\n",
  "an anchor and alias": "a: &x 1\nb: *x\n",
  "a tag": "a: !!str 1\n",
  "a document marker": "---\na: 1\n",
  "a tab": "a:\t1\n",
  "an escape": 'a: "x\\ty"\n',
  "a quoted key": '"a": 1\n',
  "a list item without a key": "- a\n- b\n",
  "items at two indents": "a:\n  - x\n    - y\n",
  "items at different indents": "a:\n  - x\n - y\n",
  "a nested list item": "a:\n  - - x\n",
  "a map in a list": "a:\n  - k: v\n",
  "a mapping value on a line": "a: b: c\n",
  "a comment without a space in a flow list": "a: [b#c]\n",
  "a value starting with an indicator": "a: @me\nb: `x`\n",
  "a negative number": "a: -1\n",
  "a flow map": "a: {b: 1}\n",
  "a trailing comma": "a: [x,]\n",
  "a comment in a flow list": "a: [x # c]\n",
  "a comma in a quoted flow item": 'a: ["x,y"]\n',
  "only comments": "# nothing here\n",
  "an empty file": "",
  "a top-level scalar": "just text\n",
  "a non-breaking space": "a: \u00a0x\n",
  "a byte order mark": "\uFEFFa: 1\n",
  "a lone carriage return": "a: 1\rb: 2\n",
  "indented keys": "  a: 1\n",
  "a very long key": `${"k".repeat(1100)}: 1\n`,
};

describe("parseYaml's flat YAML fast path", () => {
  it.each(Object.entries(FLAT))("reads %s as the YAML parser does", (_, text) => {
    expect(parseFlat("f.yml", text)).toBeDefined();
    expectSameAsYaml(text);
  });

  it.each(Object.entries(NOT_FLAT))("leaves %s to the YAML parser", (_, text) => {
    expect(parseFlat("f.yml", text)).toBeUndefined();
    expectSameAsYaml(text);
  });

  it("agrees with the YAML parser on thousands of files made of tricky lines", () => {
    const flatLines = [
      "owners:",
      "owners: [a, b]",
      "tier: high",
      "tier: 1",
      "data_categories: []",
      "x: 'q''s'",
      'x: "d"',
      "x: a b  ",
      "x: a # c",
      "x:  spaced",
      "x: a:b",
      "x: C#",
      "x: 0x10",
      "x: .5",
      "x: 1e3",
      "x: ~",
      "x: True",
      "x:",
      "x: # c",
      "- a",
      "  - b",
      "  - 'c'",
      "  - 1",
      "# comment",
      "   # indented",
      "",
      "  ",
      "y: [ 'a' , 2 ]",
      "y: [a] # c",
      "z: http://e.example/p?q=1",
      "z: it's",
      "k-1: v",
    ];
    const trickyLines = [
      "  x: nested",
      "x: |",
      "x: >-",
      "x: &a 1",
      "x: *a",
      "x: !t 1",
      "---",
      "...",
      "x: [a,",
      "b]",
      "x: {a: 1}",
      "x: -1",
      "x: a: b",
      "- - a",
      "  -",
      "-",
      "x:\ty",
      '"q": 1',
      "? k",
      "x: @a",
      "true: 1",
      "null: 1",
      "x: b#c",
      "x: [a,]",
      "continued text",
    ];
    const random = seededRandom(7); // the same inputs on every run
    let flat = 0;
    for (let doc = 0; doc < 2000; doc++) {
      const pick = () =>
        random(12) === 0 ? trickyLines[random(trickyLines.length)] : flatLines[random(flatLines.length)];
      const lines = Array.from({ length: 1 + random(8) }, () => pick() as string);
      const text = lines.join(random(4) === 0 ? "\r\n" : "\n");
      if (parseFlat("f.yml", text)) flat += 1;
      expectSameAsYaml(text);
    }
    // Enough of them take the fast path for the comparison to mean something.
    expect(flat).toBeGreaterThan(300);
  });
});
