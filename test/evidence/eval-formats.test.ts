// The result formats beyond native, promptfoo, lm-eval and model cards: Inspect AI JSON logs,
// Hugging Face `.eval_results`, CycloneDX ML-BOM and model-card-toolkit JSON, JUnit XML — and the
// standard errors each carries, which the noise-aware regression rule reads.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type EvalEvidence, readEvalEvidence, readEvalResults } from "../../src/evidence/eval-results.js";
import { errors, expectRealInspectReading, ok } from "./results.js";

const REAL = "test/fixtures/real";
const INSPECT = "inspect_ai__2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json";
const LIMIT = 10 * 1024 * 1024;

type Format = Parameters<typeof readEvalResults>[2];

const real = (name: string) => readFileSync(`${REAL}/${name}`, "utf8");
const read = (name: string, text: string, format: Format = "auto") => readEvalResults(name, text, format);

// biome-ignore lint/suspicious/noExplicitAny: the parsed JSON log, edited in place by each case
type Log = Record<string, any>;

/** The real Inspect log with `change` applied to its parsed JSON, written back with two-space indents. */
function inspectWith(change: (log: Log) => void): string {
  const log = JSON.parse(real(INSPECT));
  change(log);
  return JSON.stringify(log, null, 2);
}

describe("Inspect AI JSON log", () => {
  it("reads the real log: <score>/<metric>, the bare metric, and stderr as its siblings' standard error", () => {
    const results = ok(read(INSPECT, real(INSPECT)));
    expectRealInspectReading(results);
    expect(results.lines["model_graded_fact/accuracy"]).toBe(56);
    expect(results.partial).toBeUndefined();
  });

  it("reads it with format: inspect too", () => {
    expect(ok(read(INSPECT, real(INSPECT), "inspect")).metrics.accuracy).toBe(1);
  });

  it("offers the bare metric only when one scorer reports it", () => {
    const text = inspectWith((log) => {
      const [score] = log.results.scores;
      log.results.scores.push({
        ...score,
        name: "match",
        metrics: { accuracy: { name: "accuracy", value: 0.5 } },
      });
    });
    const results = ok(read(INSPECT, text));
    expect(results.metrics).toMatchObject({ "model_graded_fact/accuracy": 1, "match/accuracy": 0.5 });
    expect(results.metrics.accuracy).toBeUndefined();
    expect(results.ambiguous.accuracy).toEqual(["model_graded_fact/accuracy", "match/accuracy"]);
  });

  it.each([
    [
      "a status of error, with the error's first line",
      (log: Log) => {
        log.status = "error";
        log.error = { message: "RateLimitError: too many requests\ntraceback…", traceback: "" };
      },
      'partial run: the run\'s status is "error": RateLimitError: too many requests, not "success"',
    ],
    [
      "fewer completed samples than the task has",
      (log: Log) => {
        log.results.total_samples = 10;
        log.results.completed_samples = 7;
      },
      "partial run: 7 of 10 samples were completed",
    ],
    [
      "a sample limit",
      (log: Log) => {
        log.eval.config.limit = 5;
      },
      "partial run: eval.config.limit is 5",
    ],
  ])("flags %s as a partial run", (_, change, partial) => {
    expect(ok(read(INSPECT, inspectWith(change))).partial).toBe(partial);
  });

  it("fails a run that errored before scoring at its status, with the error", () => {
    const text = inspectWith((log) => {
      log.status = "error";
      log.error = { message: "model not found" };
      delete log.results;
    });
    expect(errors(read(INSPECT, text))).toEqual([
      {
        path: INSPECT,
        line: 3,
        column: 13,
        message:
          'the Inspect log has no results (the run\'s status is "error": model not found): it cannot vouch for the task',
      },
    ]);
  });

  it("refuses a metric that is not a number, at its line", () => {
    const text = inspectWith((log) => {
      log.results.scores[0].metrics.accuracy.value = "high";
    });
    const [error] = errors(read(INSPECT, text));
    expect(error).toMatchObject({
      line: expect.any(Number),
      message: 'results.scores[0].metrics.accuracy must be a number, not the text "high"',
    });
    expect(text.split("\n")[(error?.line ?? 0) - 1]).toContain('"high"');
  });
});

