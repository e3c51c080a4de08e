// Class 3: linear time on every untrusted file. Policies, manifests, evidence and CODEOWNERS come
// from pull requests, and the app reads them synchronously: a reader that backtracks holds the
// event loop, and every check, webhook and `/healthz` with it. A 120 KB artifact.yml whose owner
// line held long runs of spaces stalled the app for about 25 seconds, a rollback plan of `>`
// repeated or `[a](` repeated for seconds to minutes, a file name of 80 `a`s against the
// CODEOWNERS rule `*a*a*a*a*a*a*a*a*b` for minutes (compiled to a backtracking regex).
//
// Each case feeds one reader the same hostile shape at two sizes, the larger ten times the
// smaller, and fails when the time grows far more than tenfold: linear grows 10×, quadratic 100×.
// Each time is the fastest of several samples, taken in turns, so a busy machine does not make
// the test flaky. These are growth checks, not timing targets; the inputs
// stay under the size caps, so the readers really read them.
import { describe, expect, it } from "vitest";
import { ownersOf, parseCodeowners } from "../../src/evidence/codeowners.js";
import { readDocument } from "../../src/evidence/document.js";
import { readEvalEvidence, readEvalResults } from "../../src/evidence/eval-results.js";
import { readManifest } from "../../src/evidence/manifest.js";
import { readPrivacyRecord } from "../../src/evidence/privacy.js";
import { readRollbackPlan } from "../../src/evidence/rollback.js";
import { loadPolicy } from "../../src/policy/load.js";
import { zipOf } from "../evidence/zip.js";

/** Growth bound for a tenfold input: far above linear (10), far below quadratic (100). */
const MAX_GROWTH = 30;
/** Samples of each size: at least MIN_RUNS, then more while the case has taken under a second. */
const MIN_RUNS = 2;
const MAX_RUNS = 5;
/** Measures of a case before it fails. */
const ATTEMPTS = 3;

/** `unit` repeated to about `size` characters. */
const fill = (unit: string, size: number) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));
/** Lines made by `line`, about `size` characters of them. */
function lines(size: number, line: (i: number) => string): string {
  const made: string[] = [];
  for (let length = 0, i = 0; length < size; i++) {
    made.push(line(i));
    length += (made.at(-1) as string).length + 1;
  }
  return made.join("\n");
}

interface Case {
  /** What the pull request contains, as its author would describe it. */
  attack: string;
  /** The smaller size; the larger is ten times it. */
  size: number;
  /** Prepares the input of about `size` and returns the read to time. */
  read: (size: number) => () => unknown;
}

const manifest = (text: string) => () => readManifest("models/churn/artifact.yml", text);
const plan = (text: string) => () => readRollbackPlan("models/churn/ROLLBACK.md", text);
const yamlPlan = (text: string) => () => readRollbackPlan("models/churn/rollback.yml", text);
const privacy = (text: string) => () => readPrivacyRecord("models/churn/privacy-review.yml", text);
const results = (path: string, text: string) => () => readEvalResults(`models/churn/${path}`, text, "auto");
const signed = { datedBy: "last_reviewed", reviewer: true };
const mdDocument = (text: string) => () => readDocument("models/churn/MONITORING.md", text, signed);
const yamlDocument = (text: string) => () => readDocument("models/churn/monitoring.yml", text, signed);
const policy = (text: string) => () => loadPolicy(".github/readiness.yml", text, () => undefined);
const codeowners = (text: string) => () => parseCodeowners(".github/CODEOWNERS", text);

