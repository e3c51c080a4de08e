// The v1 policy language (PRODUCT.md "Policy files"). Every object is strict: an unknown key is
// an error, so a typo never silently disables a requirement.
import leven from "leven";
import { z } from "zod";
import { POLICY_KIND } from "./pseudo-kinds.js";

export const TIERS = ["low", "medium", "high"] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

/** `@org/team` or a GitHub login. */
const principal = z
  .string()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9._-]+)?$/, "must be a GitHub login or @org/team");

const glob = z.string().min(1, "a glob cannot be empty");
const relativeFile = z.string().min(1);
const tiers = z.array(tierSchema).min(1);
const positiveDays = z.number().int().positive();

export const artifactKindSchema = z.strictObject({
  roots: z.array(glob).min(1),
  tier: tierSchema.default("low"),
  ignore: z.array(glob).optional(),
});

const kindNames = z.array(z.string().min(1)).min(1);

/**
 * A bound on one metric. `kinds` and `tiers` are filters, matched as approval rules match them:
 * the threshold applies to an artifact of a listed kind and tier (a filter left out matches all).
 */
export const thresholdSchema = z
  .strictObject({
    metric: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
    kinds: kindNames.optional(),
    tiers: tiers.optional(),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: "a threshold needs min or max" });

export const EVAL_FORMATS = [
  "auto",
  "native",
  "promptfoo",
  "lm-eval",
  "hf-model-index",
  "inspect",
  "hf-eval-results",
  "cyclonedx",
  "junit",
] as const;
export const BINDINGS = ["none", "same_pr", "digest"] as const;

export const ownershipGateSchema = z.strictObject({
  tiers: tiers.optional(),
  codeowners: z.boolean().default(false),
});

export const evaluationGateSchema = z.strictObject({
  tiers: tiers.optional(),
  file: relativeFile.default("eval/results.json"),
  format: z.enum(EVAL_FORMATS).default("auto"),
  bind: z.enum(BINDINGS).default("same_pr"),
  thresholds: z.array(thresholdSchema).default([]),
  /**
   * A metric worse than at base by more than `tolerance` regresses — and, where both sides report
   * a standard error, only when also worse by more than `stderr` × √(se_base² + se_head²).
   */
  regression: z
    .strictObject({ tolerance: z.number().min(0), stderr: z.number().min(0).optional() })
    .optional(),
});

export const privacyGateSchema = z.strictObject({
  tiers: tiers.optional(),
  file: relativeFile.default("privacy-review.yml"),
  reviewers: z.array(principal).min(1),
  max_age_days: positiveDays.optional(),
});

export const rollbackGateSchema = z.strictObject({
  tiers: tiers.optional(),
  file: relativeFile.default("ROLLBACK.md"),
  sections: z
    .array(z.string().min(1))
    .default(["Trigger", "Steps", "Previous version", "Owner", "Last tested"]),
  max_drill_age_days: positiveDays.optional(),
});

/**
 * Names the check already gives a gate: a document gate named like one would be mistaken for it
 * in the check's table, the manifest's `evidence` and the audit record.
 */
export const BUILTIN_GATE_NAMES = [
  "ownership",
  "evaluation",
  "privacy",
  "rollback",
  "approvals",
  "files",
  "manifest",
  "validation",
  "codeowners",
  "documents",
  // A release's audit record holds a gate of each name below per artifact.
  "changes",
  "release",
] as const;

/** EVIDENCE_GATES below, spelled out: that list is made from the schema this name is part of. */
const BUILTIN_EVIDENCE_GATES = ["ownership", "evaluation", "privacy", "rollback"];

/** A document gate's name, as the check's table shows it. */
export const documentGateName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*$/,
    "a document gate's name is a lower-case letter, then lower-case letters, digits or _",
  )
  .refine((name) => !(BUILTIN_GATE_NAMES as readonly string[]).includes(name), {
    message: `a document gate cannot take a builtin gate's name (${BUILTIN_GATE_NAMES.join(", ")})`,
  })
  // A manifest's `evidence` key this close to a builtin gate's is read as its typo, so a document
  // gate may not be named so: the manifest could never point it elsewhere.
  .refine((name) => !BUILTIN_EVIDENCE_GATES.some((gate) => leven(name, gate) <= 2), {
    message: "a document gate's name must not be a letter or two from a builtin gate's (it reads as a typo)",
  });

/** Markdown documents are judged by sections, YAML and JSON ones by keys. */
export const MARKDOWN_DOCUMENT = /\.(?:md|markdown)$/i;
export const DATA_DOCUMENT = /\.(?:ya?ml|json)$/i;

