// Pseudo-artifacts: files that govern the gate itself rather than an AI artifact. A PR that edits
// one touches it like an artifact of its own kind; the edit is validated, and needs the approval of
// `policy_admins` (without them, of a repository admin). Which paths they are: engine/touched.ts.

/** The repository policy file (`.github/readiness.yml`). */
export const POLICY_KIND = "policy";
/**
 * A CODEOWNERS file, governed when `gates.ownership.codeowners` makes it decide coverage. Upper
 * case, which the policy's kind names cannot be, so no artifact kind can pass for it.
 */
export const CODEOWNERS_KIND = "CODEOWNERS";

export const PSEUDO_KINDS: readonly string[] = [POLICY_KIND, CODEOWNERS_KIND];

export function isPseudoKind(kind: string): boolean {
  return PSEUDO_KINDS.includes(kind);
}
