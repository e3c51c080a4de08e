// The policy's side of the new result formats and the noise-aware rule: `readiness-gate schema`
// lists every format and `regression.stderr`, and `validate` accepts them (and refuses a
// negative stderr at its line).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVAL_FORMATS } from "../../src/policy/schema.js";
import { runCli } from "../cli/run.js";
import { makeRepo, type TestRepo } from "../facts/git-repo.js";

const policy = (format: string, stderr: string) => `version: 1
artifacts:
  model: { roots: ["models/*"] }
gates:
  evaluation:
    file: .eval_results/
    format: ${format}
    thresholds: [{ metric: gpqa_diamond, min: 0.4 }]
    regression: { tolerance: 0.01, stderr: ${stderr} }
`;

describe("the policy schema and validate: result formats and regression.stderr", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = makeRepo();
    repo.write("models/a/model.py", "w = 1\n");
    for (const format of ["inspect", "hf-eval-results", "cyclonedx", "junit"])
      repo.write(`${format}.yml`, policy(format, "2"));
    repo.write("negative.yml", policy("auto", "-1"));
    repo.commit("policies");
  });
  afterAll(() => repo.remove());

  it("schema lists every format and regression.stderr", async () => {
    const run = await runCli(["schema", "policy"], process.cwd());
    const evaluation = JSON.parse(run.stdout).properties.gates.properties.evaluation;
    expect(evaluation.properties.format.enum).toEqual([...EVAL_FORMATS]);
    expect(EVAL_FORMATS).toEqual(
      expect.arrayContaining(["inspect", "hf-eval-results", "cyclonedx", "junit"]),
    );
    expect(evaluation.properties.regression.properties.stderr).toMatchObject({ type: "number", minimum: 0 });
  });

  it.each(["inspect", "hf-eval-results", "cyclonedx", "junit"])(
    "validate accepts format: %s with stderr",
    async (format) => {
      const run = await runCli(["validate", `${format}.yml`], repo.dir);
      expect(run).toMatchObject({ code: 0, stdout: `${format}.yml: valid\n` });
    },
  );

  it("validate refuses a negative stderr at its line", async () => {
    const run = await runCli(["validate", "negative.yml"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^negative\.yml:9:\d+: .*stderr/m);
  });
});
