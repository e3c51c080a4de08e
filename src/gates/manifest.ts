// Manifest gate: a broken artifact.yml fails its artifact whether or not an ownership gate is
// configured. The manifest carries the tier, the data categories and the evidence paths other
// gates judge by; without it they would judge a manifest the PR did not write. Shown only when it
// fails, so an ordinary artifact's row is unchanged.
import { joinUnderRoot, MANIFEST_FILE } from "./evidence-file.js";
import { Findings } from "./findings.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";

export const manifestGate: EvidenceGate = {
  name: "manifest",
  check: async (input) => checkManifest(input),
};

function checkManifest({ artifact }: GateInput): GateResult | undefined {
  if (artifact.removed || artifact.manifestErrors.length === 0) return undefined;
  const findings = new Findings("manifest");
  const path = joinUnderRoot(artifact.root, MANIFEST_FILE);
  for (const error of artifact.manifestErrors) {
    findings.fail(`${error.path}: ${error.message}`, `Fix ${path}.`, error);
  }
  return findings.result();
}
