import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normaliseMetricName, readEvalResults } from "../../src/evidence/eval-results.js";
import type { EvalResults, Parsed } from "../../src/evidence/types.js";
import { EVAL_FORMATS } from "../../src/policy/schema.js";
import { errors, ok } from "./results.js";

const REAL = "test/fixtures/real";
const SYNTHETIC = "test/fixtures/eval";

type Format = Parameters<typeof readEvalResults>[2];

function read(dir: string, name: string, format: Format = "auto"): Parsed<EvalResults> {
  return readEvalResults(name, readFileSync(`${dir}/${name}`, "utf8"), format);
}

describe("normaliseMetricName", () => {
  it("trims, lower-cases and joins words with _, keeping / and ,", () => {
    expect(normaliseMetricName("  Pass   Rate ")).toBe("pass_rate");
    expect(normaliseMetricName("Beans/Accuracy")).toBe("beans/accuracy");
    expect(normaliseMetricName("gsm8k/exact_match,strict-match")).toBe("gsm8k/exact_match,strict-match");
    expect(normaliseMetricName("score/Tone\tMatch")).toBe("score/tone_match");
  });
});

describe("promptfoo", () => {
  it("reads the real export: all 4 tests failed, so pass_rate is 0 and no named scores", () => {
    const results = ok(read(REAL, "promptfoo__sample-export.json"));
    expect(results.format).toBe("promptfoo");
    expect(results.metrics).toEqual({ pass_rate: 0, successes: 0, failures: 4, errors: 0 });
    expect(results.lines).toMatchObject({ pass_rate: 596, successes: 597, failures: 598, errors: 599 });
    expect(results.partial).toBeUndefined();
  });

  it("counts errors against the pass rate and averages each named score over the tests that report it", () => {
    const results = ok(read(SYNTHETIC, "promptfoo-named-scores.json"));
    expect(results.metrics.pass_rate).toBe(0.5);
    expect(results.metrics["score/relevance"]).toBeCloseTo(0.6, 12);
    expect(results.metrics["score/tone"]).toBe(0.5);
    expect(results.lines["score/relevance"]).toBe(8);
  });

  it("refuses a run without tests instead of passing it", () => {
    const [error] = errors(read(SYNTHETIC, "promptfoo-no-tests.json"));
    expect(error).toMatchObject({ line: 5, message: expect.stringContaining("no tests") });
  });
});

describe("lm-evaluation-harness", () => {
  it("reads the legacy v0 layout as <task>/<metric>", () => {
    const results = ok(read(REAL, "lm-evaluation-harness__arc_easy-v0-res.json"));
    expect(results.format).toBe("lm-eval");
    expect(results.metrics).toEqual({
      "arc_easy/acc": 0.2474747474747475,
      "arc_easy/acc_norm": 0.24074074074074073,
      "arc_easy/acc_norm_stderr": 0.008772796145221907,
      "arc_easy/acc_stderr": 0.008855114414834707,
    });
    expect(results.lines["arc_easy/acc"]).toBe(1);
    expect(results.partial).toBeUndefined();
  });

  it("reads a string version (arc_challenge v2.0)", () => {
    const results = ok(read(REAL, "lm-evaluation-harness__arc_challenge-v2.0-res.json"));
    expect(results.metrics["arc_challenge/acc"]).toBe(0.26621160409556316);
    expect(results.metrics["arc_challenge/acc_norm"]).toBe(0.28242320819112626);
  });

  it("drops the none filter from v0.4 keys, skips N/A and descriptive fields, and flags the partial run", () => {
    const results = ok(read(REAL, "lm-evaluation-harness__cpu_regression_expected.json"));
    expect(results.metrics).toEqual({
      "arc_easy/acc": 0.3,
      "arc_easy/acc_norm": 0.1,
      "lambada_openai/acc": 0.1,
      "lambada_openai/perplexity": 605.5452047779999,
      "wikitext/bits_per_byte": 1.3393660745008342,
      "wikitext/byte_perplexity": 2.530401076099876,
      "wikitext/word_perplexity": 130.4813590639406,
    });
    expect(results.lines).toMatchObject({
      "arc_easy/acc": 39,
      "lambada_openai/perplexity": 52,
      "wikitext/word_perplexity": 64,
    });
    expect(results.partial).toBe(
      "partial run: arc_easy was evaluated on 10 of 2376 samples, lambada_openai was evaluated on 10 of 5153 samples, wikitext was evaluated on 10 of 62 samples",
    );
  });

  it("exposes group metrics as <group>/<metric>", () => {
    const results = ok(read(REAL, "lm-evaluation-harness__cpu_group_regression_expected.json"));
    expect(results.metrics).toEqual({
      "arc_challenge/acc": 0,
      "arc_challenge/acc_norm": 0,
      "arc_easy/acc": 0.3,
      "arc_easy/acc_norm": 0.1,
      "regression_arc/acc": 0.15,
      "regression_arc/acc_norm": 0.05,
    });
    expect(results.lines["regression_arc/acc"]).toBe(72);
    expect(results.partial).toContain("arc_challenge was evaluated on 10 of 1172 samples");
  });

  it("keeps a non-none filter and stderr metrics, and names the limit and the short task", () => {
    const results = ok(read(SYNTHETIC, "lm-eval-limit.json"));
    expect(results.metrics).toEqual({
      "gsm8k/exact_match,strict-match": 0.25,
      "gsm8k/exact_match_stderr,strict-match": 0.0971,
      "gsm8k/exact_match,flexible-extract": 0.3,
      "gsm8k/exact_match_stderr,flexible-extract": 0.1051,
    });
    expect(results.lines["gsm8k/exact_match,flexible-extract"]).toBe(7);
    expect(results.partial).toBe(
      "partial run (config.limit is 20): gsm8k was evaluated on 20 of 1319 samples",
    );
  });

  it("flags a run with config.limit even without sample counts", () => {
    const results = ok(read(SYNTHETIC, "lm-eval-limit-only.json"));
    expect(results.metrics).toEqual({ "hellaswag/acc": 0.5, "hellaswag/acc_stderr": 0.05 });
    expect(results.partial).toMatch(/^partial run \(config\.limit is 0\.1\)/);
  });

  it("does not flag a full run (limit null, effective = original)", () => {
    expect(ok(read(SYNTHETIC, "lm-eval-full.json")).partial).toBeUndefined();
  });
});

