// `check` runs the whole engine on a throwaway repository: these tests pin the command's
// contract (defaults, formats, exit statuses), not the gates' reasoning.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../facts/git-repo.js";
import { runCli } from "./run.js";

const POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  evaluation:
    file: eval/results.json
    bind: same_pr
    thresholds:
      - { metric: accuracy, min: 0.9 }
`;

const results = (accuracy: number) => `${JSON.stringify({ metrics: { accuracy } })}\n`;

interface JsonOut {
  verdict: string;
  policy: { sources: string[] };
  artifacts: Array<{ root: string; gates: Array<{ gate: string; status: string }> }>;
}

describe("readiness-gate check", () => {
  let repo: TestRepo;

  beforeAll(() => {
    repo = makeRepo();
    repo.write(".github/readiness.yml", POLICY);
    repo.write("models/churn/artifact.yml", "owners: ['@acme/ml']\n");
    repo.write("models/churn/model.py", "v1\n");
    repo.write("models/churn/eval/results.json", results(0.95));
    repo.write("docs/readme.txt", "hello\n");
    repo.commit("base");

    repo.git("checkout", "-q", "-b", "ready");
    repo.write("models/churn/model.py", "v2\n");
    repo.write("models/churn/eval/results.json", results(0.96));
    repo.commit("model v2, evaluated");

    repo.git("checkout", "-q", "-b", "blocked", "main");
    repo.write("models/churn/model.py", "v3\n");
    repo.write("models/churn/eval/results.json", results(0.5));
    // Loosening the policy in the same change must not help: the policy is read at the base.
    repo.write(".github/readiness.yml", POLICY.replace("min: 0.9", "min: 0.1"));
    repo.commit("model v3, worse");

    repo.git("checkout", "-q", "-b", "docs", "main");
    repo.write("docs/readme.txt", "hello again\n");
    repo.commit("docs only");
    repo.git("checkout", "-q", "main");
  });
  afterAll(() => repo.remove());

  const check = (...args: string[]) => runCli(["check", ...args], repo.dir);
  const json = (stdout: string) => JSON.parse(stdout) as JsonOut;

  it("exits 0 for a ready change, defaulting the base to main", async () => {
    const run = await check("--head", "ready", "--format", "json");
    expect(run.code).toBe(0);
    expect(json(run.stdout).verdict).toBe("ready");
    expect(json(run.stdout).policy.sources).toContain(".github/readiness.yml");
  });

  it("exits 1 for a blocked change, judged by the base's policy", async () => {
    const run = await check("--base", "main", "--head", "blocked", "--format", "json");
    expect(run.code).toBe(1);
    const out = json(run.stdout);
    expect(out.verdict).toBe("blocked");
    const evaluation = out.artifacts
      .find((a) => a.root === "models/churn")
      ?.gates.find((g) => g.gate === "evaluation");
    expect(evaluation?.status).toBe("fail");
  });

  it("prints text by default and Markdown on request", async () => {
    const text = await check("--head", "blocked");
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/models\/churn/);
    expect(text.stdout).toMatch(/accuracy/);
    const markdown = await check("--head", "blocked", "--format", "markdown");
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toMatch(/models\/churn/);
  });

  it("writes the Markdown report to --summary FILE from the same evaluation that prints the chosen format", async () => {
    const out = mkdtempSync(join(tmpdir(), "readiness-summary-"));
    try {
      const file = join(out, "summary.md");
      writeFileSync(file, "an earlier step's summary\n");
      const run = await check("--head", "blocked", "--format", "json", "--summary", file);
      expect(run.code).toBe(1);
      expect(json(run.stdout).verdict).toBe("blocked");
      // The file is replaced by the report `--format markdown` prints.
      const markdown = await check("--head", "blocked", "--format", "markdown");
      expect(readFileSync(file, "utf8")).toBe(markdown.stdout);
      expect(markdown.stdout).toMatch(/Blocked[\s\S]*models\/churn[\s\S]*accuracy/);

      // With the text format too, and a path relative to where the command runs.
      const text = await check("--head", "ready", "--summary", "summary.md");
      expect(text.code).toBe(0);
      expect(text.stdout).not.toMatch(/^\*\*/m);
      expect(readFileSync(join(repo.dir, "summary.md"), "utf8")).toMatch(/Ready/);
      rmSync(join(repo.dir, "summary.md"));

      // A policy that cannot be loaded is reported there as well.
      repo.write("bad-org.yml", "version: 1\nartifacts:\n  model: { roots: ['models/*'], tire: high }\n");
      const broken = await check("--head", "ready", "--org-policy", "bad-org.yml", "--summary", file);
      expect(broken.code).toBe(2);
      expect(readFileSync(file, "utf8")).toMatch(/bad-org\.yml/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("exits 2 when --summary cannot be written, naming the file, and prints no verdict", async () => {
    const run = await check("--head", "ready", "--format", "json", "--summary", "no/such/dir/summary.md");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write --summary no\/such\/dir\/summary\.md/);
    expect(run.stdout).toBe("");
    const empty = await check("--head", "ready", "--summary", "");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--summary needs a file name/);
  });

  it("exits 0 with not_governed when nothing governed changed", async () => {
    const run = await check("--head", "docs", "--format", "json");
    expect(run.code).toBe(0);
    expect(json(run.stdout).verdict).toBe("not_governed");
  });

  it("exits 0 with not_governed, and says why, when there is no policy anywhere", async () => {
    const bare = makeRepo();
    try {
      bare.write("models/a/model.py", "v1\n");
      bare.commit("base");
      bare.git("checkout", "-q", "-b", "change");
      bare.write("models/a/model.py", "v2\n");
      bare.commit("change");
      const run = await runCli(["check", "--format", "json"], bare.dir);
      expect(run.code).toBe(0);
      expect(json(run.stdout).verdict).toBe("not_governed");
      expect(run.stderr).toMatch(/no policy .*nothing is governed/);
    } finally {
      bare.remove();
    }
  });

  it("uses --policy in place of the repository's policy", async () => {
    repo.write("lenient.yml", POLICY.replace("min: 0.9", "min: 0.1"));
    const run = await check("--head", "blocked", "--policy", "lenient.yml", "--format", "json");
    expect(json(run.stdout).verdict).toBe("ready");
    expect(run.code).toBe(0);
  });

  it("exits 2 with policy_error when the org policy is invalid", async () => {
    repo.write("org.yml", "version: 1\nartifacts:\n  model: { roots: ['models/*'], tire: high }\n");
    const run = await check("--head", "ready", "--org-policy", "org.yml", "--format", "json");
    expect(run.code).toBe(2);
    expect(json(run.stdout).verdict).toBe("policy_error");
  });

  it("exits 0 for a blocked change under an advisory policy, with a note", async () => {
    repo.write("advisory.yml", `${POLICY}enforcement: advisory\n`);
    const run = await check("--head", "blocked", "--policy", "advisory.yml", "--format", "json");
    expect(json(run.stdout).verdict).toBe("blocked");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/advisory/);
  });

  it("exits 2 with a clear message for a bad ref or a missing policy file", async () => {
    const badRef = await check("--base", "no-such-branch");
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/cannot resolve the base ref "no-such-branch" to a commit/);
    const missing = await check("--policy", "nope.yml");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --policy nope\.yml/);
  });

  it("accepts evaluation results bound with the block `digest` prints", async () => {
    repo.write("digest-policy.yml", POLICY.replace("bind: same_pr", "bind: digest"));
    repo.git("checkout", "-q", "-b", "digest", "main");
    try {
      repo.write("models/churn/model.py", "v4\n");
      repo.commit("model v4");
      const digest = await runCli(
        ["digest", "models/churn", "--policy", "digest-policy.yml", "--format", "json"],
        repo.dir,
      );
      expect(digest.code).toBe(0);
      const evaluated = JSON.parse(digest.stdout) as object;
      repo.write(
        "models/churn/eval/results.json",
        JSON.stringify({ metrics: { accuracy: 0.97 }, ...evaluated }),
      );
      repo.commit("evaluated v4");
      const run = await check("--head", "digest", "--policy", "digest-policy.yml", "--format", "json");
      expect(json(run.stdout).verdict).toBe("ready");
      expect(run.code).toBe(0);
    } finally {
      repo.git("checkout", "-q", "main");
    }
  });

  it("exits 1 for a model added as a symbolic link to a directory outside the roots", async () => {
    repo.git("checkout", "-q", "-b", "linked", "main");
    try {
      repo.write("shadow/fraud/model.py", "unreviewed\n");
      symlinkSync("../shadow/fraud", join(repo.dir, "models/fraud"));
      repo.commit("fraud model, linked");
      const run = await check("--head", "linked", "--format", "json");
      expect(run.code).toBe(1);
      const out = json(run.stdout);
      expect(out.verdict).toBe("blocked");
      expect(out.artifacts.find((a) => a.root === "models/fraud")?.gates).toEqual([
        expect.objectContaining({ gate: "files", status: "fail" }),
      ]);
    } finally {
      repo.git("checkout", "-q", "main");
    }
  });
});

describe("readiness-gate check: placeholders and approvals at a glance", () => {
  let repo: TestRepo;
  const PACK_POLICY = `version: 1