describe("Hugging Face .eval_results", () => {
  const FILE = "hub-docs__eval_results.yaml";

  it("refuses the real template's unfilled placeholders, each at its line, and says they are placeholders", () => {
    expect(errors(read(FILE, real(FILE))).map((e) => [e.line, e.message])).toEqual([
      [
        4,
        "entry 1: dataset.task_id must be text, not a map ({task_id} is the template's placeholder: fill in the value)",
      ],
      [
        9,
        "entry 1: value must be a number, not a map ({metric_value} is the template's placeholder: fill in the value)",
      ],
    ]);
  });

  it("reads the template's concrete entry as <dataset id>/<task_id> and the bare task_id", () => {
    const concrete = real(FILE).split("# or, with only the required attributes:")[1] as string;
    const results = ok(read(FILE, concrete, "hf-eval-results"));
    expect(results.format).toBe("hf-eval-results");
    expect(results.metrics).toEqual({ "idavidrein/gpqa/gpqa_diamond": 0.412, gpqa_diamond: 0.412 });
    expect(results.lines.gpqa_diamond).toBe(6);
  });

  it("reads a folder's files as one set: a task_id two datasets report is offered only qualified", async () => {
    const evidence: EvalEvidence = {
      kind: "folder",
      files: [
        {
          path: ".eval_results/gpqa.yaml",
          bytes: utf8("- dataset: {id: Idavidrein/gpqa, task_id: main}\n  value: 0.41\n"),
        },
        {
          path: ".eval_results/mmlu.yaml",
          bytes: utf8(
            "- dataset: {id: cais/mmlu, task_id: main}\n  value: 0.7\n- dataset: {id: cais/mmlu, task_id: pro}\n  value: 0.5\n",
          ),
        },
      ],
    };
    const results = ok(await readEvalEvidence(".eval_results/", evidence, "auto", LIMIT));
    expect(results.metrics).toEqual({
      "idavidrein/gpqa/main": 0.41,
      "cais/mmlu/main": 0.7,
      "cais/mmlu/pro": 0.5,
      pro: 0.5,
    });
    expect(results.ambiguous.main).toEqual(["idavidrein/gpqa/main", "cais/mmlu/main"]);
  });

  it("locates an error in a folder's file at that file", async () => {
    const evidence: EvalEvidence = {
      kind: "folder",
      files: [
        { path: ".eval_results/a.yaml", bytes: utf8("- dataset: {id: x, task_id: t}\n  value: high\n") },
      ],
    };
    expect(errors(await readEvalEvidence(".eval_results/", evidence, "auto", LIMIT))).toEqual([
      {
        path: ".eval_results/a.yaml",
        line: 2,
        column: 10,
        message: 'entry 1: value must be a number, not the text "high"',
      },
    ]);
  });

  it("locates a folder's file that is not YAML, or not UTF-8, at that file", async () => {
    const evidence: EvalEvidence = {
      kind: "folder",
      files: [
        { path: ".eval_results/a.yaml", bytes: utf8("- dataset: [unclosed\n") },
        { path: ".eval_results/b.yaml", bytes: new Uint8Array([0xff, 0xfe]) },
      ],
    };
    const found = errors(await readEvalEvidence(".eval_results/", evidence, "auto", LIMIT));
    expect(found.map((e) => e.path)).toEqual([".eval_results/a.yaml", ".eval_results/b.yaml"]);
    expect(found[1]?.message).toBe("the file is not valid UTF-8 text");
  });

  it("says a folder can only be hf-eval-results when the policy names another format", async () => {
    const evidence: EvalEvidence = { kind: "folder", files: [] };
    const result = await readEvalEvidence("eval/", evidence, "lm-eval", LIMIT);
    expect(!result.ok && "wrongFormat" in result && result.wrongFormat).toEqual({
      wanted: "lm-eval",
      detected: "hf-eval-results",
    });
  });
});