describe("Hugging Face model index", () => {
  it("reads <dataset>/<metric> and the bare metric when unique", () => {
    const results = ok(read(REAL, "huggingface_hub__sample_simple_model_index.md"));
    expect(results.format).toBe("hf-model-index");
    expect(results.metrics).toEqual({ "beans/accuracy": 0.9, "beans/f1": 0.66, accuracy: 0.9, f1: 0.66 });
    expect(results.lines).toEqual({ "beans/accuracy": 22, "beans/f1": 35, accuracy: 22, f1: 35 });
    expect(results.ambiguous).toEqual({});
  });

  it("tolerates CRLF line breaks with the same lines", () => {
    const text = readFileSync(`${REAL}/huggingface_hub__sample_simple_model_index.md`, "utf8").replace(
      /\n/g,
      "\r\n",
    );
    const results = ok(readEvalResults("README.md", text, "auto"));
    expect(results.metrics["beans/accuracy"]).toBe(0.9);
    expect(results.lines["beans/f1"]).toBe(35);
  });

  it("reports a result without a dataset at its line", () => {
    expect(errors(read(REAL, "huggingface_hub__sample_invalid_model_index.md"))).toEqual([
      {
        path: "huggingface_hub__sample_invalid_model_index.md",
        line: 15,
        column: 5,
        message:
          "model-index[0].results[0] has no dataset: each result needs dataset.type to name its metrics <dataset>/<metric>",
      },
    ]);
  });

  it("says there is no model-index when the card has no front matter", () => {
    const [error] = errors(read(REAL, "huggingface_hub__sample_no_metadata.md"));
    expect(error?.message).toMatch(/^no model-index in the model card front matter/);
    expect(error?.line).toBe(1);
  });

  it("reads CRLF front matter without a model-index as no model-index", () => {
    const [error] = errors(read(REAL, "huggingface_hub__sample_windows_line_breaks.md"));
    expect(error?.message).toBe("no model-index in the model card front matter");
  });

  it("reads all 9 notus results; repeated bare names are ambiguous", () => {
    const results = ok(read(REAL, "notus__MODEL_CARD.md"));
    expect(results.metrics).toEqual({
      "ai2_arc/acc_norm": 0.6459044368600683,
      "hellaswag/acc_norm": 0.8478390758812986,
      "drop/f1": 0.08913590604026835,
      "truthful_qa/mc2": 0.5436768358952805,
      "cais/mmlu/acc": 0.6303308230938872,
      "gsm8k/acc": 0.1516300227445034,
      "winogrande/acc": 0.7940015785319653,
      "tatsu-lab/alpaca_eval/tatsu-lab/alpaca_eval": 0.9142,
      "unknown/unknown": 7.3,
      f1: 0.08913590604026835,
      mc2: 0.5436768358952805,
      "tatsu-lab/alpaca_eval": 0.9142,
      unknown: 7.3,
    });
    expect(results.ambiguous).toEqual({
      acc_norm: ["ai2_arc/acc_norm", "hellaswag/acc_norm"],
      acc: ["cais/mmlu/acc", "gsm8k/acc", "winogrande/acc"],
    });
    expect(results.lines["cais/mmlu/acc"]).toBe(101); // the value carries an inline comment
    expect(results.lines["unknown/unknown"]).toBe(164);
  });

  it("does not pick a split when one dataset reports a metric twice", () => {
    const results = ok(read(SYNTHETIC, "hf-two-splits.md"));
    expect(results.metrics).toEqual({ "glue/f1": 0.9, "imdb/f1": 0.93 });
    const splits = [
      "glue/accuracy (line 8, config mrpc, split validation)",
      "glue/accuracy (line 13, config mrpc, split test)",
    ];
    expect(results.ambiguous).toEqual({
      "glue/accuracy": splits,
      accuracy: splits,
      f1: ["glue/f1", "imdb/f1"],
    });
  });

  it("reads a front-matter card under a non-Markdown name in auto mode", () => {
    const text = readFileSync(`${REAL}/huggingface_hub__sample_simple_model_index.md`, "utf8");
    expect(ok(readEvalResults("eval/card.txt", text, "auto")).metrics.accuracy).toBe(0.9);
  });
});

