// The evaluation gate on evidence that is not one text file: an Inspect `.eval` archive (bytes)
// and a Hugging Face `.eval_results/` folder (its *.yaml files), read, bound and compared.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { evaluationGate } from "../../src/gates/evaluation.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import type { PolicyInput } from "../../src/policy/schema.js";
import { baseFiles, gate as gateOf, headFiles, POLICY, run as runScenario } from "../engine/scenario.js";
import { INSPECT_LOG } from "../evidence/results.js";
import { zipOf } from "../evidence/zip.js";
import { artifactAt, expectShown, type GateFacts, gateInput } from "./input.js";

type Evaluation = NonNullable<PolicyInput["gates"]>["evaluation"];

const LOG = "models/a/eval/run.eval";
const FOLDER = "models/a/.eval_results/";
/** The real Inspect JSON log, which is what an `.eval` archive's header.json holds. */
const HEADER = readFileSync(INSPECT_LOG, "utf8");
const withAccuracy = (accuracy: number, stderr: number) =>
  HEADER.replace('"value": 1.0', `"value": ${accuracy}`).replace('"value": 0.0', `"value": ${stderr}`);
const gpqa = (value: number) =>
  `- dataset: {id: Idavidrein/gpqa, task_id: gpqa_diamond}\n  value: ${value}\n`;

const run = (
  evaluation: Evaluation,
  facts: Omit<GateFacts, "policy">,
  artifact: Partial<TouchedArtifact> = {},
) =>
  evaluationGate.check(
    gateInput(artifactAt("models/a", { changedPaths: ["models/a/model.py", LOG], ...artifact }), {
      policy: { gates: { evaluation } },
      ...facts,
    }),
  );

describe("evaluation gate: Inspect .eval archive", () => {
  const policy: Evaluation = {
    file: "eval/run.eval",
    bind: "none",
    thresholds: [{ metric: "accuracy", min: 0.9 }],
  };

  it("reads header.json's scores and applies the thresholds", async () => {
    expectShown(await run(policy, { head: { [LOG]: await zipOf([["header.json", HEADER]]) } }), {
      status: "pass",
      reasons: [],
    });
    expectShown(
      await run(policy, { head: { [LOG]: await zipOf([["header.json", withAccuracy(0.8, 0.02)]]) } }),
      {
        status: "fail",
        reasons: ["accuracy 0.80 is below the minimum 0.90"],
      },
    );
  });

  it("fails a zip bomb at the archive, without inflating it", async () => {
    const bomb = await zipOf([["header.json", Buffer.alloc(10 * 1024 * 1024 + 1, 32)]]);
    expectShown(await run(policy, { head: { [LOG]: bomb } }), {
      status: "fail",
      reasons: [`${LOG}: header.json in the archive is 10485761 bytes uncompressed; the limit is 10485760`],
    });
  });

  it("fails an archive too large to read with a fix for an archive, not for a text file", async () => {
    const result = await run(policy, { head: { [LOG]: new Uint8Array(10 * 1024 * 1024 + 1) } });
    expectShown(result, {
      status: "fail",
      reasons: [`${LOG} is too large to read (10485761 bytes; the limit is 10485760)`],
    });
    expect(result?.fixes).toEqual([`Commit the .eval log Inspect wrote, under 10 MB, at ${LOG}.`]);
  });

  it("fails a run with a sample limit as partial", async () => {
    const limited = HEADER.replace('"config": {}', '"config": {"limit": 1}');
    expect(
      (await run(policy, { head: { [LOG]: await zipOf([["header.json", limited]]) } }))?.reasons,
    ).toEqual([`${LOG}: partial run: eval.config.limit is 1`]);
  });

  it("compares with the base's archive within Inspect's standard errors", async () => {
    const noisy = { ...policy, regression: { tolerance: 0.01, stderr: 2 } };
    const result = await run(noisy, {
      base: { [LOG]: await zipOf([["header.json", withAccuracy(0.96, 0.02)]]) },
      head: { [LOG]: await zipOf([["header.json", withAccuracy(0.93, 0.02)]]) },
    });
    expectShown(result, {
      status: "pass",
      reasons: [],
      notes: [
        "accuracy regressed from 0.96 on the base branch to 0.93 (-0.03): more than the tolerance 0.01 but within the noise band 0.0565685 (2 × √(0.02² + 0.02²)), so it does not count as a regression",
      ],
    });
  });
});

