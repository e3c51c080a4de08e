// Document gates (PRODUCT.md "Document gates"): the organisation's own evidence, declared in the
// policy without code. One implementation serves every gate the policy names under
// `gates.documents`; each is a gate of its own in the check, named as the policy names it.

import { daysBetween } from "../evidence/dates.js";
import { type EvidenceDocument, readDocument } from "../evidence/document.js";
import { DATA_DOCUMENT, type DocumentGate, MARKDOWN_DOCUMENT, type Policy } from "../policy/schema.js";
import { defaultEvidenceReads, failParseErrors, openEvidence } from "./evidence-file.js";
import type { Findings } from "./findings.js";
import { checkSignOff } from "./sign-off.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";

/** One gate per document the policy names, in the policy's order. */
export function documentGates(policy: Policy): EvidenceGate[] {
  return Object.keys(policy.gates.documents ?? {}).map(documentGate);
}

function documentGate(name: string): EvidenceGate {
  return {
    name,
    check: (input) => checkDocument(input, name),
    // With reviewers, the trust rule compares the document with the base's.
    likelyReads: (policy, root, lowest) => {
      const config = policy.gates.documents?.[name];
      return defaultEvidenceReads(config, root, lowest, config?.reviewers ? ["head", "base"] : ["head"]);
    },
  };
}

async function checkDocument(input: GateInput, name: string): Promise<GateResult | undefined> {
  const config = input.policy.gates.documents?.[name];
  if (!config) return undefined;
  const opened = await openEvidence(
    input,
    name,
    config,
    (path) => `Write ${path} ${describeWanted(config, path)}.`,
  );
  if ("done" in opened) return opened.done;
  const { path, text, findings } = opened;
  const markdown = MARKDOWN_DOCUMENT.test(path);
  const wanted = markdown ? config.sections : DATA_DOCUMENT.test(path) ? config.keys : undefined;
  if (!wanted) {
    // The manifest moved the document to a form the policy does not describe.
    const forms = [config.sections && "Markdown (.md)", config.keys && "YAML or JSON (.yml, .json)"];
    return findings
      .fail(
        `${path} is not a form the ${name} gate reads: the policy describes it as ${forms.filter(Boolean).join(" or ")}`,
        `Point evidence.${name} in the manifest at a ${forms.filter(Boolean).join(" or ")} file.`,
        { path, line: 1 },
      )
      .result();
  }
  const parsed = readDocument(path, text, {
    ...(config.dated_by !== undefined ? { datedBy: config.dated_by } : {}),
    reviewer: config.reviewers !== undefined,
  });
  if (!parsed.ok)
    return failParseErrors(findings, parsed.errors, `Fix ${path} so it is a readable ${name} document.`);
  const document = parsed.value;
  const part = markdown ? "section" : "key";
  for (const want of wanted) {
    const found = document.find(want);
    if (!found) {
      const fix = markdown
        ? `Add a '${want}' heading with its text to ${path}.`
        : `Add '${want}' to ${path}.`;
      findings.fail(`${path} has no '${want}' ${part}`, fix, { path, line: 1 });
    } else if (!found.hasText) {
      findings.fail(`the '${want}' ${part} of ${path} is empty`, `Fill in '${want}' in ${path}.`, {
        path,
        line: found.line,
      });
    }
  }
  checkDate(input, findings, path, document, config);
  if (config.reviewers) {
    const reviewers = config.reviewers;
    if (!document.reviewer) {
      const where = markdown ? "a 'Reviewer' section" : "a 'reviewer' key";
      findings.fail(
        `${path} names no reviewer`,
        `Have a member of ${reviewers.join(" or ")} review it, and name them in ${where}.`,
        { path, line: 1 },
      );
    } else {
      await checkSignOff(input, findings, {
        gate: name,
        file: config.file,
        path,
        text,
        reviewer: document.reviewer.login,
        at: { path, line: document.reviewer.line },
        reviewers,
        tiers: config.tiers,
        what: "the sign-off",
      });
    }
  }
  return findings.result();
}

function checkDate(
  input: GateInput,
  findings: Findings,
  path: string,
  document: EvidenceDocument,
  config: DocumentGate,
) {
  const datedBy = config.dated_by;
  if (datedBy === undefined) return;
  const date = document.date;
  if (!date) {
    findings.fail(
      `${path} records no date under '${datedBy}'`,
      `Record the date (YYYY-MM-DD) under '${datedBy}' in ${path}.`,
      { path, line: document.find(datedBy)?.line ?? 1 },
    );
    return;
  }
  const age = daysBetween(date.date, input.now);
  const at = { path, line: date.line };
  if (age === undefined) {
    findings.fail(`the date ${date.date} is not a valid date`, "Write the date as YYYY-MM-DD.", at);
  } else if (age < 0) {
    findings.fail(
      `the date ${date.date} in ${path} is in the future`,
      "Record the date it actually happened.",
      at,
    );
  } else if (config.max_age_days !== undefined && age > config.max_age_days) {
    findings.fail(
      `${path} is dated ${date.date}, ${age} days ago, more than the ${config.max_age_days} allowed`,
      `Review ${path} and record the new date under '${datedBy}'.`,
      at,
    );
  }
}

/** "with the sections Metrics, Owner" or "with the keys metrics, owner", for the file at `path`. */
function describeWanted(config: DocumentGate, path: string): string {
  if (config.sections && MARKDOWN_DOCUMENT.test(path))
    return `with the sections ${config.sections.join(", ")}`;
  return `with the keys ${(config.keys ?? []).join(", ")}`;
}
