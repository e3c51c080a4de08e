// `digest ROOT --write` for every results format family: native JSON and YAML get their evaluated
// key; promptfoo, lm-evaluation-harness and model-card results get evaluated.yml beside them. Then
// `check` on the branch passes bind: digest — the block sits where the gate reads it.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeRepo, type TestRepo } from "../facts/git-repo.js";
import { runCli } from "./run.js";

const POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
  prompt: { roots: ["prompts/*"], tier: medium }
  llm: { roots: ["llms/*"], tier: medium }
  card: { roots: ["cards/*"], tier: medium }
gates:
  evaluation:
    bind: digest
    thresholds:
      - { metric: accuracy, min: 0.9, kinds: [model] }
      - { metric: pass_rate, min: 0.9, kinds: [prompt] }
      - { metric: arc_easy/acc, min: 0.2, kinds: [llm] }
`;
const real = (name: string) => readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), "utf8");
const PROMPTFOO = JSON.stringify({
  results: { version: 3, results: [], stats: { successes: 19, failures: 1, errors: 0 } },
});
const NATIVE_YAML =
  "# accuracy on the 2026-10 holdout\nmetrics:\n  accuracy: 0.95 # rounded\ndataset: holdout\n";

describe("readiness-gate digest --write", () => {
  let repo: TestRepo;
  const read = (path: string) => readFileSync(join(repo.dir, path), "utf8");
  const blob = (path: string) => repo.git("rev-parse", `HEAD:${path}`);

  beforeAll(() => {
    repo = makeRepo();
    repo.write(".github/readiness.yml", POLICY);
    repo.commit("policy");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("models/json/model.py", "w = 1\n");
    repo.write("models/json/eval/results.json", `{"metrics": {"accuracy": 0.95}}\n`);
    repo.write("models/yaml/model.py", "w = 2\n");
    repo.write(
      "models/yaml/artifact.yml",
      "owners: ['@acme/ml']\nevidence:\n  evaluation: eval/results.yml\n",
    );
    repo.write("models/yaml/eval/results.yml", NATIVE_YAML);
    repo.write("prompts/support/prompt.txt", "Answer politely.\n");
    repo.write("prompts/support/eval/results.json", PROMPTFOO);
    repo.write("llms/tiny/config.json", "{}\n");
    repo.write("llms/tiny/eval/results.json", real("lm-evaluation-harness__arc_easy-v0-res.json"));
    repo.write("cards/beans/weights.txt", "0101\n");
    repo.write("cards/beans/artifact.yml", "owners: ['@acme/ml']\nevidence:\n  evaluation: README.md\n");
    repo.write("cards/beans/README.md", real("huggingface_hub__sample_simple_model_index.md"));
    repo.commit("artifacts and their results");
  });
  afterAll(() => repo.remove());

  it("before --write, check fails each artifact and names where the block goes", async () => {
    const run = await runCli(["check", "--base", "main", "--format", "json"], repo.dir);
    expect(run.code).toBe(1);
    const reasons = (
      JSON.parse(run.stdout) as { artifacts: Array<{ gates: Array<{ reasons: string[] }> }> }
    ).artifacts.flatMap((a) => a.gates.flatMap((g) => g.reasons));
    expect(reasons).toEqual(
      expect.arrayContaining([
        "models/json/eval/results.json has no evaluated.files digest of what was evaluated",
        expect.stringMatching(
          /^prompts\/support\/eval\/evaluated\.yml does not exist: promptfoo results cannot carry/,
        ),
        expect.stringMatching(/^llms\/tiny\/eval\/evaluated\.yml does not exist: lm-eval results/),
        expect.stringMatching(/^cards\/beans\/evaluated\.yml does not exist: hf-model-index results/),
      ]),
    );
  });

  it("writes native JSON results' evaluated key, keeping the metrics", async () => {
    const run = await runCli(["digest", "models/json", "--write"], repo.dir);
    expect(run).toMatchObject({
      code: 0,
      stdout: "wrote the evaluated key of models/json/eval/results.json\n",
    });
    expect(JSON.parse(read("models/json/eval/results.json"))).toEqual({
      metrics: { accuracy: 0.95 },
      evaluated: {
        commit: repo.git("rev-parse", "HEAD"),
        files: { "model.py": blob("models/json/model.py") },
      },
    });
  });

  it("writes native YAML results' evaluated key, keeping comments and order", async () => {
    const run = await runCli(["digest", "models/yaml", "--write"], repo.dir);
    expect(run.code).toBe(0);
    const text = read("models/yaml/eval/results.yml");
    expect(text.startsWith(NATIVE_YAML.replace("dataset: holdout\n", ""))).toBe(true);
    expect(text).toContain("accuracy: 0.95 # rounded");
    expect(parse(text)).toEqual({
      metrics: { accuracy: 0.95 },
      dataset: "holdout",
      evaluated: {
        commit: repo.git("rev-parse", "HEAD"),
        files: { "model.py": blob("models/yaml/model.py") },
      },
    });
  });

  it.each([
    ["promptfoo", "prompts/support", "prompts/support/eval/evaluated.yml", "prompt.txt"],
    ["lm-evaluation-harness", "llms/tiny", "llms/tiny/eval/evaluated.yml", "config.json"],
    ["a model card", "cards/beans", "cards/beans/evaluated.yml", "weights.txt"],
  ])(
    "writes evaluated.yml beside %s results, leaving them as the tool wrote them",
    async (_, root, target, file) => {
      const run = await runCli(["digest", root, "--write"], repo.dir);
      expect(run).toMatchObject({ code: 0, stdout: `wrote ${target}\n` });
      expect(parse(read(target))).toEqual({
        evaluated: { commit: repo.git("rev-parse", "HEAD"), files: { [file]: blob(`${root}/${file}`) } },
      });
      // Only the new evaluated.yml: the results file is untouched.
      expect(repo.git("status", "--porcelain", "--", root)).toBe(`?? ${target}`);
    },
  );

  it("after committing what --write wrote, check passes bind: digest", async () => {
    repo.commit("bind the results");
    const run = await runCli(["check", "--base", "main", "--format", "json"], repo.dir);
    expect(JSON.parse(run.stdout).verdict).toBe("ready");
    expect(run.code).toBe(0);
  });

  it("refuses without results to write beside, and through a symbolic link", async () => {
    repo.write("prompts/empty/prompt.txt", "x\n");
    repo.commit("a prompt without results");
    const none = await runCli(["digest", "prompts/empty", "--write"], repo.dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /prompts\/empty\/eval\/results\.json does not exist: --write puts the evaluated: block where the results are/,
    );

    repo.write("prompts/empty/eval/results.json", PROMPTFOO);
    symlinkSync(join(repo.dir, "outside.txt"), join(repo.dir, "prompts/empty/eval/evaluated.yml"));
    const linked = await runCli(["digest", "prompts/empty", "--write"], repo.dir);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(/evaluated\.yml is a symbolic link; --write does not follow it/);
  });

  it("refuses a results folder that is a symbolic link out of the repository, writing nothing there", async () => {
    const outside = mkdtempSync(join(tmpdir(), "rg-outside-"));
    try {
      writeFileSync(join(outside, "results.json"), PROMPTFOO);
      repo.write("prompts/linked/prompt.txt", "x\n");
      repo.commit("a prompt whose results folder will be a link");
      symlinkSync(outside, join(repo.dir, "prompts/linked/eval"));
      const run = await runCli(["digest", "prompts/linked", "--write"], repo.dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/resolves outside the repository \(a symbolic link on the way\)/);
      expect(existsSync(join(outside, "evaluated.yml"))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("says why when the evaluation gate does not apply", async () => {
    repo.write("policy.yml", 'version: 1\nartifacts:\n  model: { roots: ["models/*"] }\n');
    const run = await runCli(["digest", "models/json", "--write", "--policy", "policy.yml"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the policy has no evaluation gate/);
  });
});
