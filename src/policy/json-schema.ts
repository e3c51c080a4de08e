// JSON Schemas for editors and `readiness-gate schema`, generated from the zod schemas so they
// cannot drift from what the loader accepts. Refinements that JSON Schema cannot express (a
// threshold needs min or max, a rule needs approvers) are checked only by the loader.
import { z } from "zod";
import { policySchema } from "./schema.js";

export const POLICY_SCHEMA_ID = "urn:readiness-gate:schema:policy:v1";

/** The policy file as written (`io: "input"`: keys with defaults are optional). */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { io: "input" }),
    $id: POLICY_SCHEMA_ID,
    title: "Readiness Gate policy (.github/readiness.yml)",
  };
}

/** The policy language's schemas by name; the evidence schemas live in src/evidence/json-schema.ts. */
export function schemas(): Record<string, object> {
  return { policy: policyJsonSchema() };
}
