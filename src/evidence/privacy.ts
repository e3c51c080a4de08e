// `privacy-review.yml`: who reviewed the artifact's data use, what they decided, and until when.
import { z } from "zod";
import { locate } from "../policy/yaml.js";
import { dateProblem, dateValue } from "./dates.js";
import { loginPattern } from "./principals.js";
import type { Parsed, PrivacyDecision, PrivacyRecord } from "./types.js";
import { readYamlEvidence } from "./yaml-evidence.js";

export const PRIVACY_DECISIONS = [
  "approved",
  "approved_with_conditions",
  "rejected",
  "not_required",
] as const satisfies readonly PrivacyDecision[];

const date = z.string().superRefine((text, ctx) => {
  const problem = dateProblem(text);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const entry = z.string().trim().min(1, "must not be empty");
const link = z.string().refine(isHttpUrl, "must be an http(s) link to the DPIA");

export const privacyRecordSchema = z
  .strictObject({
    // A person signs off, not a team; stored without `@` so it compares with review authors.
    reviewer: z
      .string()
      .regex(loginPattern, "must be the reviewer's GitHub login (a person, not a team)")
      .transform((login) => login.replace(/^@/, "")),
    decision: z.enum(PRIVACY_DECISIONS),
    reviewed_at: date,
    expires_at: date.optional(),
    data_categories: z.array(entry).default([]),
    lawful_basis: entry.optional(),
    conditions: z.array(entry).default([]),
    dpia: link.optional(),
  })
  .superRefine((record, ctx) => {
    if (record.decision === "approved_with_conditions" && record.conditions.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["decision"],
        message: "is approved_with_conditions, so `conditions` must list the conditions",
      });
    }
    if (record.expires_at !== undefined && dateValue(record.expires_at) < dateValue(record.reviewed_at)) {
      ctx.addIssue({ code: "custom", path: ["expires_at"], message: "is before reviewed_at" });
    }
  });

export function readPrivacyRecord(path: string, text: string): Parsed<PrivacyRecord> {
  const read = readYamlEvidence(path, text, privacyRecordSchema, "the privacy review");
  if (!read.ok) return read;
  const lines: Record<string, number> = {};
  for (const key of Object.keys(read.file.value as object)) {
    lines[key] = locate(read.file, [key], { key: true }).line;
  }
  return { ok: true, value: { ...read.value, lines } };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}