/** A document gate (PRODUCT.md "Document gates"): the organisation's own evidence, without code. */
export const documentGateSchema = z
  .strictObject({
    tiers: tiers.optional(),
    file: relativeFile,
    sections: z.array(z.string().min(1)).min(1).optional(),
    keys: z.array(z.string().min(1)).min(1).optional(),
    dated_by: z.string().min(1).optional(),
    max_age_days: positiveDays.optional(),
    reviewers: z.array(principal).min(1).optional(),
  })
  .superRefine((gate, ctx) => {
    const markdown = MARKDOWN_DOCUMENT.test(gate.file);
    if (!markdown && !DATA_DOCUMENT.test(gate.file)) {
      ctx.addIssue({
        code: "custom",
        path: ["file"],
        message: "a document is Markdown (.md, .markdown) or YAML/JSON (.yml, .yaml, .json)",
      });
    } else if (markdown && !gate.sections) {
      ctx.addIssue({ code: "custom", path: ["file"], message: "a Markdown document needs `sections`" });
    } else if (!markdown && !gate.keys) {
      ctx.addIssue({ code: "custom", path: ["file"], message: "a YAML or JSON document needs `keys`" });
    }
    if (gate.max_age_days !== undefined && gate.dated_by === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["max_age_days"],
        message: "max_age_days needs dated_by: the key or section that holds the document's date",
      });
    }
  });

export const gatesSchema = z.strictObject({
  ownership: ownershipGateSchema.optional(),
  evaluation: evaluationGateSchema.optional(),
  privacy: privacyGateSchema.optional(),
  rollback: rollbackGateSchema.optional(),
  documents: z.record(documentGateName, documentGateSchema).optional(),
});

export const approvalRuleSchema = z
  .strictObject({
    name: z.string().min(1),
    teams: z.array(principal).optional(),
    users: z.array(principal).optional(),
    owners: z.boolean().default(false),
    count: z.number().int().min(1).default(1),
    tiers: tiers.optional(),
    kinds: kindNames.optional(),
  })
  .refine((r) => r.owners || (r.teams?.length ?? 0) > 0 || (r.users?.length ?? 0) > 0, {
    message: "an approval rule needs teams, users or owners: true",
  });

export const policySchema = z.strictObject({
  version: z.literal(1),
  extends: z
    .string()
    .regex(
      /^builtin:[a-z0-9-]+(?:@[1-9][0-9]{0,3})?$/,
      "extends takes builtin:<name> or builtin:<name>@<version>",
    )
    .optional(),
  enforcement: z.enum(["enforced", "advisory"]).default("enforced"),
  policy_admins: z.array(principal).default([]),
  artifacts: z
    .record(
      z
        .string()
        .regex(/^[a-z][a-z0-9_-]*$/, "a kind is lower-case letters, digits, - or _")
        .refine(
          (kind) => kind !== POLICY_KIND,
          `the kind name '${POLICY_KIND}' is reserved for edits of the policy file`,
        ),
      artifactKindSchema,
    )
    .default({}),
  gates: gatesSchema.default({}),
  approvals: z.array(approvalRuleSchema).default([]),
  overrides: z
    .strictObject({
      teams: z.array(principal).default([]),
      expires_after_hours: z.number().positive().default(72),
    })
    .optional(),
  releases: z
    .strictObject({
      enforce: z.boolean().default(false),
      environments: z.array(z.string().min(1)).default([]),
    })
    .optional(),
});

/** A policy after defaults are applied. */
export type Policy = z.infer<typeof policySchema>;
/** A policy as written in a file, before defaults. */
export type PolicyInput = z.input<typeof policySchema>;
export type ArtifactKind = z.infer<typeof artifactKindSchema>;
export type Threshold = z.infer<typeof thresholdSchema>;
export type OwnershipGate = z.infer<typeof ownershipGateSchema>;
export type EvaluationGate = z.infer<typeof evaluationGateSchema>;
export type PrivacyGate = z.infer<typeof privacyGateSchema>;
export type RollbackGate = z.infer<typeof rollbackGateSchema>;
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type DocumentGate = z.infer<typeof documentGateSchema>;
/** The builtin evidence gates a policy configures (document gates are named by the policy). */
export type EvidenceGateName = Exclude<keyof z.infer<typeof gatesSchema>, "documents">;
/** The builtin evidence gates, in the schema's order. */
export const EVIDENCE_GATES = Object.keys(gatesSchema.shape).filter(
  (name) => name !== "documents",
) as EvidenceGateName[];

/** Where the policy language is documented and validated: the repository's policy file. */
export const POLICY_PATH = ".github/readiness.yml";
