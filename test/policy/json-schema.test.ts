import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { policyJsonSchema, schemas } from "../../src/policy/index.js";
import { packText } from "./helpers.js";

function validator() {
  const schema = policyJsonSchema();
  expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  return new Ajv2020({ strict: false, allErrors: true }).compile(schema);
}

describe("policyJsonSchema", () => {
  it("has an id and a title for editors", () => {
    expect(policyJsonSchema()).toMatchObject({
      $id: expect.stringMatching(/policy/),
      title: expect.any(String),
    });
    expect(Object.keys(schemas())).toContain("policy");
  });

  it("accepts the builtin pack as written", () => {
    const validate = validator();
    const ok = validate(parse(packText("ai-production-readiness")));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("accepts the @2 pack with its document gates, and rejects a document gate's unknown key or bad name", () => {
    const validate = validator();
    expect(validate(parse(packText("ai-production-readiness@2")))).toBe(true);
    const gate = { file: "MONITORING.md", sections: ["Metrics"] };
    expect(validate({ version: 1, gates: { documents: { monitoring: gate } } })).toBe(true);
    expect(validate({ version: 1, gates: { documents: { monitoring: { ...gate, section: ["x"] } } } })).toBe(
      false,
    );
    expect(validate({ version: 1, gates: { documents: { "Drift-Plan": gate } } })).toBe(false);
  });

  it("accepts a minimal policy, relying on defaults", () => {
    expect(validator()({ version: 1 })).toBe(true);
  });

  it("rejects unknown keys and wrong types, as the loader does", () => {
    const validate = validator();
    expect(validate({ version: 1, gates: { evaluation: { thresold: [] } } })).toBe(false);
    expect(
      validate({ version: 1, gates: { evaluation: { thresholds: [{ metric: "a", min: "0.9" }] } } }),
    ).toBe(false);
    expect(validate({ version: 1, artifacts: { Model: { roots: ["m/*"] } } })).toBe(false);
  });

  it("accepts thresholds with kinds and tiers filters, and refuses empty or unknown ones", () => {
    const validate = validator();
    const threshold = (extra: object) => ({
      version: 1,
      gates: { evaluation: { thresholds: [{ metric: "pass_rate", min: 0.95, ...extra }] } },
    });
    expect(validate(threshold({ kinds: ["prompt"], tiers: ["medium", "high"] }))).toBe(true);
    expect(validate(threshold({ kinds: [] }))).toBe(false);
    expect(validate(threshold({ tiers: ["critical"] }))).toBe(false);
    expect(validate(threshold({ kind: ["prompt"] }))).toBe(false);
  });
});
