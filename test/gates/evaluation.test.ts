// Evaluation gate: results exist, parse, meet every threshold, do not regress against the base
// branch's results, and are bound to what changed.
import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { evaluationGate } from "../../src/gates/evaluation.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import type { PolicyInput } from "../../src/policy/schema.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const RESULTS = "models/a/eval/results.json";
const results = (accuracy: number, extra = "") =>
  `{"metrics": {"accuracy": ${accuracy}, "f1": 0.88}${extra}}`;
const gates = (evaluation: NonNullable<PolicyInput["gates"]>["evaluation"]) => ({ gates: { evaluation } });
const threshold = { thresholds: [{ metric: "accuracy", min: 0.9 }], bind: "none" as const };
/** The model and its results both changed in the PR. */
const retrained: Partial<TouchedArtifact> = { changedPaths: ["models/a/model.py", RESULTS] };
/** `bind: digest` facts: model.py is `w = 2` in the head; the results say it was `evaluated` when evaluated. */
const digestOf = (evaluated: string): GateFacts => ({
  policy: gates({ ...threshold, bind: "digest" }),
  head: {
    "models/a/model.py": "w = 2\n",
    [RESULTS]: results(
      0.95,
      `, "evaluated": {"files": {"model.py": "${gitBlobSha(new TextEncoder().encode(evaluated))}"}}`,
    ),
  },
});
const manifest = (evidence: Record<string, string>) => ({
  owners: ["@alice"],
  data_categories: [],
  evidence,
});

