// The evaluation gate on a mixed repository: thresholds apply where their `kinds` and `tiers`
// filters match; `bind: digest` for formats other than native reads `evaluated.yml` beside the
// results; a results file in another format than the policy's gets a fix naming `format`.
import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { evaluationGate } from "../../src/gates/evaluation.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import type { PolicyInput } from "../../src/policy/schema.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

type Evaluation = NonNullable<NonNullable<PolicyInput["gates"]>["evaluation"]>;
const gates = (evaluation: Evaluation) => ({ gates: { evaluation } });
const MIXED: Evaluation["thresholds"] = [
  { metric: "accuracy", min: 0.9, kinds: ["model"] },
  { metric: "pass_rate", min: 0.95, kinds: ["prompt"] },
  { metric: "latency_ms", max: 250, kinds: ["model"], tiers: ["high"] },
];
const promptfoo = (successes: number, failures: number) =>
  JSON.stringify({ results: { version: 3, results: [], stats: { successes, failures, errors: 0 } } });
const sha = (text: string) => gitBlobSha(new TextEncoder().encode(text));

const MODEL_RESULTS = "models/a/eval/results.json";
const PROMPT_RESULTS = "prompts/p/eval/results.json";
const PROMPT_EVALUATED = "prompts/p/eval/evaluated.yml";
const model = (tier: "medium" | "high" = "high") =>
  artifactAt("models/a", { kind: "model", tier, changedPaths: ["models/a/model.py", MODEL_RESULTS] });
const prompt = artifactAt("prompts/p", {
  kind: "prompt",
  tier: "medium",
  changedPaths: ["prompts/p/prompt.txt", PROMPT_RESULTS],
});