describe("native", () => {
  it("reads metrics, evaluated, dataset and date", () => {
    const results = ok(read(SYNTHETIC, "native-evaluated.yml"));
    expect(results.format).toBe("native");
    expect(results.metrics).toEqual({ accuracy: 0.93, pass_rate: 0.97, latency_p95_ms: 412 });
    expect(results.lines).toEqual({ accuracy: 3, pass_rate: 4, latency_p95_ms: 5 });
    expect(results.evaluated).toEqual({
      commit: "4e7e0d47f33bc71070c1d38394bafbb52b117163",
      files: {
        "model.py": "0123456789abcdef0123456789abcdef01234567",
        "weights/config.json": "89abcdef0123456789abcdef0123456789abcdef",
      },
    });
  });

  it("reads native JSON", () => {
    const results = ok(read(SYNTHETIC, "native-minimal.json"));
    expect(results.metrics).toEqual({ accuracy: 0.91, f1: 0.88 });
    expect(results.lines).toEqual({ accuracy: 3, f1: 4 });
    expect(results.evaluated).toBeUndefined();
  });

  it("reports a duplicate key at its line", () => {
    expect(errors(read(SYNTHETIC, "native-duplicate-key.json"))).toEqual([
      {
        path: "native-duplicate-key.json",
        line: 4,
        column: 5,
        message: "duplicate key: each key may appear only once",
      },
    ]);
  });

  it("reports invalid JSON with line and column", () => {
    const [error] = errors(read(SYNTHETIC, "native-invalid.json"));
    expect(error).toMatchObject({ path: "native-invalid.json", line: 4, column: 17 }); // the second comma
  });

  it("reports each non-number metric at its value", () => {
    expect(errors(read(SYNTHETIC, "native-non-number.yml"))).toEqual([
      {
        path: "native-non-number.yml",
        line: 3,
        column: 7,
        message: 'metric "f1" must be a number, not the text "0.88"',
      },
      {
        path: "native-non-number.yml",
        line: 4,
        column: 10,
        message: 'metric "recall" must be a number, not nothing',
      },
    ]);
  });

  it("reports unknown top-level keys with a suggestion (explicit format)", () => {
    const found = errors(read(SYNTHETIC, "native-unknown-key.yml", "native"));
    expect(found).toContainEqual({
      path: "native-unknown-key.yml",
      line: 1,
      column: 1,
      message: 'unknown key "metric"; did you mean "metrics"?',
    });
    expect(found.some((e) => e.message.startsWith("native results need a metrics map"))).toBe(true);
  });

  it("rejects names that collide once normalised, a bad blob SHA and a bad date", () => {
    const text = [
      "metrics:",
      "  Accuracy: 0.9",
      "  accuracy: 0.8",
      "evaluated:",
      "  files:",
      "    model.py: main",
      "date: yesterday",
    ].join("\n");
    const found = errors(readEvalResults("results.yml", text, "auto")).map((e) => [e.line, e.message]);
    expect(found).toEqual([
      [3, 'metric "accuracy" repeats another metric\'s name (names ignore case and spacing)'],
      [6, 'evaluated.files["model.py"] must be a git blob SHA (40 hex digits), not the text "main"'],
      [7, 'date must be a YYYY-MM-DD date, not the text "yesterday"'],
    ]);
  });

  it("needs at least one metric", () => {
    const [error] = errors(readEvalResults("results.json", '{"metrics": {}}', "auto"));
    expect(error?.message).toMatch(/metrics is empty/);
  });

  it("reads a YAML file that starts with a document marker as native, not as a model card", () => {
    expect(ok(readEvalResults("results.yml", "---\nmetrics:\n  accuracy: 0.9\n", "auto")).lines).toEqual({
      accuracy: 3,
    });
  });
});

