// The evidence gates, in the order the check shows them. Adding a gate: its file, the schema, and
// a line here and in the template.
import { evaluationGate } from "./evaluation.js";
import { ownershipGate } from "./ownership.js";
import { privacyGate } from "./privacy.js";
import { rollbackGate } from "./rollback.js";
import type { EvidenceGateFn } from "./types.js";

export const evidenceGates: ReadonlyArray<readonly [name: string, gate: EvidenceGateFn]> = [
  ["ownership", ownershipGate],
  ["evaluation", evaluationGate],
  ["privacy", privacyGate],
  ["rollback", rollbackGate],
];

export { approvalsGate, POLICY_KIND } from "./approvals.js";
export { contentFiles } from "./content-files.js";
export { evidenceFiles, MANIFEST_FILE } from "./evidence-file.js";
export type * from "./types.js";
export { validationGate } from "./validation.js";