describe("evaluation gate: .eval_results/ folder", () => {
  const policy: Evaluation = {
    file: ".eval_results/",
    bind: "same_pr",
    thresholds: [{ metric: "gpqa_diamond", min: 0.4 }],
  };
  const changed = { changedPaths: ["models/a/model.py", `${FOLDER}gpqa.yaml`] };

  it("reads every *.yaml directly in the folder as one set of results", async () => {
    const head = {
      [`${FOLDER}gpqa.yaml`]: gpqa(0.41),
      [`${FOLDER}hle.yml`]: "- dataset: {id: cais/hle, task_id: hle}\n  value: 0.2\n",
      [`${FOLDER}README.md`]: "not results",
    };
    expectShown(await run(policy, { head }, changed), { status: "pass", reasons: [] });
    expectShown(await run({ ...policy, thresholds: [{ metric: "hle", min: 0.3 }] }, { head }, changed), {
      status: "fail",
      reasons: ["hle 0.20 is below the minimum 0.30"],
    });
  });

  it("says a missing folder does not exist, and one without *.yaml holds no results", async () => {
    expectShown(await run(policy, {}, changed), { status: "fail", reasons: [`${FOLDER} does not exist`] });
    expectShown(await run(policy, { head: { [`${FOLDER}notes.txt`]: "x" } }, changed), {
      status: "fail",
      reasons: [`${FOLDER} holds no *.yaml results file`],
    });
  });

  it("tells to add the trailing / when the policy names the folder without it", async () => {
    const result = await run(
      { ...policy, file: ".eval_results" },
      { head: { [`${FOLDER}gpqa.yaml`]: gpqa(0.41) } },
      changed,
    );
    expect(result?.fixes).toEqual([
      "Name the results folder with its trailing / (.eval_results/) in the policy's gates.evaluation.file or the manifest's evidence.evaluation.",
    ]);
    expectShown(result, {
      status: "fail",
      reasons: [
        "models/a/.eval_results is a folder: name it with a trailing / (.eval_results/) to read every *.yaml in it",
      ],
    });
  });

  it("digest: the folder's files are not content, so evaluated.yml beside the folder lists the model alone", async () => {
    const head = {
      "models/a/model.py": "w = 2\n",
      [`${FOLDER}gpqa.yaml`]: gpqa(0.41),
      "models/a/evaluated.yml": `evaluated:\n  files:\n    model.py: ${gitBlobSha(new TextEncoder().encode("w = 2\n"))}\n`,
    };
    expectShown(await run({ ...policy, bind: "digest" }, { head }, changed), { status: "pass", reasons: [] });
  });

  it("refuses a folder whose files pass the size cap together, saying how to fix it", async () => {
    const big = `# ${"x".repeat(6 * 1024 * 1024)}\n${gpqa(0.41)}`;
    const result = await run(
      policy,
      { head: { [`${FOLDER}a.yaml`]: big, [`${FOLDER}b.yaml`]: big } },
      changed,
    );
    expectShown(result, {
      status: "fail",
      reasons: [`${FOLDER} is too large to read (more than 10485760 bytes in its *.yaml files)`],
    });
    expect(result?.fixes).toEqual([`Keep the results in ${FOLDER} under 10 MB in all.`]);
  });

  it("refuses a symlink among the folder's results, and more files than are read", async () => {
    expectShown(
      await run(policy, { head: { [`${FOLDER}gpqa.yaml`]: { symlink: "/etc/passwd" } } }, changed),
      {
        status: "fail",
        reasons: [`${FOLDER}gpqa.yaml is a symlink, not a results file`],
      },
    );
    const many = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`${FOLDER}r${i}.yaml`, gpqa(0.41)]),
    );
    expectShown(await run(policy, { head: many }, changed), {
      status: "fail",
      reasons: [`${FOLDER} holds 101 *.yaml files; at most 100 are read`],
    });
  });

  it("same_pr: a changed file in the folder is changed results, and the folder's files are not content", async () => {
    const head = { "models/a/model.py": "w = 2\n", [`${FOLDER}gpqa.yaml`]: gpqa(0.41) };
    expectShown(await run(policy, { head }, changed), { status: "pass", reasons: [] });
    expectShown(await run(policy, { head }, { changedPaths: ["models/a/model.py"] }), {
      status: "fail",
      reasons: [`models/a/model.py changed but ${FOLDER} did not`],
    });
    // Only results changed: no content changed, so nothing to re-evaluate.
    expectShown(await run(policy, { head }, { changedPaths: [`${FOLDER}gpqa.yaml`] }), {
      status: "pass",
      reasons: [],
    });
  });
});

