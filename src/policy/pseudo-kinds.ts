// Pseudo-artifacts: files that govern the gate itself rather than an AI artifact. A PR that edits
// one touches it like an artifact; its one gate is `validation`, and the edit needs the approval of
// `policy_admins` (without them, of a repository admin).
import { CODEOWNERS_LOCATIONS } from "../evidence/codeowners.js";
import { POLICY_PATH, type Policy } from "./schema.js";

/** The repository policy file (`.github/readiness.yml`). */
export const POLICY_KIND = "policy";
/**
 * A CODEOWNERS file, governed when `gates.ownership.codeowners` makes it decide coverage. Upper
 * case, which the policy's kind names cannot be, so no artifact kind can pass for it.
 */
export const CODEOWNERS_KIND = "CODEOWNERS";

export function isPseudoKind(kind: string): boolean {
  return kind === POLICY_KIND || kind === CODEOWNERS_KIND;
}

/** The pseudo-artifact a path is under the policy, if any. */
export function pseudoKindOf(policy: Policy, path: string): string | undefined {
  if (path === POLICY_PATH) return POLICY_KIND;
  if (policy.gates.ownership?.codeowners && (CODEOWNERS_LOCATIONS as readonly string[]).includes(path))
    return CODEOWNERS_KIND;
  return undefined;
}
