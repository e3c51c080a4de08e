import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../facts/git-repo.js";
import { runCli } from "./run.js";

const TYPO = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high, ignroe: ["**/*.md"] }
`;

const BUILTIN = `version: 1
extends: builtin:ai-production-readiness
policy_admins: ["@acme/ai-governance"]
gates:
  privacy: { reviewers: ["@acme/privacy"] }
approvals:
  - { name: Artifact owner, owners: true }
overrides: { teams: ["@acme/ai-governance"] }
`;

const PLACEHOLDERS = `version: 1
extends: builtin:ai-production-readiness
policy_admins: ["@acme/ai-governance"]
`;

const UNMATCHED_GLOB = `version: 1
artifacts:
  model: { roots: ["models/*"] }
  prompt: { roots: ["promtps/*"] }
`;

describe("readiness-gate validate", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = makeRepo();
    repo.write("models/churn/model.py", "print(1)\n");
    repo.write("typo.yml", TYPO);
    repo.write("builtin.yml", BUILTIN);
    repo.write("placeholders.yml", PLACEHOLDERS);
    repo.write("unmatched.yml", UNMATCHED_GLOB);
    repo.write(".github/readiness.yml", BUILTIN);
    repo.commit("policies");
  });
  afterAll(() => repo.remove());

  it("prints an unknown key as file:line:col with the nearest known key, and exits 1", async () => {
    const run = await runCli(["validate", "typo.yml"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^typo\.yml:3:\d+: unknown key 'ignroe'.*did you mean 'ignore'/m);
  });

  it("accepts a policy that extends a builtin pack", async () => {
    const run = await runCli(["validate", "builtin.yml"], repo.dir);
    expect(run).toMatchObject({ code: 0, stdout: "builtin.yml: valid\n", stderr: "" });
  });

  it("warns about the pack's @your-org placeholders still in force, at the pack's line, without failing", async () => {
    const run = await runCli(["validate", "placeholders.yml"], repo.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^builtin:ai-production-readiness:\d+:\d+: warning: gates\.privacy\.reviewers\[0\] '@your-org\/privacy' is a placeholder from builtin:ai-production-readiness: set `gates\.privacy\.reviewers` in placeholders\.yml/m,
    );
    expect(run.stdout).not.toContain("policy_admins");
    expect(run.stdout).toMatch(/placeholders\.yml: valid \(4 warnings\)\n$/);
  });

  it("validates .github/readiness.yml by default", async () => {
    const run = await runCli(["validate"], repo.dir);
    expect(run).toMatchObject({ code: 0, stdout: ".github/readiness.yml: valid\n" });
  });

  it("warns about a glob that matches nothing in the repository, without failing", async () => {
    const run = await runCli(["validate", "unmatched.yml"], repo.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^unmatched\.yml:4:\d+: warning: roots glob 'promtps\/\*' matches no directory/m,
    );
    expect(run.stdout).not.toMatch(/models\/\*/);
    expect(run.stdout).toMatch(/unmatched\.yml: valid \(1 warning\)/);
  });

  it("skips glob warnings outside a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "readiness-gate-nogit-"));
    writeFileSync(join(dir, "p.yml"), UNMATCHED_GLOB);
    const run = await runCli(["validate", "p.yml"], dir);
    rmSync(dir, { recursive: true, force: true });
    expect(run).toMatchObject({ code: 0, stdout: "p.yml: valid\n" });
  });

  it("reports every file, and exits 1 when any is invalid or missing", async () => {
    const run = await runCli(["validate", "builtin.yml", "typo.yml", "missing.yml"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("builtin.yml: valid\n");
    expect(run.stdout).toContain("typo.yml:3:");
    expect(run.stdout).toContain("missing.yml: cannot read the policy file: no such file\n");
  });

  it("reports an unknown builtin pack at the extends line", async () => {
    repo.write("badpack.yml", "version: 1\nextends: builtin:ai-production-readines\n");
    const run = await runCli(["validate", "badpack.yml"], repo.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^badpack\.yml:2:\d+: unknown policy pack 'builtin:ai-production-readines'/m);
  });

  it("refuses a policy that is not UTF-8, as check does, with the same message", async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode("version: 1\n# caf"), 0xe9, 0x0a]);
    repo.write("latin1.yml", latin1);
    const run = await runCli(["validate", "latin1.yml"], repo.dir);
    expect(run).toMatchObject({ code: 1, stdout: "latin1.yml:1:1: the file is not valid UTF-8 text\n" });
    // check refuses the same bytes, as --policy and as the repository's policy at the base.
    const checked = await runCli(["check", "--base", "HEAD", "--policy", "latin1.yml"], repo.dir);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(/cannot read --policy latin1\.yml: the file is not valid UTF-8 text/);
    const other = makeRepo();
    other.write(".github/readiness.yml", latin1);
    other.commit("policy");
    const atBase = await runCli(["check", "--base", "HEAD", "--format", "json"], other.dir);
    other.remove();
    expect(atBase.code).toBe(2);
    expect(JSON.parse(atBase.stdout)).toMatchObject({
      verdict: "policy_error",
      errors: [
        { path: ".github/readiness.yml", line: 1, column: 1, message: "the file is not valid UTF-8 text" },
      ],
    });
  });

  it("says when an unmatched glob matches folders that are not committed yet", async () => {
    const dir = makeRepo();
    dir.write("p.yml", UNMATCHED_GLOB);
    dir.write("models/churn/model.py", "1\n");
    dir.commit("models");
    dir.write("promtps/support/prompt.txt", "not committed yet\n");
    const run = await runCli(["validate", "p.yml"], dir.dir);
    dir.remove();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^p\.yml:4:\d+: warning: roots glob 'promtps\/\*' matches no directory.*; it matches files in the working tree that are not committed yet: commit them \(git add, git commit\), as the gate reads commits$/m,
    );
  });

  it("exits 2 on an unknown flag", async () => {
    const run = await runCli(["validate", "--strict"], repo.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/validate: Unknown option '--strict'/);
  });
});