const READERS: Record<string, Case[]> = {
  "artifact.yml": [
    {
      attack: "an owner line with long runs of spaces",
      size: 12_000,
      read: (n) => manifest(`owners: a${fill(" ", n)}b\n`),
    },
    {
      attack: "an owner list item with long runs of spaces",
      size: 12_000,
      read: (n) => manifest(`owners:\n  - a${fill(" ", n)}b\n`),
    },
    {
      attack: "a flow list item with long runs of spaces",
      size: 12_000,
      read: (n) => manifest(`owners: [a${fill(" ", n)}b]\n`),
    },
  ],
  "privacy-review.yml": [
    {
      attack: "thousands of anchors and aliases",
      size: 12_000,
      read: (n) => privacy(lines(n, (i) => `a${i}: &a${i} x\nb${i}: *a${i}`)),
    },
    {
      attack: "a reviewer with long runs of spaces before a comment",
      size: 12_000,
      read: (n) => privacy(`reviewer: a${fill(" ", n)} #\n`),
    },
  ],
  "rollback plan (Markdown)": [
    {
      attack: "a heading with long runs of spaces",
      size: 12_000,
      read: (n) => plan(`# a${fill(" ", n)}b\n`),
    },
    {
      attack: "a heading with runs of blanks before a `#`",
      size: 12_000,
      read: (n) => plan(`# a${fill(" \t", n)}#x\n`),
    },
    { attack: "`[a](` repeated", size: 12_000, read: (n) => plan(fill("[a](", n)) },
    { attack: "`>` repeated", size: 12_000, read: (n) => plan(fill(">", n)) },
    { attack: "`*a` repeated after a quote", size: 12_000, read: (n) => plan(`> q\n\n${fill("*a", n)}`) },
    { attack: "`_a*` repeated after a quote", size: 12_000, read: (n) => plan(`> q\n\n${fill("_a*", n)}`) },
    { attack: "`1. ` repeated", size: 12_000, read: (n) => plan(fill("1. ", n)) },
    { attack: "underlined headings", size: 12_000, read: (n) => plan(fill("a\n=\n", n)) },
    { attack: "link labels and references", size: 12_000, read: (n) => plan(fill("[a][b]", n)) },
    {
      attack: "a long plain plan",
      size: 12_000,
      read: (n) => plan(`## Steps\n${fill("undo the deploy\n", n)}`),
    },
  ],
  "rollback plan (YAML)": [
    {
      attack: "a quoted value broken over thousands of lines",
      size: 12_000,
      read: (n) => yamlPlan(`steps: "${fill("x\n", n)}"`),
    },
    {
      attack: "a step list with long runs of spaces",
      size: 12_000,
      read: (n) => yamlPlan(`steps: [a${fill(" ", n)}b]\n`),
    },
  ],
  "document gate's document (Markdown)": [
    {
      attack: "a Reviewer section of long runs of spaces",
      size: 12_000,
      read: (n) => mdDocument(`## Reviewer\n\n-${fill(" ", n)}!\n`),
    },
    {
      attack: "a Reviewer paragraph of mentions that are not logins",
      size: 12_000,
      read: (n) => mdDocument(`## Reviewer\n\n${fill("x@abc-@a/b ", n)}\n`),
    },
    {
      attack: "a dated section of thousands of lines without a date",
      size: 12_000,
      read: (n) => mdDocument(`## Last reviewed\n${fill("2026-1-01 soon\n", n)}`),
    },
    {
      attack: "`[a](` repeated under a heading",
      size: 12_000,
      read: (n) => mdDocument(`# R\n${fill("[a](", n)}`),
    },
  ],
  "document gate's document (YAML)": [
    {
      attack: "a list of thousands of blank items",
      size: 12_000,
      read: (n) => yamlDocument(`metrics: [${fill("' ', ", n)}]\n`),
    },
    {
      attack: "a reviewer with long runs of spaces",
      size: 12_000,
      read: (n) => yamlDocument(`reviewer: "${fill(" ", n)}!"\n`),
    },
  ],
  "evaluation results": [
    {
      attack: "thousands of native metrics in YAML",
      size: 12_000,
      read: (n) => results("results.yml", `metrics:\n${lines(n, (i) => `  m${i}: 1`)}`),
    },
    {
      attack: "thousands of lm-eval tasks in YAML",
      size: 12_000,
      read: (n) => results("results.yml", `versions: {}\nresults:\n${lines(n, (i) => `  t${i}: {acc: 1}`)}`),
    },
    {
      attack: "a JSON file whose last key repeats",
      size: 12_000,
      read: (n) => results("results.json", `{${lines(n, (i) => `"m${i}":1,`)}"m0":1}`),
    },
    {
      attack: "a JSON file with carriage returns alone",
      size: 12_000,
      read: (n) =>
        results("results.json", `{"metrics": {${lines(n, (i) => `"m${i}": 1`).replaceAll("\n", ",\r")}}}`),
    },
    {
      attack: "a large JSON file of metrics",
      size: 50_000,
      read: (n) =>
        results("results.json", `{"metrics": {${lines(n, (i) => `"m${i}": 0.5`).replaceAll("\n", ",")}}}`),
    },
    {
      attack: "a large promptfoo output",
      size: 1_000_000,
      read: (n) => {
        const result = JSON.stringify({ response: { output: "x ".repeat(500) }, namedScores: { tone: 1 } });
        const all = fill(`${result},`, n).slice(0, -1);
        return results(
          "results.json",
          `{"results": {"version": 3, "stats": {"successes": 1, "failures": 0}, "results": [${all}]}}`,
        );
      },
    },
    {
      attack: "a model card reporting one metric thousands of times",
      size: 12_000,
      read: (n) =>
        results(
          "README.md",
          `---\nmodel-index:\n- results:\n  - dataset: {type: d}\n    metrics:\n${fill("    - {type: a, value: 1}\n", n)}---\n`,
        ),
    },
    {
      attack: "a model card with a long body",
      size: 1_000_000,
      read: (n) =>
        results(
          "README.md",
          `---\nmodel-index:\n- results:\n  - dataset: {type: d}\n    metrics: [{type: a, value: 1}]\n---\n${fill("text\n", n)}`,
        ),
    },
  ],
  "evaluation results (Inspect, .eval_results, CycloneDX, model-card-toolkit, JUnit)": [
    {
      attack: "an Inspect log with thousands of scorers reporting the same metric",
      size: 12_000,
      read: (n) => {
        const score = (i: number) =>
          `{"name": "s${i}", "metrics": {"accuracy": {"value": 1}, "stderr": {"value": 0.1}}}`;
        const scores = lines(n, score).replaceAll("\n", ",");
        return results(
          "log.json",
          `{"version": 2, "status": "success", "eval": {}, "results": {"scores": [${scores}]}}`,
        );
      },
    },
    {
      attack: "an Inspect log that errored with a long message of spaces",
      size: 12_000,
      read: (n) =>
        results(
          "log.json",
          `{"version": 2, "status": "error", "eval": {}, "error": {"message": "a${fill(" ", n)}b"}}`,
        ),
    },
    {
      attack: ".eval_results with thousands of entries for one task",
      size: 12_000,
      read: (n) => results("gpqa.yaml", fill("- {dataset: {id: d, task_id: t}, value: 0.5}\n", n)),
    },
    {
      attack: "a CycloneDX BOM with thousands of metrics of one type",
      size: 12_000,
      read: (n) => {
        const metrics = fill(
          `{"type": "accuracy", "value": "0.9", "slice": "s", "confidenceInterval": {"lowerBound": "0.8", "upperBound": "0.95"}},`,
          n,
        ).slice(0, -1);
        return results(
          "bom.json",
          `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "machine-learning-model", "modelCard": {"quantitativeAnalysis": {"performanceMetrics": [${metrics}]}}}]}`,
        );
      },
    },
    {
      attack: "a model card whose metric values are long runs of digits",
      size: 50_000,
      read: (n) => {
        const metrics = lines(n, (i) => `{"type": "m${i}", "value": "${"9".repeat(60)}x"}`).replaceAll(
          "\n",
          ",",
        );
        return results("card.json", `{"quantitative_analysis": {"performance_metrics": [${metrics}]}}`);
      },
    },
    {
      attack: "a JUnit report with thousands of test cases",
      size: 12_000,
      read: (n) =>
        results(
          "results.xml",
          `<testsuite>${fill('<testcase name="t"><failure/></testcase>', n)}</testsuite>`,
        ),
    },
    {
      attack: "a JUnit report with an attribute of long runs of spaces",
      size: 12_000,
      read: (n) => results("results.xml", `<testsuite><testcase name="a${fill(" ", n)}b"/></testsuite>`),
    },
    {
      attack: "`<` repeated",
      size: 12_000,
      read: (n) => results("results.xml", fill("<", n)),
    },
    {
      attack: "a DOCTYPE after a long report",
      size: 12_000,
      read: (n) => results("results.xml", `<testsuite>${fill("<testcase/>", n)}</testsuite>\n<!DOCTYPE x>`),
    },
  ],
  "policy file": [
    {
      attack: "a value with long runs of spaces",
      size: 12_000,
      read: (n) => policy(`version: 1\nenforcement: a${fill(" ", n)}b\n`),
    },
    {
      attack: "thousands of keys in a flow map",
      size: 12_000,
      read: (n) => policy(`{${lines(n, (i) => `k${i}: 1,`)}version: 1}`),
    },
  ],
  CODEOWNERS: [
    {
      attack: "an owner like an email with thousands of dots",
      size: 12_000,
      read: (n) => codeowners(`* a@${fill("b.", n)}@\n`),
    },
    {
      attack: "thousands of rules",
      size: 12_000,
      read: (n) => codeowners(lines(n, (i) => `/dir${i}/ @acme/t${i}`)),
    },
    {
      attack: "long file names against a rule with many stars",
      size: 20,
      read: (n) => {
        const { codeowners: file } = parseCodeowners("CODEOWNERS", "**/*a*a*a*a*a*a*a*ab* @acme/t\n");
        const paths = Array.from({ length: 200 }, (_, i) => `${"a".repeat(n)}${i}`);
        return () => paths.map((path) => ownersOf(file, path));
      },
    },
    {
      attack: "hundreds of wildcard rules against a deep path",
      size: 50,
      read: (n) => {
        const { codeowners: file } = parseCodeowners(
          "CODEOWNERS",
          Array.from({ length: n }, (_, i) => `/models/**/x${i}* @acme/t`).join("\n"),
        );
        const paths = Array.from({ length: 300 }, (_, i) => `models/m/src/deep/er/file${i}.py`);
        return () => paths.map((path) => ownersOf(file, path));
      },
    },
  ],
};

