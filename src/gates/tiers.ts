// Which tiers a gate or approval rule reaches. Shared by the evidence gates, content files and
// approvals, so that one rule decides whether a tier filter matches an artifact.
import type { TouchedArtifact } from "./types.js";

/**
 * Whether a gate or rule with these `tiers` applies to the artifact (no `tiers` means every tier):
 * it does when it lists any tier the artifact is held to (see `TouchedArtifact.heldTiers`).
 */
export function appliesToTier(
  tiers: readonly string[] | undefined,
  artifact: Pick<TouchedArtifact, "tier" | "heldTiers">,
): boolean {
  if (tiers === undefined) return true;
  return (artifact.heldTiers ?? [artifact.tier]).some((t) => tiers.includes(t));
}
