// Validation gate of a CODEOWNERS pseudo-artifact (`codeowners: true`): CODEOWNERS decides who
// covers every governed file, so an edit of it is governed like an edit of the policy. The new
// file must be one GitHub reads in full: a line GitHub would skip fails here, at its line.
import { CODEOWNERS_LOCATIONS, parseCodeowners } from "../evidence/codeowners.js";
import { readEvidenceText } from "./evidence-file.js";
import { Findings } from "./findings.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";
import { noteApprover } from "./validation.js";

export const codeownersEditGate: EvidenceGate = { name: "validation", check: validateCodeownersEdit };

async function validateCodeownersEdit(input: GateInput): Promise<GateResult> {
  const { artifact, facts } = input;
  const path = artifact.root;
  const findings = new Findings("validation");
  noteApprover(findings, input.policy);
  findings.note("coverage is read from the base branch, so this edit decides coverage once it is merged");
  // GitHub uses the first location that exists: say which one will be in force after the merge.
  const kinds = await Promise.all(CODEOWNERS_LOCATIONS.map((p) => facts.entryKind("head", p)));
  const inForce = CODEOWNERS_LOCATIONS.find((_, i) => kinds[i] !== "missing" && kinds[i] !== "directory");
  if (artifact.removed) {
    findings.note(
      inForce
        ? `${path} is removed: GitHub will use ${inForce}`
        : `${path} is removed and no CODEOWNERS remains, so every governed change will fail its coverage check`,
    );
    return findings.result();
  }
  if (inForce !== path) findings.note(`GitHub uses ${inForce}, which comes first, so ${path} has no effect`);
  const read = await readEvidenceText(input, path, "head");
  if (!read.ok) {
    return findings
      .fail(read.reason, `Make ${path} a readable UTF-8 text file.`, read.location ?? { path })
      .result();
  }
  for (const error of parseCodeowners(path, read.text).errors) {
    findings.fail(
      `${error.path}: ${error.message}`,
      "Correct the line: GitHub skips it, so the files it names would not have the owners it lists.",
      error,
    );
  }
  return findings.result();
}
