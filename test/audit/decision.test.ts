// The decision the app records for an evaluation, and when two decisions are the same one.
import { describe, expect, it } from "vitest";
import {
  type DecisionContext,
  droppedOverride,
  evaluationDecision,
  overrideDecision,
} from "../../src/audit/decision.js";
import { noteReads } from "../../src/audit/evidence-reads.js";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { memoryFacts } from "../../src/facts/memory.js";
import type { Override, Review } from "../../src/facts/types.js";
import { approval, artifact, evaluation, gate } from "../report/sample.js";

const HEAD = "h".repeat(40);
const BASE = "b".repeat(40);

function context(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    kind: "pull",
    installation: 7,
    repository: "acme/ml",
    pull: 12,
    headSha: HEAD,
    baseSha: BASE,
    event: "pull_request.synchronize",
    deliveryId: "delivery-1",
    conclusion: "action_required",
    appVersion: "0.1.0",
    time: new Date("2026-12-05T10:00:00Z"),
    reads: [],
    reviews: [],
    ...overrides,
  };
}

const review = (id: number, user: string, state: Review["state"], at: string, commitId = HEAD): Review => ({
  id,
  user,
  state,
  commitId,
  submittedAt: at,
});

const churn = () =>
  evaluation({
    verdict: "awaiting_approval",
    artifacts: [
      artifact({
        root: "models/churn",
        gates: [
          gate({ gate: "evaluation", status: "pass" }),
          gate({ gate: "rollback", status: "fail", reasons: ["ROLLBACK.md has no Steps section"] }),
        ],
      }),
    ],
    approvals: [approval({ rule: "Artifact owner", status: "pass", missing: 0, approvedBy: ["Alice"] })],
  });

const override: Override = {
  by: "olga",
  reason: "hotfix for the outage",
  at: "2026-12-05T09:00:00.000Z",
  expiresAt: "2026-12-08T09:00:00.000Z",
  headSha: HEAD,
};

