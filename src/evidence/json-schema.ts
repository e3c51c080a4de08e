// JSON Schemas of the evidence files users write, from the same zod schemas the readers use.
import { z } from "zod";
import { manifestSchema } from "./manifest.js";
import { privacyRecordSchema } from "./privacy.js";
import { rollbackPlanYamlSchema } from "./rollback.js";

function described(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  // "any" for parts JSON Schema cannot say (date checks, transforms): the reader still checks them.
  return { ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), $id: id, title };
}

export function evidenceJsonSchemas(): Record<string, object> {
  return {
    manifest: described(
      manifestSchema,
      "urn:readiness-gate:schema:manifest:v1",
      "Artifact manifest (artifact.yml)",
    ),
    privacy: described(
      privacyRecordSchema,
      "urn:readiness-gate:schema:privacy:v1",
      "Privacy review (privacy-review.yml)",
    ),
    rollback: described(
      rollbackPlanYamlSchema,
      "urn:readiness-gate:schema:rollback:v1",
      "Rollback plan in YAML",
    ),
  };
}