/** Milliseconds per call of `calls` calls in a row. */
function timed(read: () => unknown, calls: number): number {
  const started = performance.now();
  for (let call = 0; call < calls; call++) read();
  return (performance.now() - started) / calls;
}

/**
 * How much longer one call takes on the large input than on the small one. Samples alternate
 * between the two, so a busy moment slows both, and each lasts at least 20 ms (cheap reads are
 * repeated) so the clock's grain does not count; the fastest sample of each is kept.
 */
function growth(small: () => unknown, large: () => unknown, once: number): number {
  small(); // compiled before it is timed
  const calls = Math.max(1, Math.ceil(20 / Math.max(once, 0.001)));
  let fastestSmall = Number.POSITIVE_INFINITY;
  let fastestLarge = Number.POSITIVE_INFINITY;
  const started = performance.now();
  for (let run = 0; run < MAX_RUNS && (run < MIN_RUNS || performance.now() - started < 1000); run++) {
    fastestLarge = Math.min(fastestLarge, timed(large, calls));
    fastestSmall = Math.min(fastestSmall, timed(small, calls * 10));
  }
  return fastestLarge / fastestSmall;
}

/** Whether a reader refused the input for its size, which would make the timing meaningless. */
function refusedForSize(result: unknown): boolean {
  return /read up to|bytes; GitHub does not load/.test(JSON.stringify(result) ?? "");
}

