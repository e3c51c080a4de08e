// The JSON fast path of parseYaml must be invisible: the same values, the same errors and the
// same line and column for every key and value as the YAML parser gives for the same text.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJson, parseYaml } from "../../src/policy/yaml.js";
import { expectSameAsYaml } from "./same-as-yaml.js";

const FIXTURE_DIRS = ["test/fixtures/real", "test/fixtures/eval"];

const fixtures = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => ({ name, text: readFileSync(`${dir}/${name}`, "utf8") })),
);

describe("parseYaml's JSON fast path", () => {
  it.each(fixtures.map((f) => [f.name, f.text]))("matches the YAML parser on %s", (name, text) => {
    expectSameAsYaml(text);
    // The valid fixtures take the fast path; the empty, invalid and duplicate-key ones do not.
    const fast = !["empty.json", "native-invalid.json", "native-duplicate-key.json"].includes(name);
    expect(parseJson("f.json", text) !== undefined).toBe(fast);
  });

  it.each([
    ["a nested document", '{"a": {"b": [1, 2.5, {"c": null}], "d": true}, "e": "x"}'],
    ["CRLF line breaks", '{\r\n  "metrics": {\r\n    "accuracy": 0.9\r\n  }\r\n}\r\n'],
    ["tab indentation", '{\n\t"metrics": {\n\t\t"f1": 0.8\n\t}\n}\n'],
    ["a key and its colon on different lines", '{"a"\n  : 1, "b": [\n1\n]}'],
    ["strings holding JSON punctuation", '{"a\\":{": "}]\\"", "b": ["{", "]", ","], "c,": ":"}'],
    ["escaped keys and unicode", '{"caf\\u00e9": 1, "\\ud83d\\ude00": "\\n\\t\\/", "é": 2}'],
    ["a __proto__ key", '{"__proto__": {"x": 1}, "y": 2}'],
    ["numbers", "[0, -0, 1e400, -1.5E-3, 12345678901234567890, 0.1]"],
    ["empty collections", '{"a": {}, "b": [], "c": [[]], "d": [{}]}'],
    ["a top-level list of maps", '[{"a": 1}, {"a": 2}]'],
    ["leading and trailing blank lines", '\n\n  {"a": 1}\n\n'],
    ["a long key", `{"${"k".repeat(1100)}": 1}`],
  ])("matches the YAML parser on %s", (_, text) => {
    expectSameAsYaml(text);
    expect(parseJson("f.json", text)).toBeDefined();
  });

  it("leaves very deep nesting to the YAML parser", () => {
    const text = `${"[".repeat(300)}1${"]".repeat(300)}`;
    expectSameAsYaml(text);
    expect(parseJson("f.json", text)).toBeUndefined();
  });

  it.each([
    ["a duplicate key", '{"a": 1, "a": 2}'],
    ["a nested duplicate key", '{"m": {"x": 1,\n  "y": 2,\n  "x": 3}}'],
    ["keys equal once unescaped", '{"a": 1, "\\u0061": 2}'],
    ["a trailing comma", '{"a": 1,}'],
    ["an unclosed map", '{"a": [1, 2]'],
    ["a comment", '{"a": 1} // no'],
    ["a byte order mark", '\uFEFF{"a": 1}'],
    ["a lone carriage return", '{"a": 1,\r"b": 2}'],
    ["single quotes", "{'a': 1}"],
  ])("leaves %s to the YAML parser", (_, text) => {
    expectSameAsYaml(text);
    expect(parseJson("f.json", text)).toBeUndefined();
  });

  it("reports a duplicate key at the repeated key, as the YAML parser does", () => {
    const result = parseYaml("r.json", '{\n  "metrics": {"a": 1},\n  "metrics": {"b": 2}\n}');
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "r.json", line: 3, column: 3, message: "duplicate key: each key may appear only once" },
      ],
    });
  });
});
