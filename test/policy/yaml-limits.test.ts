// What parseYaml refuses so that no file holds the app for long: aliases beyond a small budget,
// an alias inside the value it names (a cycle no reader could walk), and files beyond the sizes
// read. Each is a located error, never an exception or a hang.
import { describe, expect, it } from "vitest";
import { JSON_VALUE_LIMIT, parseYaml, YAML_SIZE_LIMIT } from "../../src/policy/yaml.js";

const errors = (text: string, options = {}) => {
  const result = parseYaml("f.yml", text, options);
  return result.ok ? [] : result.errors;
};

describe("aliases", () => {
  it("reads a few aliases as the values they name", () => {
    const result = parseYaml("f.yml", "a: &x [1, 2]\nb: *x\nc: *x\n");
    expect(result.ok && result.file.value).toEqual({ a: [1, 2], b: [1, 2], c: [1, 2] });
  });

  it("refuses more than 100 aliases at the 101st", () => {
    const text = `a: &x 1\nb: [${Array.from({ length: 101 }, () => "*x").join(", ")}]\n`;
    expect(errors(text)).toEqual([
      {
        path: "f.yml",
        line: 2,
        column: 5 + 100 * 4,
        message: "more than 100 aliases: alias expansion is capped",
      },
    ]);
  });

  it("refuses aliases that repeat more than 10,000 values in all", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 5; i++) {
      const previous = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${previous}`).join(", ")}]`,
      );
    }
    // b repeats a (11 values) 10 times, c repeats b 10 times, and d's repeats pass 10,000.
    expect(errors(levels.join("\n"))).toEqual([
      expect.objectContaining({
        line: 4,
        message: "aliases repeat more than 10000 values: alias expansion is capped",
      }),
    ]);
  });

  it("refuses an alias inside the value it names, which would never end", () => {
    expect(errors("owners: &o [a, *o]\n")).toEqual([
      {
        path: "f.yml",
        line: 1,
        column: 16,
        message: "alias *o is inside the value it names, so it never ends",
      },
    ]);
  });

  it("takes the latest anchor of a name, even one inside the value being named", () => {
    const result = parseYaml("f.yml", "a: &x [&x 1, *x]\nb: *x\n");
    expect(result.ok && result.file.value).toEqual({ a: [1, 1], b: 1 });
  });
});

describe("sizes", () => {
  const big = `a: ${"x".repeat(YAML_SIZE_LIMIT)}\n`;

  it("refuses YAML larger than the YAML limit, saying the limit", () => {
    expect(errors(big)).toEqual([
      {
        path: "f.yml",
        line: 1,
        column: 1,
        message: `the file is ${big.length} bytes; YAML and JSON files are read up to ${YAML_SIZE_LIMIT} bytes`,
      },
    ]);
  });

  it("counts bytes, not characters", () => {
    const wide = `a: ${"é".repeat(YAML_SIZE_LIMIT / 2)}\n`;
    expect(errors(wide)[0]?.message).toMatch(/^the file is \d+ bytes/);
  });

  it("reads larger plain JSON when asked (evaluation results), but not larger YAML", () => {
    const json = JSON.stringify({ metrics: { a: 1 }, note: "x".repeat(YAML_SIZE_LIMIT) });
    expect(parseYaml("r.json", json, { largeJson: true }).ok).toBe(true);
    expect(errors(big, { largeJson: true })[0]?.message).toMatch(/is not JSON: YAML is read up to/);
  });

  it("places a repeated key of large JSON at the key", () => {
    const json = `{"a": "${"x".repeat(YAML_SIZE_LIMIT)}",\n "a": 1}`;
    expect(errors(json, { largeJson: true })).toEqual([
      { path: "f.yml", line: 2, column: 2, message: "duplicate key: each key may appear only once" },
    ]);
  });

  it("refuses large JSON of more values than the JSON limit before parsing it", () => {
    const json = `[${Array(JSON_VALUE_LIMIT + 1)
      .fill("0")
      .join(",")}]`;
    expect(errors(json, { largeJson: true })[0]?.message).toBe(
      `the file holds more than ${JSON_VALUE_LIMIT} values; JSON is read up to that many`,
    );
  });
});

describe("many errors", () => {
  it("lists the first 50 and counts the rest", () => {
    const found = errors(`{${Array.from({ length: 60 }, () => "a: 1").join(", ")}}`);
    expect(found).toHaveLength(51);
    expect(found[50]?.message).toBe("and 9 more errors");
  });

  it("reports nesting too deep for the parser as an error", () => {
    expect(errors(`${"[".repeat(5000)}${"]".repeat(5000)}`)[0]?.message).toBe(
      "the document nests too deeply to read",
    );
  });
});