const thresholdCases: Array<[string, TouchedArtifact, GateFacts, Shown]> = [
  [
    "a model is held to the model thresholds only",
    model(),
    {
      policy: gates({ thresholds: MIXED, bind: "none" }),
      head: { [MODEL_RESULTS]: `{"metrics": {"accuracy": 0.93, "latency_ms": 120}}` },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "a prompt is held to the prompt threshold only",
    prompt,
    { policy: gates({ thresholds: MIXED, bind: "none" }), head: { [PROMPT_RESULTS]: promptfoo(19, 1) } },
    { status: "pass", reasons: [] },
  ],
  [
    "a prompt below its own threshold",
    prompt,
    { policy: gates({ thresholds: MIXED, bind: "none" }), head: { [PROMPT_RESULTS]: promptfoo(9, 1) } },
    { status: "fail", reasons: ["pass_rate 0.90 is below the minimum 0.95"] },
  ],
  [
    "a tiers filter leaves out other tiers",
    model("medium"),
    {
      policy: gates({ thresholds: MIXED, bind: "none" }),
      head: { [MODEL_RESULTS]: `{"metrics": {"accuracy": 0.93}}` },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "a model that does not report a metric of its kind still fails",
    model(),
    {
      policy: gates({ thresholds: MIXED, bind: "none" }),
      head: { [MODEL_RESULTS]: `{"metrics": {"accuracy": 0.93}}` },
    },
    { status: "fail", reasons: [`${MODEL_RESULTS} does not report 'latency_ms'; it reports accuracy`] },
  ],
  [
    "two thresholds on one metric: the tighter applies, once",
    model(),
    {
      policy: gates({
        thresholds: [
          { metric: "accuracy", min: 0.9 },
          { metric: "Accuracy", min: 0.95, kinds: ["model"] },
        ],
        bind: "none",
      }),
      head: { [MODEL_RESULTS]: `{"metrics": {"accuracy": 0.93}}` },
    },
    { status: "fail", reasons: ["accuracy 0.93 is below the minimum 0.95"] },
  ],
  [
    "regression compares only the metrics whose thresholds apply",
    prompt,
    {
      policy: gates({
        thresholds: [...MIXED, { metric: "successes", min: 1, kinds: ["model"] }],
        bind: "none",
        regression: { tolerance: 0.01 },
      }),
      base: { [PROMPT_RESULTS]: promptfoo(30, 0) },
      head: { [PROMPT_RESULTS]: promptfoo(20, 0) },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "regression of a metric whose threshold applies",
    prompt,
    {
      policy: gates({
        thresholds: [...MIXED, { metric: "successes", min: 1, kinds: ["prompt"] }],
        bind: "none",
        regression: { tolerance: 0.01 },
      }),
      base: { [PROMPT_RESULTS]: promptfoo(30, 0) },
      head: { [PROMPT_RESULTS]: promptfoo(20, 0) },
    },
    {
      status: "fail",
      reasons: ["successes regressed from 30 on the base branch to 20, more than the tolerance 0.01"],
    },
  ],
];

const content = "Answer politely.\n";
const evaluatedYml = (text: string) =>
  `evaluated:\n  commit: "abc1234"\n  files:\n    prompt.txt: ${sha(text)}\n`;
const digestCases: Array<[string, GateFacts, Shown]> = [
  [
    "promptfoo results without evaluated.yml",
    { head: { "prompts/p/prompt.txt": content, [PROMPT_RESULTS]: promptfoo(20, 0) } },
    {
      status: "fail",
      reasons: [
        `${PROMPT_EVALUATED} does not exist: promptfoo results cannot carry the evaluated: block of bind: digest, so it is kept in evaluated.yml beside them`,
      ],
    },
  ],
  [
    "promptfoo results with a matching evaluated.yml",
    {
      head: {
        "prompts/p/prompt.txt": content,
        [PROMPT_RESULTS]: promptfoo(20, 0),
        [PROMPT_EVALUATED]: evaluatedYml(content),
      },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "promptfoo results whose evaluated.yml lists another version",
    {
      head: {
        "prompts/p/prompt.txt": content,
        [PROMPT_RESULTS]: promptfoo(20, 0),
        [PROMPT_EVALUATED]: evaluatedYml("Answer rudely.\n"),
      },
    },
    {
      status: "fail",
      reasons: ["evaluated.files does not match the artifact: prompt.txt differs from the evaluated version"],
    },
  ],
  [
    "an evaluated.yml with an extra entry",
    {
      head: {
        "prompts/p/prompt.txt": content,
        [PROMPT_RESULTS]: promptfoo(20, 0),
        [PROMPT_EVALUATED]: `${evaluatedYml(content)}    old.txt: ${sha("x")}\n`,
      },
    },
    {
      status: "fail",
      reasons: ["evaluated.files does not match the artifact: old.txt is listed but not in the artifact"],
    },
  ],
  [
    "an evaluated.yml that is not an evaluated: block",
    {
      head: {
        "prompts/p/prompt.txt": content,
        [PROMPT_RESULTS]: promptfoo(20, 0),
        [PROMPT_EVALUATED]: `files:\n  prompt.txt: ${sha(content)}\n`,
      },
    },
    {
      status: "fail",
      reasons: [
        `${PROMPT_EVALUATED}: ${PROMPT_EVALUATED} must hold an evaluated: block (commit, files), not a map without an evaluated key`,
      ],
    },
  ],
];

describe("evaluation gate: thresholds with kinds and tiers", () => {
  it.each(thresholdCases)("%s", async (_, artifact, facts, shown) => {
    expectShown(await evaluationGate.check(gateInput(artifact, facts)), shown);
  });
});

describe("evaluation gate: bind digest for a format that cannot carry evaluated:", () => {
  const policy = gates({ thresholds: MIXED, bind: "digest" });
  it.each(digestCases)("%s", async (_, facts, shown) => {
    expectShown(await evaluationGate.check(gateInput(prompt, { policy, ...facts })), shown);
  });

  it("tells to run digest --write, and points at evaluated.yml", async () => {
    const missing = await evaluationGate.check(
      gateInput(prompt, {
        policy,
        head: { "prompts/p/prompt.txt": content, [PROMPT_RESULTS]: promptfoo(20, 0) },
      }),
    );
    expect(missing?.fixes).toEqual([
      `Run \`readiness-gate digest prompts/p --write\`, which writes ${PROMPT_EVALUATED}, and commit it.`,
    ]);
    const stale = await evaluationGate.check(
      gateInput(prompt, {
        policy,
        head: {
          "prompts/p/prompt.txt": content,
          [PROMPT_RESULTS]: promptfoo(20, 0),
          [PROMPT_EVALUATED]: evaluatedYml("old\n"),
        },
      }),
    );
    expect(stale?.fixes).toEqual([
      `Re-run the evaluation, then \`readiness-gate digest prompts/p --write\` and commit ${PROMPT_EVALUATED}.`,
    ]);
    expect(stale?.locations).toEqual([{ path: PROMPT_EVALUATED }]);
  });

  it("evaluated.yml is evidence, not content: it never lists itself", async () => {
    // Were it content, the digest it holds could never match (it would have to hash itself).
    const result = await evaluationGate.check(
      gateInput(prompt, {
        policy,
        head: {
          "prompts/p/prompt.txt": content,
          [PROMPT_RESULTS]: promptfoo(20, 0),
          [PROMPT_EVALUATED]: evaluatedYml(content),
        },
      }),
    );
    expect(result?.status).toBe("pass");
  });

  it("native results still carry evaluated: themselves, and the fix offers --write", async () => {
    const result = await evaluationGate.check(
      gateInput(model(), {
        policy: gates({ bind: "digest" }),
        head: { "models/a/model.py": "w = 1\n", [MODEL_RESULTS]: `{"metrics": {"accuracy": 0.93}}` },
      }),
    );
    expect(result?.reasons).toEqual([`${MODEL_RESULTS} has no evaluated.files digest of what was evaluated`]);
    expect(result?.fixes?.[0]).toMatch(
      /^Run `readiness-gate digest models\/a --write` \(it writes the evaluated: block into/,
    );
  });
});

describe("evaluation gate: results in another format than the policy's", () => {
  it("names the format setting and its accepted values", async () => {
    const result = await evaluationGate.check(
      gateInput(prompt, {
        policy: gates({ format: "lm-eval", bind: "none" }),
        head: { [PROMPT_RESULTS]: promptfoo(20, 0) },
      }),
    );
    expect(result?.status).toBe("fail");
    expect(result?.fixes).toEqual([
      `Set format: promptfoo (or auto) under gates.evaluation in the policy (accepted values: auto, native, promptfoo, lm-eval, hf-model-index, inspect, hf-eval-results, cyclonedx, junit), or commit lm-eval results at ${PROMPT_RESULTS}.`,
    ]);
  });

  it("when auto cannot tell, says so and names the setting", async () => {
    const result = await evaluationGate.check(
      gateInput(prompt, { policy: gates({ bind: "none" }), head: { [PROMPT_RESULTS]: `{"score": 1}` } }),
    );
    expect(result?.fixes?.[0]).toMatch(
      /set format under gates\.evaluation in the policy .*accepted values: auto, native/,
    );
  });
});
