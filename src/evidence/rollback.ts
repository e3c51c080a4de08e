// The rollback plan, Markdown (ROLLBACK.md) or YAML, reduced to the sections the policy requires
// and the date of the last rollback drill.
import { z } from "zod";
import { locate } from "../policy/yaml.js";
import { dateProblem } from "./dates.js";
import { readMarkdownPlan, sectionKey } from "./rollback-markdown.js";
import type { Parsed, RollbackPlan } from "./types.js";
import { readYamlEvidence } from "./yaml-evidence.js";

type Section = RollbackPlan["sections"][number];

const lines = z.union([z.string(), z.array(z.string())]).nullable();

export const rollbackPlanYamlSchema = z.strictObject({
  previous_version: z.union([z.string(), z.number()]).nullable().optional(),
  triggers: lines.optional(),
  steps: lines.optional(),
  owner: lines.optional(),
  last_tested: z
    .string()
    .superRefine((text, ctx) => {
      const problem = dateProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .nullable()
    .optional(),
});

/** YAML keys and the section titles they stand for, so one policy `sections` list fits both forms. */
const YAML_SECTIONS = {
  previous_version: "Previous version",
  triggers: "Trigger",
  steps: "Steps",
  owner: "Owner",
  last_tested: "Last tested",
} as const;

export function readRollbackPlan(path: string, text: string): Parsed<RollbackPlan> {
  if (text.trim() === "")
    return { ok: false, errors: [{ path, line: 1, column: 1, message: "the rollback plan is empty" }] };
  return /\.ya?ml$/i.test(path) ? readYamlPlan(path, text) : readMarkdownPlan(path, text);
}

/**
 * The plan's section for a wanted title, ignoring case, spacing, a trailing colon and a plural
 * `s` ("Trigger" finds "Triggers"). When the title appears twice, a section with text is preferred.
 */
export function findSection(plan: RollbackPlan, wanted: string): Section | undefined {
  return sectionFinder(plan)(wanted);
}

/** `findSection` for several titles of one plan: the plan's titles are normalised once. */
export function sectionFinder(plan: RollbackPlan): (wanted: string) => Section | undefined {
  const byKey = new Map<string, Section[]>();
  for (const section of plan.sections) {
    const key = sectionKey(section.title);
    const same = byKey.get(key);
    if (same) same.push(section);
    else byKey.set(key, [section]);
  }
  return (wanted) => {
    const matches = byKey.get(sectionKey(wanted));
    return matches?.find((section) => section.hasText) ?? matches?.[0];
  };
}

function readYamlPlan(path: string, text: string): Parsed<RollbackPlan> {
  const read = readYamlEvidence(path, text, rollbackPlanYamlSchema, "the rollback plan");
  if (!read.ok) return read;
  const sections: Section[] = [];
  // In file order, so sections read like the Markdown form.
  for (const key of Object.keys(read.file.value as object) as Array<keyof typeof YAML_SECTIONS>) {
    const line = locate(read.file, [key], { key: true }).line;
    sections.push({ title: YAML_SECTIONS[key], line, hasText: hasText(read.value[key]) });
  }
  const date = read.value.last_tested;
  const lastTested = date ? { date, line: locate(read.file, ["last_tested"]).line } : undefined;
  return { ok: true, value: { format: "yaml", sections, ...(lastTested ? { lastTested } : {}) } };
}

function hasText(value: string | number | string[] | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some((item) => item.trim() !== "");
  return String(value).trim() !== "";
}
