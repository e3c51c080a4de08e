// Asks at once for every file the gates are likely to read — each touched artifact's manifest and
// default evidence files at the head, at the base those that gates compare (manifest, results,
// privacy review), and the base CODEOWNERS — before the gates start. A source
// that batches (GitHub: one GraphQL query for all the reads of a turn) then answers them in one
// request, where the gates' own order (manifest, then evidence, then the base's copy of it) would
// cost one request per step. Reads are cached by the engine's facts, so nothing is read twice; a
// guess that proves useless (a manifest that moves a file, a gate the tier skips) costs bytes, not
// requests. The decision itself never depends on what was prefetched.
import { posix } from "node:path";
import { CODEOWNERS_LOCATIONS } from "../evidence/codeowners.js";
import type { Facts } from "../facts/types.js";
import { POLICY_KIND } from "../gates/approvals.js";
import { MANIFEST_FILE } from "../gates/evidence-file.js";
import { type Policy, TIERS } from "../policy/schema.js";
import type { Candidate } from "./touched.js";

/** Gates that compare their evidence with the base branch's (regression, an unchanged review). */
const COMPARED_WITH_BASE = new Set(["evaluation", "privacy"]);

export function prefetchEvidence(facts: Facts, policy: Policy, candidates: readonly Candidate[]): void {
  const read = (side: "head" | "base", path: string) => {
    facts.readFile(side, path).catch(() => undefined); // the gate's own read sees any error
  };
  for (const candidate of candidates) {
    if (candidate.kind === POLICY_KIND) continue;
    // A manifest can raise the kind's tier, never lower it: gates for lower tiers never apply.
    const lowest = TIERS.indexOf(policy.artifacts[candidate.kind]?.tier ?? "low");
    const files = [{ file: MANIFEST_FILE, atBase: true }];
    for (const [gate, config] of Object.entries(policy.gates)) {
      if (!config || !("file" in config) || !config.file) continue;
      const tiers = "tiers" in config ? config.tiers : undefined;
      if (tiers && !tiers.some((t) => TIERS.indexOf(t) >= lowest)) continue;
      files.push({ file: posix.normalize(config.file), atBase: COMPARED_WITH_BASE.has(gate) });
    }
    for (const { file, atBase } of files) {
      const path = posix.join(candidate.root, file);
      read("head", path);
      if (atBase) read("base", path);
    }
  }
  if (policy.gates.ownership?.codeowners) for (const path of CODEOWNERS_LOCATIONS) read("base", path);
}
