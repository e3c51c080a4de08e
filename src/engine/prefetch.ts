// Asks at once for every file the gates are likely to read — each touched artifact's manifest at
// both sides, and whatever each gate declares it reads (its evidence at the head, at the base
// what it compares, repository files such as the base CODEOWNERS) — before the gates start. A
// source that batches (GitHub: one GraphQL query for all the reads of a turn) then answers them in
// one request, where the gates' own order (manifest, then evidence, then the base's copy of it)
// would cost one request per step. Reads are cached by the engine's facts, so nothing is read
// twice; a guess that proves useless (a manifest that moves a file, a gate the tier skips) costs
// bytes, not requests. The decision itself never depends on what was prefetched.
import type { Facts } from "../facts/types.js";
import { joinUnderRoot } from "../gates/evidence-paths.js";
import { evidenceGatesOf, MANIFEST_FILE } from "../gates/index.js";
import { isPseudoKind } from "../policy/pseudo-kinds.js";
import type { Policy } from "../policy/schema.js";
import type { Candidate } from "./touched.js";

const ignore = () => undefined;

export function prefetchEvidence(facts: Facts, policy: Policy, candidates: readonly Candidate[]): void {
  const asked = { head: new Set<string>(), base: new Set<string>() };
  const read = (side: "head" | "base", path: string) => {
    if (asked[side].has(path)) return;
    asked[side].add(path);
    facts.readFile(side, path).catch(ignore); // the gate's own read sees any error
  };
  const gates = evidenceGatesOf(policy);
  for (const candidate of candidates) {
    if (isPseudoKind(candidate.kind)) continue;
    const manifest = joinUnderRoot(candidate.root, MANIFEST_FILE);
    read("head", manifest);
    read("base", manifest);
    // A manifest can raise the kind's tier, never lower it: gates for lower tiers never apply.
    const lowest = policy.artifacts[candidate.kind]?.tier ?? "low";
    for (const gate of gates) {
      for (const file of gate.likelyReads?.(policy, candidate.root, lowest) ?? []) read(file.side, file.path);
    }
  }
}