extends: builtin:ai-production-readiness
policy_admins: ["@acme/ai-governance"]
artifacts:
  model: { roots: ["models/*"], tier: low }
  prompt: { roots: ["prompts/*"], tier: low }
approvals:
  - { name: Artifact owner, owners: true }
  - { name: Compliance sign-off, teams: ["@your-org/ai-compliance"] }
`;

  beforeAll(() => {
    repo = makeRepo();
    repo.write(".github/readiness.yml", PACK_POLICY);
    repo.write("models/churn/artifact.yml", "owners: ['@acme/ml']\n");
    repo.write("models/churn/model.py", "v1\n");
    repo.write("prompts/support/artifact.yml", "owners: ['bob']\n");
    repo.write("prompts/support/system.txt", "v1\n");
    repo.commit("base");
    repo.git("checkout", "-q", "-b", "both");
    repo.write("models/churn/model.py", "v2\n");
    repo.write("prompts/support/system.txt", "v2\n");
    repo.commit("both artifacts");
    repo.git("checkout", "-q", "-b", "policy-only", "main");
    repo.write(
      ".github/readiness.yml",
      PACK_POLICY.replace("tier: low }\n  prompt", "tier: high }\n  prompt"),
    );
    repo.commit("policy only");
    repo.git("checkout", "-q", "main");
  });
  afterAll(() => repo.remove());

  it("warns about @your-org placeholders in text, Markdown and JSON, naming where and what to replace", async () => {
    const text = await runCli(["check", "--head", "both"], repo.dir);
    expect(text.stdout).toMatch(
      /\nWarnings\n[\s\S]*\n {2}\.github\/readiness\.yml:9:42: approvals\[1\]\.teams\[0\] '@your-org\/ai-compliance' is a placeholder: replace it/,
    );
    expect(text.stdout).toMatch(
      /\n {2}builtin:ai-production-readiness:\d+:\d+: overrides\.teams\[0\] '@your-org\/ai-governance' is a placeholder from builtin:ai-production-readiness: set `overrides\.teams` in \.github\/readiness\.yml/,
    );
    const markdown = await runCli(["check", "--head", "both", "--format", "markdown"], repo.dir);
    expect(markdown.stdout).toMatch(
      /### Warnings\n\n[\s\S]*- `\.github\/readiness\.yml:9:42`: approvals\\\[1\]\.teams\\\[0\] '@your-org\/ai-compliance' is a placeholder/,
    );
    const json = await runCli(["check", "--head", "both", "--format", "json"], repo.dir);
    const warnings = (JSON.parse(json.stdout) as { warnings: Array<{ path: string; message: string }> })
      .warnings;
    expect(warnings.map((w) => w.path)).toEqual([
      "builtin:ai-production-readiness",
      ".github/readiness.yml",
      "builtin:ai-production-readiness",
    ]);
    expect(warnings[0]?.message).toContain("gates.privacy.reviewers[0] '@your-org/privacy'");
  });

  it("says which artifact needs whose approval under an owners rule", async () => {
    const run = await runCli(["check", "--head", "both"], repo.dir);
    expect(run.stdout).toMatch(
      /NOT CHECKED +Artifact owner: needs 2 more approvals\n +models\/churn: 1 more from @acme\/ml\n +prompts\/support: 1 more from @bob\n/,
    );
  });

  it("does not list the owners rule as satisfied for an edit of the policy alone", async () => {
    const run = await runCli(["check", "--head", "policy-only"], repo.dir);
    expect(run.stdout).toContain("Policy admins: needs 1 more approval from @acme/ai-governance");
    expect(run.stdout).not.toContain("satisfied");
    expect(run.stdout).not.toContain("Artifact owner");
  });
});
