// Rollback gate: a plan with every required section filled in and a recent enough drill.

import { daysBetween } from "../evidence/dates.js";
import { readRollbackPlan, sectionFinder } from "../evidence/rollback.js";
import { defaultEvidenceReads, failParseErrors, openEvidence } from "./evidence-file.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";

export const rollbackGate: EvidenceGate = {
  name: "rollback",
  check: checkRollback,
  likelyReads: (policy, root, lowest) => defaultEvidenceReads(policy.gates.rollback, root, lowest, ["head"]),
};

async function checkRollback(input: GateInput): Promise<GateResult | undefined> {
  const config = input.policy.gates.rollback;
  if (!config) return undefined;
  const opened = await openEvidence(
    input,
    "rollback",
    config,
    (path) => `Write a rollback plan at ${path} with the sections ${config.sections.join(", ")}.`,
  );
  if ("done" in opened) return opened.done;
  const { path, text, findings } = opened;
  const parsed = readRollbackPlan(path, text);
  if (!parsed.ok)
    return failParseErrors(findings, parsed.errors, `Fix ${path} so it is a Markdown or YAML rollback plan.`);
  const plan = parsed.value;
  const findSection = sectionFinder(plan);
  for (const wanted of config.sections) {
    const section = findSection(wanted);
    if (!section) {
      findings.fail(
        `${path} has no '${wanted}' section`,
        `Add a '${wanted}' heading with its text to ${path}.`,
        { path, line: 1 },
      );
    } else if (!section.hasText) {
      findings.fail(
        `the '${wanted}' section of ${path} is empty`,
        `Write the '${wanted}' section of ${path}.`,
        {
          path,
          line: section.line,
        },
      );
    }
  }
  const drill = plan.lastTested;
  if (!drill) {
    findings.fail(
      `${path} records no rollback drill date`,
      "Run a rollback drill and record its date (YYYY-MM-DD) under 'Last tested'.",
      { path, line: findSection("Last tested")?.line ?? 1 },
    );
  } else if (config.max_drill_age_days !== undefined) {
    const age = daysBetween(drill.date, input.now);
    if (age === undefined) {
      findings.fail(
        `the drill date ${drill.date} is not a valid date`,
        "Write the drill date as YYYY-MM-DD.",
        {
          path,
          line: drill.line,
        },
      );
    } else if (age > config.max_drill_age_days) {
      findings.fail(
        `the last rollback drill (${drill.date}) is ${age} days old, more than the ${config.max_drill_age_days} allowed`,
        "Run a rollback drill and record its date under 'Last tested'.",
        { path, line: drill.line },
      );
    } else if (age < 0) {
      findings.fail(
        `the drill date ${drill.date} is in the future`,
        "Record the date the drill actually ran.",
        {
          path,
          line: drill.line,
        },
      );
    }
  }
  return findings.result();
}
