// The JSON Schemas `readiness-gate schema` prints for native results and evaluated.yml accept and
// refuse the same files as the readers, so an editor's squiggle and the gate agree.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readEvaluatedFile } from "../../src/evidence/eval/evaluated-file.js";
import { readEvalResults } from "../../src/evidence/eval-results.js";
import { evidenceJsonSchemas } from "../../src/evidence/json-schema.js";

const compile = (name: string) =>
  new Ajv2020({ strict: false, allErrors: true }).compile(evidenceJsonSchemas()[name] as object);
const fixture = (name: string) => readFileSync(new URL(`../fixtures/eval/${name}`, import.meta.url), "utf8");
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("the native results schema", () => {
  const cases: Array<[string, string]> = [
    ["the minimal file", fixture("native-minimal.json")],
    ["a file with evaluated, dataset and date", fixture("native-evaluated.yml")],
    ["an unknown key", fixture("native-unknown-key.yml")],
    ["a metric that is not a number", fixture("native-non-number.yml")],
    ["no metrics", "metrics: {}\n"],
    ["a blob SHA that is not one", `metrics: {a: 1}\nevaluated: {files: {m.py: abc}}\n`],
    ["an unknown key in evaluated", `metrics: {a: 1}\nevaluated: {file: {m.py: ${SHA}}}\n`],
    ["a date that is not a date", `metrics: {a: 1}\ndate: yesterday\n`],
  ];
  it.each(cases)("agrees with the reader on %s", (_, text) => {
    const validate = compile("results");
    const read = readEvalResults("results.yml", text, "native");
    // YAML's unquoted dates are strings in the JSON an editor sees (YAML 1.2 core schema).
    expect(validate(parse(text))).toBe(read.ok);
  });
});

describe("the evaluated.yml schema", () => {
  const cases: Array<[string, string]> = [
    ["a block", `evaluated:\n  commit: "abc1234"\n  files:\n    m.py: ${SHA}\n`],
    ["files without the evaluated key", `files:\n  m.py: ${SHA}\n`],
    ["another key beside evaluated", `evaluated: {files: {m.py: ${SHA}}}\nmetrics: {a: 1}\n`],
    ["a short SHA", "evaluated: {files: {m.py: abc123}}\n"],
  ];
  it.each(cases)("agrees with the reader on %s", (_, text) => {
    expect(compile("evaluated")(parse(text))).toBe(readEvaluatedFile("evaluated.yml", text).ok);
  });
});