describe("evaluationDecision", () => {
  it("records where, what and on which event, with the base the facts read", () => {
    const d = evaluationDecision(churn(), context());
    expect(d).toMatchObject({
      time: "2026-12-05T10:00:00.000Z",
      installation: 7,
      repository: "acme/ml",
      kind: "pull",
      pull: 12,
      headSha: HEAD,
      baseSha: BASE,
      event: "pull_request.synchronize",
      deliveryId: "delivery-1",
      verdict: "awaiting_approval",
      conclusion: "action_required",
      policy: { digest: "sha256:0f1e2d", sources: [".github/readiness.yml"] },
      appVersion: "0.1.0",
      override: null,
    });
    expect(d.sameAs).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("gives each gate its reasons and the files read under its artifact; the rest go to the policy record", () => {
    const reads = [
      { side: "head" as const, path: "models/churn/ROLLBACK.md", blobSha: "1".repeat(40) },
      { side: "base" as const, path: "models/churn/eval/results.json", blobSha: "2".repeat(40) },
      { side: "head" as const, path: "models/churn/eval/results.json", blobSha: "3".repeat(40) },
      { side: "head" as const, path: "models/churn/ROLLBACK.md", blobSha: "1".repeat(40) },
      { side: "base" as const, path: ".github/readiness.yml", blobSha: "4".repeat(40) },
      { side: "head" as const, path: "models/churner/x.md", blobSha: "5".repeat(40) },
    ];
    const d = evaluationDecision(churn(), context({ reads }));
    const evidence = [
      { side: "head", path: "models/churn/ROLLBACK.md", blobSha: "1".repeat(40) },
      { side: "base", path: "models/churn/eval/results.json", blobSha: "2".repeat(40) },
      { side: "head", path: "models/churn/eval/results.json", blobSha: "3".repeat(40) },
    ];
    expect(d.gates).toEqual([
      { artifact: "models/churn", gate: "evaluation", status: "pass", reasons: [], evidence },
      {
        artifact: "models/churn",
        gate: "rollback",
        status: "fail",
        reasons: ["ROLLBACK.md has no Steps section"],
        evidence,
      },
      { artifact: null, gate: "approvals: Artifact owner", status: "pass", reasons: [], evidence: [] },
      {
        artifact: null,
        gate: "policy",
        status: "pass",
        reasons: [],
        evidence: [
          { side: "base", path: ".github/readiness.yml", blobSha: "4".repeat(40) },
          { side: "head", path: "models/churner/x.md", blobSha: "5".repeat(40) },
        ],
      },
    ]);
  });

  it("names the review behind each approval counted: the reviewer's latest decisive one", () => {
    const reviews = [
      review(101, "alice", "APPROVED", "2026-12-01T00:00:00Z", "c".repeat(40)),
      review(102, "alice", "COMMENTED", "2026-12-02T00:00:00Z"),
      review(103, "alice", "APPROVED", "2026-12-03T00:00:00Z"),
    ];
    const d = evaluationDecision(churn(), context({ reviews }));
    expect(d.approvals).toEqual([{ rule: "Artifact owner", login: "Alice", review: 103, commit: HEAD }]);
  });

  it("reports policy errors with their place", () => {
    const d = evaluationDecision(
      evaluation({
        verdict: "policy_error",
        policy: { digest: "", sources: [".github/readiness.yml"] },
        errors: [{ path: ".github/readiness.yml", line: 3, column: 5, message: "unknown key `gatez`" }],
      }),
      context({ conclusion: "failure" }),
    );
    expect(d.policy.digest).toBeNull();
    expect(d.gates).toEqual([
      {
        artifact: null,
        gate: "policy",
        status: "fail",
        reasons: [".github/readiness.yml:3:5: unknown key `gatez`"],
        evidence: [],
      },
    ]);
  });

  it("records the override in force as active", () => {
    const d = evaluationDecision(evaluation({ verdict: "overridden", override }), context());
    expect(d.override).toEqual({
      by: "olga",
      reason: "hotfix for the outage",
      at: override.at,
      expiresAt: override.expiresAt,
      state: "active",
    });
  });
});

describe("sameAs: the same decision", () => {
  const base = () => evaluationDecision(churn(), context()).sameAs;

  it.each<[string, () => string | null]>([
    [
      "another delivery of the same event",
      () => evaluationDecision(churn(), context({ deliveryId: "delivery-2" })).sameAs,
    ],
    [
      "a later time",
      () => evaluationDecision(churn(), context({ time: new Date("2027-01-01T00:00:00Z") })).sameAs,
    ],
    [
      "another event with the same outcome",
      () => evaluationDecision(churn(), context({ event: "check_run.rerequested" })).sameAs,
    ],
    ["another app version", () => evaluationDecision(churn(), context({ appVersion: "0.2.0" })).sameAs],
    [
      "a comment-only review",
      () =>
        evaluationDecision(churn(), context({ reviews: [review(9, "bob", "COMMENTED", "2026-12-01")] }))
          .sameAs,
    ],
  ])("is the same for %s", (_, other) => {
    expect(other()).toBe(base());
  });

  it("does not depend on the order of the reads", () => {
    const a = { side: "head" as const, path: "models/churn/a", blobSha: "1".repeat(40) };
    const b = { side: "head" as const, path: "models/churn/b", blobSha: "2".repeat(40) };
    expect(evaluationDecision(churn(), context({ reads: [b, a] })).sameAs).toBe(
      evaluationDecision(churn(), context({ reads: [a, b] })).sameAs,
    );
  });

  it.each<[string, () => string | null]>([
    ["another head", () => evaluationDecision(churn(), context({ headSha: "e".repeat(40) })).sameAs],
    ["another base", () => evaluationDecision(churn(), context({ baseSha: "f".repeat(40) })).sameAs],
    ["another PR", () => evaluationDecision(churn(), context({ pull: 13 })).sameAs],
    ["another repository", () => evaluationDecision(churn(), context({ repository: "acme/other" })).sameAs],
    ["a merge group", () => evaluationDecision(churn(), context({ kind: "merge_group" })).sameAs],
    ["another conclusion", () => evaluationDecision(churn(), context({ conclusion: "failure" })).sameAs],
    ["another verdict", () => evaluationDecision({ ...churn(), verdict: "blocked" }, context()).sameAs],
    [
      "another policy",
      () =>
        evaluationDecision({ ...churn(), policy: { digest: "sha256:99", sources: [] } }, context()).sameAs,
    ],
    [
      "another gate reason",
      () => {
        const e = churn();
        const g = e.artifacts[0]?.gates[1];
        if (g) g.reasons = ["ROLLBACK.md has no Owner section"];
        return evaluationDecision(e, context()).sameAs;
      },
    ],
    [
      "other evidence content",
      () =>
        evaluationDecision(
          churn(),
          context({ reads: [{ side: "head", path: "models/churn/ROLLBACK.md", blobSha: "9".repeat(40) }] }),
        ).sameAs,
    ],
    [
      "an approval dismissed since",
      () =>
        evaluationDecision(churn(), context({ reviews: [review(5, "alice", "DISMISSED", "2026-12-01")] }))
          .sameAs,
    ],
    ["an override in force", () => evaluationDecision({ ...churn(), override }, context()).sameAs],
  ])("differs for %s", (_, other) => {
    expect(other()).not.toBe(base());
  });
});

describe("override records", () => {
  it("are the same for every evaluation that sees the same override in the same state", () => {
    const first = evaluationDecision(churn(), context());
    const later = evaluationDecision(
      { ...churn(), verdict: "blocked" },
      context({ headSha: "e".repeat(40) }),
    );
    const a = overrideDecision(first, override, "expired");
    const b = overrideDecision(later, override, "expired");
    expect(a.kind).toBe("override");
    expect(a.override).toMatchObject({ by: "olga", reason: "hotfix for the outage", state: "expired" });
    expect(b.sameAs).toBe(a.sameAs);
    expect(overrideDecision(first, override, "active").sameAs).not.toBe(a.sameAs);
    expect(
      overrideDecision(first, { ...override, at: "2026-12-05T09:30:00.000Z" }, "expired").sameAs,
    ).not.toBe(a.sameAs);
  });

  it("drop the latest override when the evaluation did not keep it in force", () => {
    expect(droppedOverride(churn(), undefined)).toBeUndefined();
    expect(droppedOverride({ ...churn(), override }, override)).toBeUndefined();
    expect(droppedOverride(churn(), override)).toBe(override);
    const newer = { ...override, at: "2026-12-06T00:00:00.000Z" };
    expect(droppedOverride({ ...churn(), override: newer }, override)).toBe(override);
  });
});

describe("noteReads", () => {
  it("notes every file read with its git blob SHA, and nothing for a missing file", async () => {
    const facts = memoryFacts({ head: { "models/a/ROLLBACK.md": "# Steps\n" }, base: {} });
    const noted = noteReads(facts);
    await noted.facts.readFile("head", "models/a/ROLLBACK.md");
    await noted.facts.readFile("base", "models/a/ROLLBACK.md");
    expect(noted.reads()).toEqual([
      {
        side: "head",
        path: "models/a/ROLLBACK.md",
        blobSha: gitBlobSha(new TextEncoder().encode("# Steps\n")),
      },
    ]);
  });
});