describe("CycloneDX ML-BOM and model-card-toolkit", () => {
  const BOM = "cyclonedx-specification__valid-machine-learning-1.6.json";
  const MCT = "model-card-toolkit__full.json";

  it("refuses the real BOM's template metric (its value is the text of the spec), at its line", () => {
    expect(errors(read(BOM, real(BOM)))).toEqual([
      {
        path: BOM,
        line: 41,
        column: 24,
        message:
          'components[0].modelCard.quantitativeAnalysis.performanceMetrics[0].value must be a number, not the text "The value of the performance metric"',
      },
    ]);
  });

  it("reads the BOM's metric once filled in: <type>/<slice>, the bare type, and the interval's standard error", () => {
    const bom = JSON.parse(real(BOM));
    bom.components[0].modelCard.quantitativeAnalysis.performanceMetrics = [
      {
        type: "accuracy",
        value: "0.91",
        slice: "en",
        confidenceInterval: { lowerBound: "0.89", upperBound: 0.93 },
      },
      { type: "f1", value: 0.8 },
    ];
    const results = ok(read(BOM, JSON.stringify(bom), "cyclonedx"));
    expect(results.format).toBe("cyclonedx");
    expect(results.metrics).toEqual({ "accuracy/en": 0.91, f1: 0.8, accuracy: 0.91 });
    expect(results.stderr?.["accuracy/en"]).toBeCloseTo(0.04 / 3.92, 12);
    expect(results.stderr?.accuracy).toBeCloseTo(0.04 / 3.92, 12);
    expect(results.stderr?.f1).toBeUndefined();
  });

  it("reads the real model-card-toolkit card: numeric strings are numbers, and the interval gives the standard error", () => {
    const results = ok(read(MCT, real(MCT)));
    expect(results.format).toBe("cyclonedx");
    expect(results.metrics).toEqual({ "accuracy/overall": 0.9, accuracy: 0.9 });
    expect(results.stderr?.accuracy).toBeCloseTo(0.1 / 3.92, 12);
    expect(results.lines.accuracy).toBe(53);
  });

  it("offers a type reported for two slices only with its slice", () => {
    const card = {
      quantitative_analysis: {
        performance_metrics: [
          { type: "accuracy", value: 0.9, slice: "en" },
          { type: "accuracy", value: 0.8, slice: "fr" },
        ],
      },
    };
    const results = ok(read("card.json", JSON.stringify(card)));
    expect(results.metrics).toEqual({ "accuracy/en": 0.9, "accuracy/fr": 0.8 });
    expect(results.ambiguous.accuracy).toEqual(["accuracy/en", "accuracy/fr"]);
  });

  it.each(["0x10", "Infinity", "1,5", ""])("refuses the value %j as not a number", (value) => {
    const card = { quantitative_analysis: { performance_metrics: [{ type: "accuracy", value }] } };
    expect(errors(read("card.json", JSON.stringify(card)))[0]?.message).toMatch(/value must be a number/);
  });

  it("refuses a confidence interval whose bounds are not numbers in order, at the interval", () => {
    const card = {
      quantitative_analysis: {
        performance_metrics: [
          { type: "accuracy", value: 0.9, confidence_interval: { lower_bound: "0.95", upper_bound: "0.85" } },
        ],
      },
    };
    expect(errors(read("card.json", JSON.stringify(card, null, 2)))).toEqual([
      {
        path: "card.json",
        line: 7,
        column: expect.any(Number),
        message: expect.stringMatching(
          /^quantitative_analysis\.performance_metrics\[0\]\.confidence_interval must have numeric lower_bound ≤ upper_bound/,
        ),
      },
    ]);
  });

  it("refuses a BOM older than 1.5, which has no model cards", () => {
    const bom = { bomFormat: "CycloneDX", specVersion: "1.4", components: [] };
    expect(errors(read("bom.json", JSON.stringify(bom)))[0]?.message).toMatch(/ML-BOMs start at 1\.5/);
  });
});

