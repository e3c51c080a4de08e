// The native results file and `evaluated.yml` as zod schemas, for `readiness-gate schema` (editors
// and other tools). The readers (native.ts, evaluated-file.ts) stay hand-written for their
// messages; test/evidence/json-schema.test.ts checks that both accept and refuse the same files.
import { z } from "zod";

/** Git object ids: SHA-1, or SHA-256 for repositories that use it. */
export const OBJECT_ID = /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;
export const COMMIT_ID = /^[0-9a-fA-F]{7,64}$/;
export const RESULTS_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const evaluatedBlockSchema = z
  .strictObject({
    commit: z.string().regex(COMMIT_ID, "a commit SHA").optional(),
    files: z
      .record(z.string(), z.string().regex(OBJECT_ID, "a git blob SHA"))
      .optional()
      .describe("each content file, relative to the artifact root, → its git blob SHA"),
  })
  .describe("what was evaluated, for bind: digest (readiness-gate digest ROOT --write)");

export const nativeResultsSchema = z.strictObject({
  metrics: z
    .record(z.string(), z.number())
    .refine((metrics) => Object.keys(metrics).length > 0, "report at least one metric")
    // JSON Schema cannot read the refinement; say it in its own words.
    .meta({
      minProperties: 1,
      description: "metric name → number; names are normalised (`Pass Rate` = `pass_rate`)",
    }),
  evaluated: evaluatedBlockSchema.optional(),
  dataset: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  date: z.string().regex(RESULTS_DATE, "a YYYY-MM-DD date").optional(),
});

export const evaluatedFileSchema = z.strictObject({ evaluated: evaluatedBlockSchema });
