// From what the engine already computes to what the release gate reads about one artifact at the
// release commit: its time-bound gates (from the evaluation run with the release commit as head
// and `now`), its metrics against the thresholds that apply to it, and where the evidence of its
// privacy review, rollback plan and document gates is. The edge reads the results file; everything
// here is pure.
import { normaliseMetricName } from "../evidence/eval-results.js";
import type { EvalResults } from "../evidence/types.js";
import { thresholdsFor } from "../gates/evaluation.js";
import { evidencePath } from "../gates/evidence-paths.js";
import { appliesToTier } from "../gates/tiers.js";
import type { TouchedArtifact } from "../gates/types.js";
import type { Policy } from "../policy/schema.js";
import type { ArtifactAtRelease, EvidenceReferences, MetricAtRelease } from "./release-types.js";
import type { ArtifactResult } from "./types.js";

/**
 * Each threshold that applies to the artifact (tightest `min` and `max` per metric), with the value
 * the results at the release commit report — null when they do not report it, or when there are no
 * readable results at all (which fails the release: the caller's read error is the reason to show).
 */
export function metricsAtRelease(
  policy: Policy,
  artifact: Pick<TouchedArtifact, "kind" | "tier" | "heldTiers">,
  results: EvalResults | undefined,
): MetricAtRelease[] {
  const evaluation = policy.gates.evaluation;
  // No evaluation gate for the artifact's tier: its thresholds do not apply either.
  if (!evaluation || !appliesToTier(evaluation.tiers, artifact)) return [];
  return thresholdsFor(artifact as TouchedArtifact, evaluation.thresholds ?? []).map((th) => ({
    metric: th.metric,
    value: results?.metrics[normaliseMetricName(th.metric)] ?? null,
    ...(th.min !== undefined ? { min: th.min } : {}),
    ...(th.max !== undefined ? { max: th.max } : {}),
  }));
}

/**
 * Where the artifact's time-bound evidence lives (`EvidenceReferences`): the privacy review, the
 * rollback plan and every document gate the policy configures, each by its gate's name, in the
 * policy's order — at the path the manifest names for it, else the policy's `file`.
 */
export function evidenceReferences(
  policy: Policy,
  artifact: Pick<TouchedArtifact, "root" | "manifest">,
): EvidenceReferences {
  const gates: Array<[string, { file: string } | undefined]> = [
    ["privacy", policy.gates.privacy],
    ["rollback", policy.gates.rollback],
    ...Object.entries(policy.gates.documents ?? {}),
  ];
  const references: Record<string, string | null> = {};
  for (const [gate, config] of gates) {
    if (!config) continue;
    const where = evidencePath(artifact as TouchedArtifact, gate, config.file);
    references[gate] = where.ok ? where.path : null;
  }
  return references;
}

/** An engine result at the release commit as the release gate reads it; a removed artifact has no metrics. */
export function artifactAtRelease(
  result: ArtifactResult,
  metrics: MetricAtRelease[],
  references: ArtifactAtRelease["references"],
): ArtifactAtRelease {
  return {
    root: result.root,
    kind: result.kind,
    tier: result.tier,
    removed: result.removed,
    gates: result.gates,
    metrics: result.removed ? [] : metrics,
    references,
  };
}
