import { describe, expect, it } from "vitest";
import { runCli } from "./run.js";

describe("readiness-gate schema", () => {
  it("without a name prints the policy's schema, one an editor can use, and names the others", async () => {
    const run = await runCli(["schema"], process.cwd());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: "urn:readiness-gate:schema:policy:v1",
      type: "object",
    });
    expect(run.stderr).toBe(
      "note: printed the policy's schema; the evidence files' are schema NAME (manifest, privacy, rollback, results, evaluated)\n",
    );
  });

  it("prints every schema as one JSON object with all", async () => {
    const run = await runCli(["schema", "all"], process.cwd());
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, { type?: string; properties?: object }>;
    expect(printed.policy?.type).toBe("object");
    expect(Object.keys(printed.policy?.properties ?? {})).toEqual(
      expect.arrayContaining(["version", "artifacts", "gates"]),
    );
  });

  it("prints one schema by name", async () => {
    const run = await runCli(["schema", "policy"], process.cwd());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: "object", $id: expect.stringContaining("policy") });
  });

  it("prints the evidence schemas, which reject what the readers reject", async () => {
    const run = await runCli(["schema", "manifest"], process.cwd());
    const schema = JSON.parse(run.stdout) as { required?: string[]; additionalProperties?: boolean };
    expect(schema.required).toContain("owners");
    expect(schema.additionalProperties).toBe(false);
    const all = JSON.parse((await runCli(["schema", "all"], process.cwd())).stdout) as Record<
      string,
      unknown
    >;
    expect(Object.keys(all)).toEqual(["policy", "manifest", "privacy", "rollback", "results", "evaluated"]);
  });

  it("rejects an unknown schema name with the known names, exit 2", async () => {
    const run = await runCli(["schema", "nope"], process.cwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no schema named "nope" \(known: policy, .*evaluated, all\)/);
  });
});
