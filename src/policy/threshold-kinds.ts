// A threshold whose `kinds` names no kind of the effective policy applies to nothing: most often a
// typo (`modle`), which would quietly take the bound off every artifact. The merged policy is the
// one that knows every kind (the org's included), so this is a warning of the effective policy.
import type { LocatedError } from "./located.js";
import { closest } from "./suggest.js";
import type { PolicyLayer } from "./tighten.js";
import { errorAt } from "./yaml.js";

export function thresholdKindWarnings(layer: PolicyLayer, kinds: readonly string[]): LocatedError[] {
  const warnings: LocatedError[] = [];
  (layer.policy.gates.evaluation?.thresholds ?? []).forEach((threshold, i) => {
    threshold.kinds?.forEach((kind, j) => {
      if (kinds.includes(kind)) return;
      const near = closest(kind, [...kinds]);
      warnings.push(
        errorAt(
          layer.file,
          ["gates", "evaluation", "thresholds", i, "kinds", j],
          `the threshold on '${threshold.metric}' names kind '${kind}', which no policy declares, so it applies to no artifact of that kind${near ? ` — did you mean '${near}'?` : ""}`,
        ),
      );
    });
  });
  return warnings;
}
