// A GateInput built by hand, for table tests of one gate at a time (no engine in between).
import { memo } from "../../src/facts/memo.js";
import { type MemoryFiles, memoryFacts } from "../../src/facts/memory.js";
import type { PeopleFacts } from "../../src/facts/types.js";
import type { GateInput, TouchedArtifact } from "../../src/gates/types.js";
import { type PolicyInput, policySchema } from "../../src/policy/schema.js";

export function artifactAt(root: string, overrides: Partial<TouchedArtifact> = {}): TouchedArtifact {
  return {
    root,
    kind: "model",
    tier: "high",
    removed: false,
    rootEntry: "directory",
    hiddenEntries: [],
    owners: [],
    manifestErrors: [],
    changedPaths: [],
    ...overrides,
  };
}

export function gateInput(
  artifact: TouchedArtifact,
  options: {
    policy?: Partial<PolicyInput>;
    base?: MemoryFiles;
    head?: MemoryFiles;
    people?: PeopleFacts;
  } = {},
): GateInput {
  const facts = memoryFacts({
    base: options.base ?? {},
    head: options.head ?? {},
    ...(options.people ? { people: options.people } : {}),
  });
  return {
    policy: policySchema.parse({ version: 1, ...options.policy }),
    facts,
    now: new Date("2026-11-21T12:00:00Z"),
    changedPaths: new Set(artifact.changedPaths),
    isGoverned: () => true,
    memo: memo(),
    sources: { builtins: () => undefined },
    artifact,
  };
}