const cases: Array<[string, Partial<TouchedArtifact>, GateFacts, Shown | undefined]> = [
  ["no evaluation gate in the policy: no row", retrained, { head: { [RESULTS]: results(0.95) } }, undefined],
  [
    "a removed artifact is skipped",
    { ...retrained, removed: true },
    { policy: gates(threshold) },
    { status: "skipped", reasons: ["the artifact was removed; evidence is not required"] },
  ],
  [
    "a tier the gate does not cover is skipped",
    { ...retrained, tier: "low" },
    { policy: gates({ ...threshold, tiers: ["medium", "high"] }) },
    { status: "skipped", reasons: ["not required for tier low (only medium, high)"] },
  ],
  [
    "no results file",
    retrained,
    { policy: gates(threshold) },
    { status: "fail", reasons: [`${RESULTS} does not exist`] },
  ],
  [
    "results that meet the threshold",
    retrained,
    { policy: gates(threshold), head: { [RESULTS]: results(0.93) } },
    { status: "pass", reasons: [] },
  ],
  [
    "a metric below its minimum, with the value and the minimum",
    retrained,
    { policy: gates(threshold), head: { [RESULTS]: results(0.87) } },
    { status: "fail", reasons: ["accuracy 0.87 is below the minimum 0.90"] },
  ],
  [
    "a metric above its maximum",
    retrained,
    {
      policy: gates({ thresholds: [{ metric: "f1", max: 0.5 }], bind: "none" }),
      head: { [RESULTS]: results(0.93) },
    },
    { status: "fail", reasons: ["f1 0.88 is above the maximum 0.50"] },
  ],
  [
    "a threshold on a metric the results do not report lists the ones they do",
    retrained,
    { policy: gates(threshold), head: { [RESULTS]: `{"metrics": {"acc": 0.99, "f1": 0.9}}` } },
    { status: "fail", reasons: [`${RESULTS} does not report 'accuracy'; it reports acc, f1`] },
  ],
  [
    "results that are not a results file",
    retrained,
    { policy: gates(threshold), head: { [RESULTS]: `{"score": 1}` } },
    { status: "fail", reasons: [expect.stringMatching(/^models\/a\/eval\/results\.json(:\d+)*: /)] },
  ],
  [
    "a regression beyond the tolerance, though the threshold holds",
    retrained,
    {
      policy: gates({ ...threshold, regression: { tolerance: 0.01 } }),
      base: { [RESULTS]: results(0.96) },
      head: { [RESULTS]: results(0.93) },
    },
    {
      status: "fail",
      reasons: ["accuracy regressed from 0.96 on the base branch to 0.93, more than the tolerance 0.01"],
    },
  ],
  [
    "a drop within the tolerance",
    retrained,
    {
      policy: gates({ ...threshold, regression: { tolerance: 0.01 } }),
      base: { [RESULTS]: results(0.935) },
      head: { [RESULTS]: results(0.93) },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "results moved by the PR's manifest are still compared with the base's own results",
    {
      ...retrained,
      manifest: manifest({ evaluation: "eval/v2.json" }),
      changedPaths: ["models/a/model.py", "models/a/eval/v2.json"],
    },
    {
      policy: gates({ ...threshold, regression: { tolerance: 0.01 } }),
      base: { [RESULTS]: results(0.96) },
      head: { "models/a/eval/v2.json": results(0.93) },
    },
    {
      status: "fail",
      reasons: [
        `accuracy regressed from 0.96 on the base branch (${RESULTS}) to 0.93, more than the tolerance 0.01`,
      ],
    },
  ],
  [
    "same_pr: the model changed without new results",
    { changedPaths: ["models/a/model.py"] },
    { policy: gates({ ...threshold, bind: "same_pr" }), head: { [RESULTS]: results(0.95) } },
    { status: "fail", reasons: [`models/a/model.py changed but ${RESULTS} did not`] },
  ],
  [
    "same_pr: the model and its results changed together",
    retrained,
    { policy: gates({ ...threshold, bind: "same_pr" }), head: { [RESULTS]: results(0.95) } },
    { status: "pass", reasons: [] },
  ],
  [
    "same_pr: an ignored file changed alone needs no new results",
    { changedPaths: ["models/a/README.md"] },
    {
      policy: {
        ...gates({ ...threshold, bind: "same_pr" }),
        artifacts: { model: { roots: ["models/*"], ignore: ["**/*.md"] } },
      },
      head: { [RESULTS]: results(0.95) },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "digest: results without an evaluated.files digest",
    retrained,
    { policy: gates({ ...threshold, bind: "digest" }), head: { [RESULTS]: results(0.95) } },
    { status: "fail", reasons: [`${RESULTS} has no evaluated.files digest of what was evaluated`] },
  ],
  [
    "digest: a content file that differs from the evaluated version",
    retrained,
    digestOf("w = 1\n"),
    {
      status: "fail",
      reasons: ["evaluated.files does not match the artifact: model.py differs from the evaluated version"],
    },
  ],
  [
    "digest: the evaluated files are the artifact's content",
    retrained,
    digestOf("w = 2\n"),
    { status: "pass", reasons: [] },
  ],
  [
    "an evidence path that leaves the artifact",
    { ...retrained, manifest: manifest({ evaluation: "../../results.json" }) },
    { policy: gates(threshold) },
    {
      status: "fail",
      reasons: ["the evaluation evidence path '../../results.json' leaves the artifact root (too many ..)"],
    },
  ],
  [
    "an evidence path naming a file that was content at the base",
    { ...retrained, manifest: manifest({ evaluation: "model.py" }) },
    {
      policy: gates(threshold),
      base: { "models/a/model.py": "w = 1\n" },
      head: { "models/a/model.py": results(0.95) },
    },
    {
      status: "fail",
      reasons: [
        "the evaluation evidence path names models/a/model.py, a content file of the artifact on the base branch",
      ],
    },
  ],
  [
    "results too large to read",
    retrained,
    { policy: gates(threshold), head: { [RESULTS]: new Uint8Array(10 * 1024 * 1024 + 1) } },
    {
      status: "fail",
      reasons: [`${RESULTS} is too large to read (10485761 bytes; the limit is 10485760)`],
    },
  ],
  [
    "empty results",
    retrained,
    { policy: gates(threshold), head: { [RESULTS]: "" } },
    { status: "fail", reasons: [`${RESULTS} is empty`] },
  ],
  [
    "a single file cannot hold its results",
    { rootEntry: "file", changedPaths: ["models/a"] },
    { policy: gates(threshold) },
    {
      status: "fail",
      reasons: [`models/a is a single file, so it cannot hold its evaluation evidence (${RESULTS})`],
    },
  ],
];

describe("evaluation gate", () => {
  it.each(cases)("%s", async (_, artifact, facts, shown) => {
    const result = await evaluationGate.check(gateInput(artifactAt("models/a", artifact), facts));
    expectShown(result, shown);
  });

  it("points a failed threshold at the metric's line", async () => {
    const text = `{\n  "metrics": {\n    "accuracy": 0.87\n  }\n}\n`;
    const result = await evaluationGate.check(
      gateInput(artifactAt("models/a", retrained), { policy: gates(threshold), head: { [RESULTS]: text } }),
    );
    expect(result?.locations).toEqual([{ path: RESULTS, line: 3 }]);
  });
});