describe("shapes and formats", () => {
  it("says the file is empty", () => {
    expect(errors(read(SYNTHETIC, "empty.json"))).toEqual([
      { path: "empty.json", line: 1, column: 1, message: "the evaluation results file is empty" },
    ]);
  });

  it.each([
    ['{"score": 1}', "a map with keys score"],
    ["[1, 2]", "a list of 2 items"],
  ])("rejects %s as an unknown shape, naming every format tried", (text, found) => {
    const [error] = errors(readEvalResults("results.json", text, "auto"));
    expect(error).toMatchObject({ path: "results.json", line: 1, column: 1 });
    expect(error?.message).toContain(`unknown evaluation results format: found ${found}`);
    for (const format of EVAL_FORMATS.filter((f) => f !== "auto"))
      expect(error?.message).toContain(`${format} (`);
  });

  it("names the real format when the policy's format does not match the file", () => {
    const [error] = errors(read(REAL, "lm-evaluation-harness__arc_easy-v0-res.json", "promptfoo"));
    expect(error?.message).toMatch(
      /^the policy says format: promptfoo, but lm-evaluation-harness__arc_easy-v0-res\.json looks like lm-eval results; set format: lm-eval/,
    );
  });

  it("explains what promptfoo expects when the file is no known format", () => {
    const [error] = errors(readEvalResults("results.json", '{"score": 1}', "promptfoo"));
    expect(error?.message).toMatch(
      /^not a promptfoo results file: expected `results.version` and `results.stats`/,
    );
  });

  it("reads a model card only as a model card when the format says so", () => {
    const [error] = errors(read(REAL, "lm-evaluation-harness__arc_easy-v0-res.json", "hf-model-index"));
    expect(error?.message).toMatch(/^no model-index in the model card front matter/);
    expect(
      ok(read(REAL, "lm-evaluation-harness__arc_easy-v0-res.json", "lm-eval")).metrics["arc_easy/acc"],
    ).toBe(0.2474747474747475);
  });
});

describe("large results", () => {
  it("reads JSON results larger than the YAML limit (promptfoo writes every output)", () => {
    const result = { response: { output: "x".repeat(1000) }, namedScores: { tone: 0.5 } };
    const text = JSON.stringify({
      results: { version: 3, stats: { successes: 3, failures: 1 }, results: Array(500).fill(result) },
    });
    const read = readEvalResults("eval/results.json", text, "auto");
    expect(read.ok && read.value.metrics).toMatchObject({ pass_rate: 0.75, "score/tone": 0.5 });
  });

  it("refuses YAML results larger than the YAML limit, saying the limit", () => {
    const text = `metrics:\n  a: 1\nnote: ${"x".repeat(140_000)}\n`;
    const read = readEvalResults("eval/results.yml", text, "auto");
    expect(!read.ok && read.errors[0]?.message).toBe(
      `the file is ${text.length} bytes and is not JSON: YAML is read up to 131072 bytes, larger results only as plain JSON`,
    );
  });

  it("shortens a long text in an error about a metric", () => {
    const read = readEvalResults(
      "eval/results.json",
      JSON.stringify({ metrics: { a: "x".repeat(5000) } }),
      "auto",
    );
    expect(!read.ok && read.errors[0]?.message.length).toBeLessThan(120);
  });
});
