import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeRepo, type TestRepo } from "../facts/git-repo.js";
import { runCli } from "./run.js";

const POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high, ignore: ["**/*.md"] }
gates:
  evaluation: { file: eval/results.json, bind: digest }
  rollback: { file: ROLLBACK.txt }
`;

interface Evaluated {
  evaluated: { commit: string; files: Record<string, string> };
}

describe("readiness-gate digest", () => {
  let repo: TestRepo;
  let first: string;
  let second: string;
  const blob = (ref: string, path: string) => repo.git("rev-parse", `${ref}:${path}`);

  beforeAll(() => {
    repo = makeRepo();
    repo.write(".github/readiness.yml", POLICY);
    repo.write("models/churn/model.py", "v1\n");
    repo.write("models/churn/train/config.yaml", "lr: 0.1\n");
    repo.write("models/churn/README.md", "ignored by the kind\n");
    repo.write("models/churn/ROLLBACK.txt", "rollback evidence (the policy's file)\n");
    repo.write("models/churn/eval/results.json", "{}\n"); // content: the manifest moved the evidence
    repo.write("models/churn/metrics/results.json", "{}\n");
    repo.write(
      "models/churn/artifact.yml",
      "owners: ['@acme/ml']\nevidence:\n  evaluation: metrics/results.json\n",
    );
    repo.write("models/churnish/other.py", "a sibling artifact\n");
    first = repo.commit("first");
    repo.write("models/churn/model.py", "v2\n");
    second = repo.commit("second");
  });
  afterAll(() => repo.remove());

  it("prints the evaluated block: content files at HEAD with their blob SHAs", async () => {
    const run = await runCli(["digest", "models/churn"], repo.dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(parse(run.stdout)).toEqual({
      evaluated: {
        commit: second,
        files: {
          "eval/results.json": blob(second, "models/churn/eval/results.json"),
          "model.py": blob(second, "models/churn/model.py"),
          "train/config.yaml": blob(second, "models/churn/train/config.yaml"),
        },
      },
    });
  });

  it("reads another commit with --ref, and accepts ./ROOT/", async () => {
    const run = await runCli(["digest", "./models/churn/", "--ref", first, "--format", "json"], repo.dir);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Evaluated;
    expect(printed.evaluated.commit).toBe(first);
    expect(printed.evaluated.files["model.py"]).toBe(blob(first, "models/churn/model.py"));
  });

  it("notes uncommitted changes under ROOT, which the hashes leave out", async () => {
    repo.write("models/churn/model.py", "v3 (not committed)\n");
    const run = await runCli(["digest", "models/churn"], repo.dir);
    repo.git("checkout", "--", "models/churn/model.py");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/models\/churn has uncommitted changes/);
    expect((parse(run.stdout) as Evaluated).evaluated.files["model.py"]).toBe(
      blob(second, "models/churn/model.py"),
    );
  });

  it("without a policy, leaves out artifact.yml and the default evidence files", async () => {
    const bare = makeRepo();
    try {
      for (const file of [
        "model.py",
        "artifact.yml",
        "eval/results.json",
        "ROLLBACK.md",
        "privacy-review.yml",
        "notes.md",
      ]) {
        bare.write(`models/a/${file}`, `${file}\n`);
      }
      const sha = bare.commit("artifact");
      const run = await runCli(["digest", "models/a"], bare.dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/no policy found/);
      expect((parse(run.stdout) as Evaluated).evaluated.files).toEqual({
        "model.py": bare.git("rev-parse", `${sha}:models/a/model.py`),
        "notes.md": bare.git("rev-parse", `${sha}:models/a/notes.md`),
      });
    } finally {
      bare.remove();
    }
  });

  it("uses --policy instead of the committed policy", async () => {
    repo.write("alt.yml", "version: 1\nartifacts:\n  model: { roots: ['models/*'] }\n");
    const run = await runCli(["digest", "models/churn", "--policy", "alt.yml"], repo.dir);
    expect(run.code).toBe(0);
    expect(Object.keys((parse(run.stdout) as Evaluated).evaluated.files)).toContain("README.md");
  });

  it("fails when ROOT lies inside an artifact, or holds nothing", async () => {
    const inside = await runCli(["digest", "models/churn/train"], repo.dir);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/models\/churn\/train lies inside the artifact models\/churn/);
    const empty = await runCli(["digest", "models/nothing"], repo.dir);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no files under models\/nothing/);
  });

  it("exits 2 on usage errors: no ROOT, a ROOT outside the repository, a bad ref", async () => {
    expect((await runCli(["digest"], repo.dir)).code).toBe(2);
    expect((await runCli(["digest", "../elsewhere"], repo.dir)).stderr).toMatch(/inside the repository/);
    const badRef = await runCli(["digest", "models/churn", "--ref", "nope"], repo.dir);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/cannot resolve --ref "nope" to a commit/);
  });

  it("exits 2 with located errors when the policy is invalid", async () => {
    repo.write("broken.yml", "version: 1\nartifacts:\n  model: { roots: ['models/*'], tire: high }\n");
    const run = await runCli(["digest", "models/churn", "--policy", "broken.yml"], repo.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^broken\.yml:3:\d+: unknown key 'tire'/m);
  });
});

describe("readiness-gate digest, with content the gate cannot read", () => {
  let repo: TestRepo;

  beforeAll(() => {
    repo = makeRepo();
    repo.write(".github/readiness.yml", POLICY);
    repo.write("models/churn/model.py", "v1\n");
    repo.write("shadow/fraud/model.py", "unreviewed\n");
    symlinkSync("../shadow/fraud", join(repo.dir, "models/fraud"));
    repo.git("add", "-A");
    repo.git("update-index", "--add", "--cacheinfo", `160000,${"c".repeat(40)},models/churn/vendor`);
    repo.git("commit", "-q", "-m", "links");
  });
  afterAll(() => repo.remove());

  it("refuses, naming them, an artifact that holds a submodule", async () => {
    const run = await runCli(["digest", "models/churn"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^readiness-gate: models\/churn holds symbolic links or submodules \(models\/churn\/vendor\), whose content the gate cannot read/,
    );
  });

  it("refuses an artifact that is itself a symbolic link", async () => {
    const run = await runCli(["digest", "models/fraud"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/models\/fraud holds symbolic links or submodules \(models\/fraud\)/);
  });
});
