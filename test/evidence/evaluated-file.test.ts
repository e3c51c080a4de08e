// evaluated.yml: where it sits beside each results path, and what its reader refuses.
import { describe, expect, it } from "vitest";
import { evaluatedFilePath, readEvaluatedFile } from "../../src/evidence/eval/evaluated-file.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("evaluatedFilePath", () => {
  it.each([
    ["models/a/eval/results.json", "models/a/eval/evaluated.yml"],
    ["models/a/README.md", "models/a/evaluated.yml"],
    ["models/a/.eval_results/", "models/a/evaluated.yml"],
    ["models/a/.eval_results", "models/a/evaluated.yml"],
  ])("%s → %s", (results, expected) => {
    expect(evaluatedFilePath(results)).toBe(expected);
  });
});

describe("readEvaluatedFile", () => {
  it("reads the block, lower-casing SHAs as git prints them", () => {
    const read = readEvaluatedFile(
      "e.yml",
      `evaluated:\n  commit: "ABC1234"\n  files:\n    m.py: ${SHA.toUpperCase()}\n`,
    );
    expect(read).toEqual({ ok: true, value: { commit: "abc1234", files: { "m.py": SHA } } });
  });

  it.each([
    ["a list", "- a\n", /must hold an evaluated: block \(commit, files\), not a list/],
    [
      "an unknown key beside it",
      `evaluated: {files: {m.py: ${SHA}}}\nmetrics: {}\n`,
      /unknown key "metrics"/,
    ],
    [
      "a typo inside it",
      `evaluated: {fils: {m.py: ${SHA}}}\n`,
      /unknown key "fils" in evaluated; did you mean "files"\?/,
    ],
    ["a SHA that is not one", "evaluated: {files: {m.py: 12}}\n", /must be a git blob SHA/],
    ["a duplicate key", `evaluated:\n  files: {}\nevaluated:\n  files: {}\n`, /duplicate key/],
  ])("refuses %s, at its line", (_, text, message) => {
    const read = readEvaluatedFile("e.yml", text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors.map((e) => e.message).join("\n")).toMatch(message);
  });
});