describe("engine: a results folder is evidence even where an ignore glob matches its files", () => {
  const policy = POLICY.replace('ignore: ["**/*.md"]', 'ignore: ["**/*.md", "**/*.yaml"]');
  const base = {
    ...baseFiles(),
    ".github/readiness.yml": policy,
    "prompts/support/artifact.yml": `owners: ["@bob"]\nevidence:\n  evaluation: .eval_results/\n`,
    "prompts/support/.eval_results/support.yaml":
      "- dataset: {id: acme/tickets, task_id: accuracy}\n  value: 0.95\n",
  };

  it("a change to a file in it touches the artifact, and its gate reads the new value", async () => {
    const e = await runScenario({
      base,
      head: headFiles(
        {
          "prompts/support/.eval_results/support.yaml":
            "- dataset: {id: acme/tickets, task_id: accuracy}\n  value: 0.5\n",
        },
        base,
      ),
    });
    expect(e.verdict).toBe("blocked");
    expect(gateOf(e, "prompts/support", "evaluation").reasons).toContain(
      "accuracy 0.50 is below the minimum 0.90",
    );
  });
});

describe("evaluation gate: a manifest cannot make a folder of model code its results", () => {
  const moved = { owners: ["@alice"], data_categories: [], evidence: { evaluation: "src/" } };
  const accuracy = "- dataset: {id: acme/churn, task_id: accuracy}\n  value: 0.95\n";
  const sha = (text: string) => gitBlobSha(new TextEncoder().encode(text));
  const thresholds = [{ metric: "accuracy", min: 0.9 }];
  const base = { "models/a/model.py": "w = 1\n", "models/a/src/model.py": "w = 1\n" };

  it("digest: the code beside the results in the folder stays content, so evaluated.yml must list it", async () => {
    const head = {
      "models/a/model.py": "w = 1\n",
      "models/a/src/model.py": "w = 2\n",
      "models/a/src/r.yaml": accuracy,
      "models/a/evaluated.yml": `evaluated:\n  files:\n    model.py: ${sha("w = 1\n")}\n`,
    };
    expectShown(
      await run(
        { file: "eval/results.json", bind: "digest", thresholds },
        { base, head },
        {
          manifest: moved,
          changedPaths: ["models/a/artifact.yml", "models/a/src/model.py", "models/a/src/r.yaml"],
        },
      ),
      {
        status: "fail",
        reasons: ["evaluated.files does not match the artifact: src/model.py is not listed"],
      },
    );
  });

  it("same_pr: once the base names the folder, a change to the code in it is not a change to the results", async () => {
    const head = { "models/a/src/model.py": "w = 2\n", "models/a/src/r.yaml": accuracy };
    expectShown(
      await run(
        { file: "eval/results.json", bind: "same_pr", thresholds },
        { base: { ...base, "models/a/src/r.yaml": accuracy }, head },
        { manifest: moved, baseManifest: moved, changedPaths: ["models/a/src/model.py"] },
      ),
      { status: "fail", reasons: ["models/a/src/model.py changed but models/a/src/ did not"] },
    );
  });

  it("refuses a folder whose *.yaml were content files at the base", async () => {
    const result = await run(
      { file: "eval/results.json", bind: "same_pr", thresholds },
      {
        base: { ...base, "models/a/src/config.yaml": "lr: 0.1\n" },
        head: { ...base, "models/a/src/config.yaml": accuracy },
      },
      { manifest: moved, changedPaths: ["models/a/artifact.yml", "models/a/src/config.yaml"] },
    );
    expectShown(result, {
      status: "fail",
      reasons: [
        "the evaluation evidence path names models/a/src/, whose models/a/src/config.yaml was a content file of the artifact on the base branch",
      ],
    });
  });

  it("engine: after such a manifest is merged, a PR that edits only the code in the folder is blocked", async () => {
    const base = {
      ...baseFiles(),
      "models/churn/artifact.yml": `owners: ["@alice"]\ndata_categories: [usage]\nevidence:\n  evaluation: src/\n`,
      "models/churn/src/model.py": "w = 1\n",
      "models/churn/src/r.yaml": "- dataset: {id: acme/churn, task_id: accuracy}\n  value: 0.95\n",
    };
    const e = await runScenario({ base, head: headFiles({ "models/churn/src/model.py": "w = 2\n" }, base) });
    expect(e.verdict).toBe("blocked");
    expect(gateOf(e, "models/churn", "evaluation").reasons).toEqual([
      "models/churn/src/model.py changed but models/churn/src/ did not",
    ]);
  });
});
