// The gates, in the order the check shows them. Adding a gate: its file, its test in test/gates/,
// its settings in policy/schema.ts (with how an org and a repo merge them, policy/merge-gates.ts),
// and a line here. The engine asks each gate what it reads and never names one. Document gates
// are the policy's own: one implementation (documents.ts), one gate per name, after the builtin.

import { CODEOWNERS_KIND, POLICY_KIND } from "../policy/pseudo-kinds.js";
import type { Policy } from "../policy/schema.js";
import { codeownersEditGate } from "./codeowners-edit.js";
import { documentGates } from "./documents.js";
import { evaluationGate } from "./evaluation.js";
import { filesGate } from "./files.js";
import { manifestGate } from "./manifest.js";
import { ownershipGate } from "./ownership.js";
import { privacyGate } from "./privacy.js";
import { rollbackGate } from "./rollback.js";
import type { EvidenceGate, TouchedArtifact } from "./types.js";
import { validationGate } from "./validation.js";

/** Gates that judge the artifact's own shape: shown only when they fail. */
const structureGates: readonly EvidenceGate[] = [filesGate, manifestGate];

/** The builtin gates an ordinary artifact may get. */
export const evidenceGates: readonly EvidenceGate[] = [
  ...structureGates,
  ownershipGate,
  evaluationGate,
  privacyGate,
  rollbackGate,
];

/** Every gate an ordinary artifact may get under `policy`, for the engine to ask what each reads. */
export function evidenceGatesOf(policy: Policy): readonly EvidenceGate[] {
  const documents = documentGates(policy);
  return documents.length === 0 ? evidenceGates : [...evidenceGates, ...documents];
}

const pseudoGates: Record<string, readonly EvidenceGate[]> = {
  [POLICY_KIND]: [validationGate],
  [CODEOWNERS_KIND]: [codeownersEditGate],
};

/**
 * The gates a touched artifact gets. A root that is itself a symbolic link or a submodule holds
 * nothing the evidence gates could read: it gets only the gate that fails it, with the reason.
 */
export function gatesFor(artifact: TouchedArtifact, policy: Policy): readonly EvidenceGate[] {
  const pseudo = pseudoGates[artifact.kind];
  if (pseudo) return pseudo;
  if (artifact.rootEntry === "symlink" || artifact.rootEntry === "submodule") return structureGates;
  return evidenceGatesOf(policy);
}

export { approvalsGate } from "./approvals.js";
export { contentFiles } from "./content-files.js";
export { evidenceFiles, MANIFEST_FILE } from "./evidence-file.js";
export type * from "./types.js";
