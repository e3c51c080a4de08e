// `digest ROOT --write` for results that are not one text file: an Inspect `.eval` archive and a
// Hugging Face `.eval_results/` folder. Neither can hold the block, so it goes to evaluated.yml
// beside them without reading them; then `check` passes bind: digest.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INSPECT_LOG } from "../evidence/results.js";
import { zipOf } from "../evidence/zip.js";
import { makeRepo, type TestRepo } from "../facts/git-repo.js";
import { runCli } from "./run.js";

const POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  evaluation:
    bind: digest
    thresholds: [{ metric: accuracy, min: 0.4 }]
`;

describe("readiness-gate digest --write: .eval archives and .eval_results/ folders", () => {
  let repo: TestRepo;
  const blob = (path: string) => repo.git("rev-parse", `HEAD:${path}`);

  beforeAll(async () => {
    repo = makeRepo();
    repo.write(".github/readiness.yml", POLICY);
    repo.commit("policy");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("models/insp/model.py", "w = 1\n");
    repo.write("models/insp/artifact.yml", "owners: ['@acme/ml']\nevidence:\n  evaluation: eval/run.eval\n");
    repo.write("models/insp/eval/run.eval", await zipOf([["header.json", readFileSync(INSPECT_LOG)]]));
    repo.write("models/hub/model.py", "w = 2\n");
    repo.write("models/hub/artifact.yml", "owners: ['@acme/ml']\nevidence:\n  evaluation: .eval_results/\n");
    repo.write(
      "models/hub/.eval_results/gpqa.yaml",
      "- dataset: {id: Idavidrein/gpqa, task_id: accuracy}\n  value: 0.412\n",
    );
    repo.commit("artifacts and their results");
  });
  afterAll(() => repo.remove());

  it.each([
    ["models/insp", "models/insp/eval/evaluated.yml", "inspect"],
    ["models/hub", "models/hub/evaluated.yml", "hf-eval-results"],
  ])("writes evaluated.yml for %s, listing its content and not its results", async (root, target, format) => {
    const run = await runCli(["digest", root, "--write"], repo.dir);
    expect(run).toMatchObject({ code: 0, stdout: `wrote ${target}\n` });
    const text = readFileSync(join(repo.dir, target), "utf8");
    expect(text).toContain(`for ${format} results`);
    expect(parse(text)).toEqual({
      evaluated: { commit: repo.git("rev-parse", "HEAD"), files: { "model.py": blob(`${root}/model.py`) } },
    });
  });

  it("after committing what --write wrote, check passes bind: digest", async () => {
    repo.commit("bind the results");
    const run = await runCli(["check", "--base", "main", "--format", "json"], repo.dir);
    const gates = (
      JSON.parse(run.stdout) as {
        artifacts: Array<{ gates: Array<{ gate: string; status: string; reasons: string[] }> }>;
      }
    ).artifacts.flatMap((a) => a.gates.filter((g) => g.gate === "evaluation"));
    expect(gates).toEqual([
      expect.objectContaining({ status: "pass", reasons: [] }),
      expect.objectContaining({ status: "pass", reasons: [] }),
    ]);
  });

  it("refuses a missing archive, as for any results file", async () => {
    repo.write("models/gone/model.py", "w = 3\n");
    repo.write("models/gone/artifact.yml", "owners: ['@acme/ml']\nevidence:\n  evaluation: eval/run.eval\n");
    repo.commit("a model without its log");
    const run = await runCli(["digest", "models/gone", "--write"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /models\/gone\/eval\/run\.eval does not exist: --write puts the evaluated: block/,
    );
  });
});
