import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "./run.js";

describe("readiness-gate", () => {
  it("lists the commands on --help", async () => {
    const run = await runCli(["--help"], process.cwd());
    expect(run.code).toBe(0);
    for (const command of ["check", "validate", "schema", "digest"])
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  it("prints usage to stderr and exits 2 without a command, or with an unknown one", async () => {
    expect(await runCli([], process.cwd())).toMatchObject({ code: 2, stdout: "" });
    const unknown = await runCli(["chek"], process.cwd());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "chek"/);
  });

  it("prints the package version", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(await runCli(["--version"], process.cwd())).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each(["check", "validate", "schema", "digest"])("%s --help prints its usage", async (command) => {
    const run = await runCli([command, "--help"], process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: readiness-gate ${command}`));
  });

  it("treats unknown flags and missing values as usage errors (exit 2)", async () => {
    const unknown = await runCli(["check", "--bsae", "main"], process.cwd());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/check: Unknown option '--bsae'/);
    expect(unknown.stderr).toMatch(/readiness-gate check --help/);
    expect((await runCli(["check", "--base"], process.cwd())).code).toBe(2);
    expect((await runCli(["check", "--format", "xml"], process.cwd())).stderr).toMatch(
      /--format must be one of text, json, markdown/,
    );
  });
});
