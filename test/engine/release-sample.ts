// A release as the edge would gather it, built in a line per case: two artifacts, PRs with their
// recorded decisions, evidence re-checked at the release commit. Tests change what they need.
import type {
  ArtifactAtRelease,
  GovernedChange,
  PullAtMerge,
  RecordedDecision,
  ReleaseInput,
} from "../../src/engine/release-types.js";
import type { GateResult } from "../../src/engine/types.js";

// The short form (7 characters) is the number in hex, so messages read distinctly.
export const sha = (n: number): string => `${n.toString(16).padStart(7, "0")}${"f".repeat(33)}`;

export function record(pull: number, headSha: string, verdict: string, sequence: number): RecordedDecision {
  return {
    sequence,
    kind: "pull",
    pull,
    headSha,
    verdict,
    time: "2026-11-01T10:00:00Z",
    approvals: verdict === "ready" ? [{ rule: "Compliance sign-off", login: "carol" }] : [],
    override: null,
  };
}

export function pull(
  number: number,
  verdict: string,
  sequence: number,
  extra: Partial<PullAtMerge> = {},
): PullAtMerge {
  return {
    number,
    title: `Change ${number}`,
    author: "dana",
    merged: true,
    mergedHead: sha(100 + number),
    records: [record(number, sha(100 + number), verdict, sequence)],
    ...extra,
  };
}

export function gate(name: string, status: GateResult["status"], reasons: string[] = []): GateResult {
  return { gate: name, status, reasons, fixes: [], notes: [], locations: [] };
}

export function atRelease(
  root: string,
  gates: GateResult[] = [],
  extra: Partial<ArtifactAtRelease> = {},
): ArtifactAtRelease {
  return {
    root,
    kind: root.split("/")[0] === "prompts" ? "prompt" : "model",
    tier: "high",
    removed: false,
    gates: gates.length ? gates : [gate("privacy", "pass"), gate("rollback", "pass")],
    metrics: [{ metric: "accuracy", value: 0.93, min: 0.9 }],
    references: { privacy: `${root}/privacy-review.yml`, rollback: `${root}/ROLLBACK.md` },
    ...extra,
  };
}

/** Two PRs (#11 on models/churn, #12 on prompts/support), both ready, a complete range of three commits. */
/** A release input whose lists the tests may change in place. */
export type EditableRelease = ReleaseInput & {
  changes: GovernedChange[];
  pulls: PullAtMerge[];
  atRelease: ArtifactAtRelease[];
};

export function readyRelease(): EditableRelease {
  return {
    repository: "acme/models",
    release: { tag: "v1.2.0", commit: sha(3), previousTag: "v1.1.0" },
    range: {
      commits: [
        { sha: sha(1), pulls: [11] },
        { sha: sha(2), pulls: [12] },
        { sha: sha(3), pulls: [] },
      ],
      total: 3,
    },
    changes: [
      { path: "models/churn/model.onnx", root: "models/churn", kind: "model", commits: [sha(1)] },
      { path: "prompts/support/prompt.txt", root: "prompts/support", kind: "prompt", commits: [sha(2)] },
    ],
    pulls: [pull(11, "ready", 40), pull(12, "ready", 41)],
    atRelease: [atRelease("models/churn"), atRelease("prompts/support")],
    policy: {
      digest: "sha256:abc",
      sources: [".github/readiness.yml"],
      enforcement: "enforced",
      enforce: true,
    },
  };
}

/**
 * Commit `n` joins the range, held by `pulls` (none: a direct push), and changes
 * models/churn/weights.bin.
 */
export function weightsChangedBy(i: EditableRelease, n: number, pulls: number[] = []): void {
  i.range.commits.push({ sha: sha(n), pulls });
  i.range.total = i.range.commits.length;
  i.changes.push({
    path: "models/churn/weights.bin",
    root: "models/churn",
    kind: "model",
    commits: [sha(n)],
  });
}
