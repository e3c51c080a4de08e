// Privacy gate: a current, favourable review by a member of the privacy reviewers that covers the
// artifact's data categories, and that the PR author could not have forged (PRODUCT.md "Evidence").

import { dateProblem, dateValue, daysBetween } from "../evidence/dates.js";
import { readPrivacyRecord } from "../evidence/privacy.js";
import type { PrivacyRecord } from "../evidence/types.js";
import type { PrivacyGate } from "../policy/schema.js";
import { defaultEvidenceReads, failParseErrors, openEvidence } from "./evidence-file.js";
import type { Findings } from "./findings.js";
import { checkSignOff } from "./sign-off.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";

export const privacyGate: EvidenceGate = {
  name: "privacy",
  check: checkPrivacy,
  // The trust rule compares the record with the base's.
  likelyReads: (policy, root, lowest) =>
    defaultEvidenceReads(policy.gates.privacy, root, lowest, ["head", "base"]),
};

async function checkPrivacy(input: GateInput): Promise<GateResult | undefined> {
  const config = input.policy.gates.privacy;
  if (!config) return undefined;
  const opened = await openEvidence(
    input,
    "privacy",
    config,
    (path) => `Ask ${config.reviewers.join(" or ")} for a privacy review and commit it at ${path}.`,
  );
  if ("done" in opened) return opened.done;
  const { path, text, findings } = opened;
  const parsed = readPrivacyRecord(path, text);
  if (!parsed.ok)
    return failParseErrors(findings, parsed.errors, `Fix ${path} so it is a valid privacy review record.`);
  const record = parsed.value;
  checkDecision(findings, path, record, config, input.now);
  checkCategories(input, findings, path, record);
  await checkTrust(input, findings, path, text, record, config);
  return findings.result();
}

function checkDecision(
  findings: Findings,
  path: string,
  record: PrivacyRecord,
  config: PrivacyGate,
  now: Date,
) {
  const at = (field: string) => ({ path, line: record.lines[field] });
  const newReview = `Ask ${config.reviewers.join(" or ")} for a new privacy review.`;
  if (record.decision === "rejected")
    findings.fail(`the privacy review rejected this artifact`, newReview, at("decision"));
  if (record.expires_at !== undefined) {
    if (!dateProblem(record.expires_at) && dateValue(record.expires_at) < now.getTime()) {
      findings.fail(`the privacy review expired on ${record.expires_at}`, newReview, at("expires_at"));
    }
  }
  const age = daysBetween(record.reviewed_at, now);
  if (age !== undefined && age < 0) {
    findings.fail(
      `the review date ${record.reviewed_at} is in the future`,
      "Record the date of the review.",
      at("reviewed_at"),
    );
  } else if (age !== undefined && config.max_age_days !== undefined && age > config.max_age_days) {
    findings.fail(
      `the privacy review of ${record.reviewed_at} is ${age} days old, more than the ${config.max_age_days} allowed`,
      newReview,
      at("reviewed_at"),
    );
  }
}

/** A data category the manifest declares but the review does not cover means a new review. */
function checkCategories(input: GateInput, findings: Findings, path: string, record: PrivacyRecord) {
  const covered = new Set(record.data_categories.map((c) => c.toLowerCase()));
  for (const category of input.artifact.manifest?.data_categories ?? []) {
    if (!covered.has(category.toLowerCase())) {
      findings.fail(
        `the data category '${category}' is not covered by the privacy review`,
        "A new data category needs a new privacy review that lists it.",
        { path, line: record.lines.data_categories },
      );
    }
  }
}

/** The record counts only under the sign-off trust rule: the author cannot write one. */
function checkTrust(
  input: GateInput,
  findings: Findings,
  path: string,
  text: string,
  record: PrivacyRecord,
  config: PrivacyGate,
) {
  return checkSignOff(input, findings, {
    gate: "privacy",
    file: config.file,
    path,
    text,
    reviewer: record.reviewer,
    at: { path, line: record.lines.reviewer },
    reviewers: config.reviewers,
    tiers: config.tiers,
    what: "the review",
  });
}
