// A GateInput built by hand, for table tests of one gate at a time (no engine in between): each
// row fills in the artifact and the facts the gate reads, and says what the user sees.
import { expect } from "vitest";
import { memo } from "../../src/facts/memo.js";
import { type MemoryFiles, memoryFacts } from "../../src/facts/memory.js";
import type { PeopleFacts } from "../../src/facts/types.js";
import type { GateInput, GateResult, GateStatus, TouchedArtifact } from "../../src/gates/types.js";
import { type PolicyInput, policySchema } from "../../src/policy/schema.js";
import { HEAD_SHA } from "../engine/people.js";

export const NOW = new Date("2026-11-21T12:00:00Z");

/** An artifact the base already governed at its tier (`baseTier: undefined`: one new in the PR). */
export function artifactAt(root: string, overrides: Partial<TouchedArtifact> = {}): TouchedArtifact {
  return {
    root,
    kind: "model",
    tier: "high",
    baseTier: "high",
    removed: false,
    rootEntry: "directory",
    hiddenEntries: [],
    owners: [],
    manifestErrors: [],
    changedPaths: [],
    ...overrides,
  };
}

/** What a row hands the gate: the policy, the files at each side, the people on GitHub (or none, offline). */
export interface GateFacts {
  policy?: Partial<PolicyInput>;
  base?: MemoryFiles;
  head?: MemoryFiles;
  people?: PeopleFacts;
  /** The org policy's text, for a PR that edits the repository policy. */
  org?: string;
}

export function gateInput(artifact: TouchedArtifact, options: GateFacts = {}): GateInput {
  const facts = memoryFacts({
    base: options.base ?? {},
    head: options.head ?? {},
    headSha: HEAD_SHA,
    ...(options.people ? { people: options.people } : {}),
  });
  return {
    policy: policySchema.parse({ version: 1, ...options.policy }),
    facts,
    now: NOW,
    changedPaths: new Set(artifact.changedPaths),
    isGoverned: () => true,
    memo: memo(),
    sources: {
      builtins: () => undefined,
      ...(options.org
        ? { org: { path: ".github/readiness.yml", text: options.org, label: "org policy" } }
        : {}),
    },
    artifact,
  };
}

/** What the check shows for a gate: its status and reasons, and notes it must include. */
export interface Shown {
  status: GateStatus;
  reasons: string[];
  notes?: string[];
}

/** `undefined` expected: the gate shows no row. */
export function expectShown(result: GateResult | undefined, expected: Shown | undefined): void {
  if (expected === undefined) {
    expect(result).toBeUndefined();
    return;
  }
  expect({ status: result?.status, reasons: result?.reasons }).toEqual({
    status: expected.status,
    reasons: expected.reasons,
  });
  for (const note of expected.notes ?? []) expect(result?.notes).toContain(note);
}
