// JSON Schemas of the evidence files users write, from the same zod schemas the readers use.
import { z } from "zod";
import { evaluatedFileSchema, nativeResultsSchema } from "./eval/native-schema.js";
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
    results: described(
      nativeResultsSchema,
      "urn:readiness-gate:schema:results:v1",
      "Evaluation results in the native format (eval/results.json or .yml)",
    ),
    evaluated: described(
      evaluatedFileSchema,
      "urn:readiness-gate:schema:evaluated:v1",
      "evaluated.yml: the evaluated: block beside results of a format that cannot hold it",
    ),
  };
}
