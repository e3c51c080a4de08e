// Validation gate of the policy pseudo-artifact: a PR that edits the policy file must leave it
// valid and no looser than the org policy; the check lists what the edit adds and removes.

import { diffRequirements } from "../policy/requirements.js";
import { resolvePolicy } from "../policy/resolve.js";
import type { Policy } from "../policy/schema.js";
import { readEvidenceText } from "./evidence-file.js";
import { Findings } from "./findings.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";

export const validationGate: EvidenceGate = { name: "validation", check: validatePolicyEdit };

/** Says who approves an edit of a pseudo-artifact when the policy names no policy_admins. */
export function noteApprover(findings: Findings, policy: Policy): void {
  if (policy.policy_admins.length === 0) {
    findings.note(
      "the policy names no policy_admins, so this edit needs the approval of a repository admin who is neither its author nor a commit author",
    );
  }
}

async function validatePolicyEdit(input: GateInput): Promise<GateResult> {
  const path = input.artifact.root;
  const findings = new Findings("validation");
  // The effective policy was read at the base, so it is the repository's own policy there.
  const context = { ...input.sources, basePolicy: input.policy };
  noteApprover(findings, input.policy);
  if (input.artifact.removed) {
    findings.note("the policy file is removed: only the org policy will apply");
    // What the removal takes away is what the repository added to the org's requirements.
    const orgOnly = context.org ? resolvePolicy({ org: context.org, builtins: context.builtins }) : undefined;
    const after = orgOnly?.ok ? orgOnly.policy : { ...context.basePolicy, ...emptyPolicy };
    if (context.basePolicy) describe(findings, diffRequirements(context.basePolicy, after as Policy));
    return findings.result();
  }
  const read = await readEvidenceText(input, path, "head");
  if (!read.ok) {
    return findings
      .fail(read.reason, `Make ${path} a readable YAML policy file.`, read.location ?? { path })
      .result();
  }
  const resolved = resolvePolicy({
    ...(context.org ? { org: context.org } : {}),
    repo: { path, text: read.text },
    builtins: context.builtins,
  });
  if (resolved && !resolved.ok) {
    for (const error of resolved.errors) {
      findings.fail(
        `${error.path}: ${error.message}`,
        context.org
          ? "Correct the policy; `readiness-gate check --org-policy <org policy file>` shows the same errors locally."
          : "Correct the policy; `readiness-gate validate` shows the same errors locally.",
        error,
      );
    }
    return findings.result();
  }
  if (resolved?.ok) describe(findings, diffRequirements(context.basePolicy, resolved.policy));
  return findings.result();
}

const emptyPolicy = { artifacts: {}, gates: {}, approvals: [], policy_admins: [] };

function describe(findings: Findings, diff: { added: string[]; removed: string[] }) {
  for (const line of diff.added) findings.note(`adds: ${line}`);
  for (const line of diff.removed) findings.note(`removes: ${line}`);
  if (diff.added.length + diff.removed.length === 0)
    findings.note("the edit does not change any requirement");
}