describe("JUnit XML", () => {
  const pytest = `<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="1">
  <testcase classname="test_eval" name="test_answers" time="0.1"/>
  <testcase classname="test_eval" name="test_tone" time="0.1"><failure message="assert 0.4 &gt;= 0.5">tone</failure></testcase>
  <testcase classname="test_eval" name="test_json" time="0.1"><error message="fixture failed"/></testcase>
  <testcase classname="test_eval" name="test_slow" time="0"><skipped message="slow"/></testcase>
  <testcase classname="test_eval" name="test_length" time="0.1"></testcase>
</testsuite></testsuites>`;

  it("counts the cases themselves, not the suite's attributes: pass_rate = passed / (tests − skipped)", () => {
    const results = ok(read("results.xml", pytest));
    expect(results.format).toBe("junit");
    expect(results.metrics).toEqual({ pass_rate: 2 / 4, tests: 5, failures: 1, errors: 1, skipped: 1 });
  });

  it("is recognised by shape whatever the file is called", () => {
    expect(ok(read("eval/results.json", pytest)).format).toBe("junit");
  });

  it("refuses a billion-laughs DOCTYPE at where it starts, without expanding it", () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n<testsuite><testcase name="&lol2;"/></testsuite>`;
    expect(errors(read("results.xml", laughs))).toEqual([
      {
        path: "results.xml",
        line: 2,
        column: 1,
        message: "a DOCTYPE declaration is not accepted in JUnit XML (entities could expand without bound)",
      },
    ]);
  });

  it("reads a report whose captured output or comments mention a DOCTYPE: it is text, not a declaration", () => {
    const captured = `<testsuite>
  <!-- <!DOCTYPE lolz [ <!ENTITY lol "lol"> ]> -->
  <testcase name="renders the page"><system-out><![CDATA[<!DOCTYPE html><html></html>]]></system-out></testcase>
  <testcase name="escapes"><system-out>&lt;!DOCTYPE html&gt;</system-out></testcase>
</testsuite>`;
    expect(ok(read("results.xml", captured)).metrics).toMatchObject({ tests: 2, pass_rate: 1 });
  });

  it("refuses a DOCTYPE however it is spelled, and an ENTITY outside one", () => {
    for (const xml of [
      `<!DOCTYPE testsuite>\n<testsuite><testcase name="a"/></testsuite>`,
      `<!doctype testsuite>\n<testsuite><testcase name="a"/></testsuite>`,
      `<!ENTITY lol "lol">\n<testsuite><testcase name="a"/></testsuite>`,
    ]) {
      expect(errors(read("results.xml", xml))).toEqual([
        expect.objectContaining({ path: "results.xml", line: 1 }),
      ]);
    }
  });

  it("reads XML's own entities, and refuses an undefined one at its place", () => {
    expect(ok(read("results.xml", `<testsuite><testcase name="a &amp; b"/></testsuite>`)).metrics.tests).toBe(
      1,
    );
    expect(errors(read("results.xml", `<testsuite>\n<testcase name="&lol9;"/></testsuite>`))).toEqual([
      {
        path: "results.xml",
        line: 2,
        column: expect.any(Number),
        message: "not well-formed XML: undefined entity.",
      },
    ]);
  });

  it("locates XML that is not well-formed", () => {
    const [error] = errors(read("results.xml", "<testsuite>\n  <testcase name='a'>\n</testsuite>"));
    expect(error).toMatchObject({
      path: "results.xml",
      line: 3,
      message: expect.stringMatching(/^not well-formed XML: /),
    });
  });

  it("refuses a report where no test ran", () => {
    const xml = `<testsuite><testcase name="a"><skipped/></testcase></testsuite>`;
    expect(errors(read("results.xml", xml))[0]?.message).toBe(
      "the JUnit report has no test that ran (1 tests, 1 skipped): an empty run is not a pass",
    );
  });

  it("refuses XML that is not a test report", () => {
    expect(errors(read("results.xml", "<html><body/></html>"))[0]?.message).toMatch(/^not a JUnit report/);
  });
});

describe("lm-evaluation-harness standard errors", () => {
  it("reads <metric>_stderr as the standard error of <metric>", () => {
    const name = "lm-evaluation-harness__arc_easy-v0-res.json";
    expect(ok(read(name, real(name))).stderr).toEqual({
      "arc_easy/acc": 0.008855114414834707,
      "arc_easy/acc_norm": 0.008772796145221907,
    });
  });

  it('reads "N/A" as no standard error', () => {
    const name = "lm-evaluation-harness__cpu_regression_expected.json";
    expect(ok(read(name, real(name))).stderr).toBeUndefined();
  });

  it("keeps a filter: exact_match_stderr,strict-match is the standard error of exact_match,strict-match", () => {
    const text = JSON.stringify({
      results: { gsm8k: { "exact_match,strict-match": 0.25, "exact_match_stderr,strict-match": 0.0971 } },
      versions: { gsm8k: 3 },
    });
    expect(ok(read("results.json", text)).stderr).toEqual({ "gsm8k/exact_match,strict-match": 0.0971 });
  });
});

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