describe.each(Object.entries(READERS))("reading %s", (_, cases) => {
  it.each(cases.map((c) => [c.attack, c] as const))("grows linearly with %s", (_attack, c) => {
    const small = c.read(c.size);
    const large = c.read(c.size * 10);
    const started = performance.now();
    expect(refusedForSize(large())).toBe(false);
    const once = performance.now() - started;
    // A busy machine (other test files on the same cores, a collection mid-sample) can only make a
    // growth look larger, never smaller: the least of up to three measures is kept. A quadratic
    // reader grows about 100x in every one of them.
    let grew = growth(small, large, once);
    for (let attempt = 1; attempt < ATTEMPTS && grew >= MAX_GROWTH; attempt++) {
      grew = Math.min(grew, growth(small, large, once));
    }
    if (process.env.LINEAR_TIME_REPORT) console.log(`${grew.toFixed(1)}× ${c.attack}`);
    expect(grew).toBeLessThan(MAX_GROWTH);
  });
});

// An `.eval` archive is read asynchronously (yauzl walks its central directory entry by entry), so
// it is timed apart from the synchronous readers above, the same way: tenfold entries, the least
// of several samples of each size taken in turns.
describe("reading an Inspect .eval archive", () => {
  const header = `{"version": 2, "status": "success", "eval": {}, "results": {"scores": [{"name": "s", "metrics": {"accuracy": {"value": 1}}}]}}`;
  const archive = (entries: number) =>
    zipOf(
      [
        ...Array.from({ length: entries }, (_, i): [string, string] => [`samples/${i}_epoch_1.json`, "{}"]),
        ["header.json", header],
      ],
      false,
    );
  const read = async (bytes: Uint8Array) => {
    const started = performance.now();
    const result = await readEvalEvidence(
      "models/churn/eval/run.eval",
      { kind: "file", bytes },
      "auto",
      10 * 1024 * 1024,
    );
    expect(result.ok).toBe(true);
    return performance.now() - started;
  };

  it("grows linearly with thousands of sample entries before header.json", async () => {
    const [small, large] = [await archive(250), await archive(2500)];
    let grew = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < ATTEMPTS && grew >= MAX_GROWTH; attempt++) {
      let fastestSmall = Number.POSITIVE_INFINITY;
      let fastestLarge = Number.POSITIVE_INFINITY;
      for (let run = 0; run < MAX_RUNS; run++) {
        fastestLarge = Math.min(fastestLarge, await read(large));
        fastestSmall = Math.min(fastestSmall, await read(small));
      }
      grew = Math.min(grew, fastestLarge / fastestSmall);
    }
    if (process.env.LINEAR_TIME_REPORT)
      console.log(`${grew.toFixed(1)}× an .eval archive of thousands of entries`);
    expect(grew).toBeLessThan(MAX_GROWTH);
  }, 60_000);
});
