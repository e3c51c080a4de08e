// The release verdict, table-tested in the policy-bot style: a ready release, then one change per
// case and what a release manager would read. No Probot, no HTTP, no store.
import { describe, expect, it } from "vitest";
import { decideRelease, isTimeBound, needsReevaluation } from "../../src/engine/release.js";
import { governedChanges } from "../../src/engine/release-changes.js";
import { artifactAtRelease, metricsAtRelease } from "../../src/engine/release-evidence.js";
import { loadPolicy } from "../../src/policy/load.js";
import {
  atRelease,
  type EditableRelease,
  gate,
  pull,
  readyRelease,
  record,
  sha,
  weightsChangedBy,
} from "./release-sample.js";

type Case = [
  name: string,
  change: (input: EditableRelease) => void,
  verdict: "ready" | "unready",
  reasons: RegExp[],
];

const cases: Case[] = [
  ["every change through a ready pull request", () => {}, "ready", []],
  [
    "the first release (no previous tag): the same rules, over everything reachable",
    (i) => {
      i.release.previousTag = null;
    },
    "ready",
    [],
  ],
  [
    "a pull request overridden when merged counts",
    (i) => {
      const overridden = record(12, sha(112), "overridden", 41);
      overridden.override = { by: "gina", reason: "Hotfix INC-42" };
      i.pulls = [pull(11, "ready", 40), pull(12, "overridden", 41, { records: [overridden] })];
    },
    "ready",
    [],
  ],
  [
    "a range over 3,000 commits read only in part is never a pass",
    (i) => {
      i.range.total = 3112;
      i.range.truncated = "the compare API lists at most 250 commits: 2,862 were not read";
    },
    "unready",
    [/^the range was not read in full: the compare API lists at most 250 commits: 2,862 were not read/],
  ],
  [
    "fewer commits read than the range holds, though no one said so, is a partial read",
    (i) => {
      i.range.total = 5;
    },
    "unready",
    [/^the range was not read in full: 2 of 5 commits in the range were not read/],
  ],
  [
    "a direct push: a governed change through no pull request",
    (i) => {
      weightsChangedBy(i, 4);
    },
    "unready",
    [/^models\/churn: changed by a commit through no pull request: 0000004/],
  ],
  [
    "a governed change no commit of the range is known for",
    (i) => {
      i.changes.push({ path: "models/churn/weights.bin", root: "models/churn", kind: "model", commits: [] });
    },
    "unready",
    [/^models\/churn: no commit of the range is known to have changed models\/churn\/weights\.bin/],
  ],
  [
    "a commit held only by a pull request that never merged came through no pull request",
    (i) => {
      weightsChangedBy(i, 4, [13]);
      i.pulls.push(pull(13, "ready", 42, { merged: false, mergedHead: null }));
    },
    "unready",
    [
      /models\/churn: changed by a commit through no pull request: .* \(#13 hold them but did not merge them\)/,
    ],
  ],
  [
    "a pull request that was blocked when merged",
    (i) => {
      i.pulls[1] = pull(12, "blocked", 41);
    },
    "unready",
    [/^prompts\/support: changed through #12: was blocked when merged \(audit record 41\)/],
  ],
  [
    "a commit carried by two merged pull requests needs both to have been ready",
    (i) => {
      i.range.commits[0] = { sha: sha(1), pulls: [11, 13] };
      i.pulls.push(pull(13, "blocked", 42));
    },
    "unready",
    [/^models\/churn: changed through #13: was blocked when merged \(audit record 42\)/],
  ],
  [
    "a pull request still awaiting approval when merged",
    (i) => {
      i.pulls[1] = pull(12, "awaiting_approval", 41);
    },
    "unready",
    [/#12: was awaiting approval when merged/],
  ],
  [
    "merged at a different head than its recorded decision, not re-evaluated",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, { mergedHead: sha(999) });
    },
    "unready",
    [
      /#12: it merged at 00003e7, but its decisions were recorded on 0000070, which judged other content, and it was not re-evaluated/,
    ],
  ],
  [
    "merged at a different head, re-evaluated there: blocked",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, {
        mergedHead: sha(999),
        reevaluated: { headSha: sha(999), verdict: "blocked", approvals: [] },
      });
    },
    "unready",
    [/#12: it merged at 00003e7, .*; re-evaluated at 00003e7, it is blocked/],
  ],
  [
    "a pull request from before the app was installed, re-evaluated ready at its merged head",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, {
        records: [],
        reevaluated: {
          headSha: sha(112),
          verdict: "ready",
          approvals: [{ rule: "Artifact owner", login: "omar" }],
        },
      });
    },
    "ready",
    [],
  ],
  [
    "a pull request from before the app was installed, never re-evaluated",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, { records: [] });
    },
    "unready",
    [
      /#12: no decision was recorded for it \(merged before the app was installed.*not re-evaluated at its merged head/,
    ],
  ],
  [
    "a re-evaluation made on another head than the merged one does not count",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, {
        records: [],
        reevaluated: { headSha: sha(5), verdict: "ready", approvals: [] },
      });
    },
    "unready",
    [/#12: no decision was recorded/],
  ],
  [
    "a re-evaluation that failed fails the release",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, {
        records: [],
        reevaluated: {
          headSha: sha(112),
          verdict: "ready",
          approvals: [],
          error: "GitHub no longer has the commit",
        },
      });
    },
    "unready",
    [/re-evaluating it at 0000070 failed: GitHub no longer has the commit/],
  ],
  [
    "a not_governed decision says nothing of an artifact the release finds governed",
    (i) => {
      i.pulls[1] = pull(12, "not_governed", 41);
    },
    "unready",
    [/#12: its decision on the merged head said it was not governed, and it was not re-evaluated/],
  ],
  [
    "the latest decision on the merged head counts, not an earlier ready one",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, {
        records: [record(12, sha(112), "ready", 30), record(12, sha(112), "blocked", 41)],
      });
    },
    "unready",
    [/#12: was blocked when merged \(audit record 41\)/],
  ],
  [
    "a later decision on another head does not displace the one on the merged head",
    (i) => {
      i.pulls[1] = pull(12, "ready", 41, {
        records: [record(12, sha(112), "ready", 30), record(12, sha(7), "blocked", 41)],
      });
    },
    "ready",
    [],
  ],
  [
    "a pull request GitHub names for a commit but the edge did not read",
    (i) => {
      i.pulls = [i.pulls[0] as never];
    },
    "unready",
    [/#12: GitHub names it for a commit of the range, but it was not read/],
  ],
  [
    "a privacy review that expired after the merge",
    (i) => {
      i.atRelease[0] = atRelease("models/churn", [
        gate("privacy", "fail", ["the privacy review expired on 2026-11-30"]),
        gate("rollback", "pass"),
      ]);
    },
    "unready",
    [/^models\/churn: privacy at the release commit: the privacy review expired on 2026-11-30/],
  ],
  [
    "a rollback drill grown too old since the merge",
    (i) => {
      i.atRelease[1] = atRelease("prompts/support", [
        gate("privacy", "skipped"),
        gate("rollback", "fail", ["the last drill (2026-07-01) is older than 90 days"]),
      ]);
    },
    "unready",
    [/^prompts\/support: rollback at the release commit: the last drill/],
  ],
  [
    "a document gate past its age",
    (i) => {
      i.atRelease[0] = atRelease("models/churn", [
        gate("monitoring", "fail", ["MONITORING.md was last reviewed 200 days ago"]),
      ]);
    },
    "unready",
    [/monitoring at the release commit: MONITORING.md was last reviewed/],
  ],
  [
    "a gate that is not time-bound is not judged again at the release",
    (i) => {
      i.atRelease[0] = atRelease("models/churn", [
        gate("evaluation", "fail", ["content changed without results"]),
        gate("privacy", "pass"),
      ]);
    },
    "ready",
    [],
  ],
  [
    "a privacy sign-off pending at the release commit was judged at the pull request",
    (i) => {
      i.atRelease[0] = atRelease("models/churn", [gate("privacy", "pending", ["waiting on @acme/privacy"])]);
    },
    "ready",
    [],
  ],
  [
    "a metric below its threshold at the release commit",
    (i) => {
      i.atRelease[0] = atRelease("models/churn", [], {
        metrics: [{ metric: "accuracy", value: 0.87, min: 0.9 }],
      });
    },
    "unready",
    [/^models\/churn: accuracy 0.87 is below the minimum 0.9 at the release commit/],
  ],
  [
    "a metric the results no longer report",
    (i) => {
      i.atRelease[0] = atRelease("models/churn", [], {
        metrics: [{ metric: "accuracy", value: null, min: 0.9 }],
      });
    },
    "unready",
    [/do not report 'accuracy'/],
  ],
  [
    "an artifact whose evidence was not re-checked at the release commit fails closed",
    (i) => {
      i.atRelease = [i.atRelease[0] as never];
    },
    "unready",
    [/^prompts\/support: its evidence was not re-checked at the release commit/],
  ],
  [
    "a policy edit through a ready pull request needs no evidence re-checked at the release",
    (i) => {
      i.changes.push({
        path: ".github/readiness.yml",
        root: ".github/readiness.yml",
        kind: "policy",
        commits: [sha(1)],
      });
    },
    "ready",
    [],
  ],
  [
    "a policy edit pushed directly",
    (i) => {
      i.changes.push({
        path: ".github/readiness.yml",
        root: ".github/readiness.yml",
        kind: "policy",
        commits: [sha(3)],
      });
    },
    "unready",
    [/^\.github\/readiness\.yml: changed by a commit through no pull request: 0000003/],
  ],
  [
    "changes from before the repository was governed are history, not judged",
    (i) => {
      i.release.previousTag = null;
      i.range.commits.unshift({ sha: sha(0), pulls: [], beforeGoverned: true });
      i.range.total = 4;
      i.changes.push({
        path: "models/legacy/model.onnx",
        root: "models/legacy",
        kind: "model",
        commits: [sha(0)],
      });
    },
    "ready",
    [],
  ],
];

describe("decideRelease", () => {
  it.each(cases)("%s", (_name, change, verdict, reasons) => {
    const input = readyRelease();
    change(input);
    const decision = decideRelease(input);
    expect(decision.verdict).toBe(verdict);
    if (verdict === "ready") expect(decision.reasons).toEqual([]);
    for (const reason of reasons)
      expect(
        decision.reasons.some((r) => reason.test(r)),
        decision.reasons.join("\n"),
      ).toBe(true);
  });

  it("lists every pull request with its verdict, approvers and the audit records it stands on", () => {
    const decision = decideRelease(readyRelease());
    expect(decision.pulls.map((p) => [p.number, p.verdict, p.basis, p.auditRecords, p.artifacts])).toEqual([
      [11, "ready", "recorded", [40], ["models/churn"]],
      [12, "ready", "recorded", [41], ["prompts/support"]],
    ]);
    expect(decision.pulls[0]?.approvers).toEqual([{ rule: "Compliance sign-off", login: "carol" }]);
    expect(decision.auditRecords).toEqual([40, 41]);
    expect(decision.range).toEqual({ read: 3, total: 3, complete: true, unread: null });
    expect(decision.artifacts.map((a) => [a.root, a.verdict, a.pulls, a.direct])).toEqual([
      ["models/churn", "ready", [11], []],
      ["prompts/support", "ready", [12], []],
    ]);
  });

  it("says it is the first release", () => {
    const input = readyRelease();
    input.release.previousTag = null;
    expect(decideRelease(input).firstRelease).toBe(true);
    expect(decideRelease(readyRelease()).firstRelease).toBe(false);
  });

  it("lists history apart and judges only the governed commits of a path changed on both sides", () => {
    const input = readyRelease();
    input.range.commits.unshift({ sha: sha(0), pulls: [], beforeGoverned: true });
    input.range.total = 4;
    input.changes.push({
      path: "models/legacy/model.onnx",
      root: "models/legacy",
      kind: "model",
      commits: [sha(0)],
    });
    input.changes[0]?.commits.unshift(sha(0));
    const decision = decideRelease(input);
    expect(decision.history).toEqual({ commits: [sha(0)], paths: ["models/legacy/model.onnx"] });
    expect(decision.artifacts.map((a) => a.root)).toEqual(["models/churn", "prompts/support"]);
    expect(decision.artifacts[0]?.commits).toEqual([sha(1)]);
  });

  it("names the direct commits and the pull request that re-evaluation stood for", () => {
    const input = readyRelease();
    weightsChangedBy(input, 4);
    input.pulls[1] = pull(12, "ready", 41, {
      records: [],
      reevaluated: {
        headSha: sha(112),
        verdict: "ready",
        approvals: [{ rule: "Artifact owner", login: "omar" }],
      },
    });
    const decision = decideRelease(input);
    expect(decision.directCommits).toEqual([sha(4)]);
    expect(decision.pulls[1]).toMatchObject({
      basis: "re-evaluated",
      auditRecords: [],
      approvers: [{ login: "omar" }],
    });
    expect(decision.auditRecords).toEqual([40]);
  });
});

describe("needsReevaluation", () => {
  it("asks for a re-evaluation only where no recorded decision on the merged head counts", () => {
    expect(needsReevaluation(pull(1, "ready", 1))).toBe(false);
    expect(needsReevaluation(pull(1, "blocked", 1))).toBe(false);
    expect(needsReevaluation(pull(1, "ready", 1, { records: [] }))).toBe(true);
    expect(needsReevaluation(pull(1, "ready", 1, { mergedHead: sha(5) }))).toBe(true);
    expect(needsReevaluation(pull(1, "not_governed", 1))).toBe(true);
    expect(needsReevaluation(pull(1, "ready", 1, { merged: false, mergedHead: null, records: [] }))).toBe(
      false,
    );
  });
});

describe("isTimeBound", () => {
  it.each([
    ["privacy", true],
    ["rollback", true],
    ["monitoring", true],
    ["evaluation", false],
    ["ownership", false],
    ["manifest", false],
  ])("%s: %s", (name, expected) => expect(isTimeBound(name)).toBe(expected));
});

describe("governedChanges", () => {
  const parsed = loadPolicy(
    ".github/readiness.yml",
    [
      "version: 1",
      "artifacts:",
      '  model: { roots: ["models/*"], tier: high }',
      '  prompt: { roots: ["prompts/*"], tier: medium, ignore: ["**/*.md"] }',
      "gates:",
      "  rollback: { file: ROLLBACK.md, sections: [Steps] }",
    ].join("\n"),
    () => undefined,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const policy = parsed.policy;

  it("resolves each path to its artifact, as a pull request's touched artifacts are", () => {
    const changes = governedChanges(policy, [
      { path: "models/churn/model.onnx", status: "modified", commits: [sha(1)] },
      { path: "docs/intro.md", status: "modified", commits: [sha(1)] },
      { path: "prompts/support/NOTES.md", status: "modified", commits: [sha(2)] },
      { path: "prompts/support/ROLLBACK.md", status: "modified", commits: [sha(2)] },
      { path: ".github/readiness.yml", status: "modified", commits: [sha(3)] },
      {
        path: "models/fraud/model.onnx",
        previousPath: "models/old/model.onnx",
        status: "renamed",
        commits: [sha(3)],
      },
    ]);
    expect(changes.map((c) => [c.path, c.root, c.kind, c.commits])).toEqual([
      ["models/churn/model.onnx", "models/churn", "model", [sha(1)]],
      ["prompts/support/ROLLBACK.md", "prompts/support", "prompt", [sha(2)]],
      [".github/readiness.yml", ".github/readiness.yml", "policy", [sha(3)]],
      ["models/fraud/model.onnx", "models/fraud", "model", [sha(3)]],
      ["models/old/model.onnx", "models/old", "model", [sha(3)]],
    ]);
  });

  it("counts every file of an ignored results folder as evidence", () => {
    const folder = loadPolicy(
      ".github/readiness.yml",
      [
        "version: 1",
        "artifacts:",
        '  prompt: { roots: ["prompts/*"], tier: medium, ignore: ["**/*.yaml"] }',
        "gates:",
        "  evaluation: { file: .eval_results/ }",
      ].join("\n"),
      () => undefined,
    );
    if (!folder.ok) throw new Error(JSON.stringify(folder.errors));
    const changes = governedChanges(folder.policy, [
      { path: "prompts/support/.eval_results/gpqa.yaml", status: "modified", commits: [sha(4)] },
      { path: "prompts/support/config.yaml", status: "modified", commits: [sha(4)] },
    ]);
    expect(changes.map((c) => c.path)).toEqual(["prompts/support/.eval_results/gpqa.yaml"]);
  });
});

describe("metricsAtRelease and artifactAtRelease", () => {
  const parsed = loadPolicy(
    ".github/readiness.yml",
    [
      "version: 1",
      "artifacts:",
      '  model: { roots: ["models/*"], tier: high }',
      '  prompt: { roots: ["prompts/*"], tier: low }',
      "gates:",
      "  evaluation:",
      "    tiers: [medium, high]",
      "    file: eval/results.json",
      "    thresholds:",
      "      - { metric: accuracy, min: 0.85, kinds: [model] }",
      "      - { metric: accuracy, min: 0.9 }",
      "      - { metric: latency_ms, max: 200 }",
    ].join("\n"),
    () => undefined,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const results = { format: "native" as const, metrics: { accuracy: 0.91 }, lines: {}, ambiguous: {} };

  it("pairs each threshold that applies (the tightest per metric) with the value at the release commit", () => {
    expect(metricsAtRelease(parsed.policy, { kind: "model", tier: "high" }, results)).toEqual([
      { metric: "accuracy", value: 0.91, min: 0.9 },
      { metric: "latency_ms", value: null, max: 200 },
    ]);
  });

  it("gives no metrics where the evaluation gate does not apply, and null values without results", () => {
    expect(metricsAtRelease(parsed.policy, { kind: "prompt", tier: "low" }, results)).toEqual([]);
    expect(metricsAtRelease(parsed.policy, { kind: "model", tier: "high" }, undefined)[0]?.value).toBeNull();
  });

  it("keeps a removed artifact's gates and drops its metrics", () => {
    const removed = artifactAtRelease(
      {
        root: "models/old",
        kind: "model",
        tier: "high",
        removed: true,
        owners: [],
        gates: [gate("privacy", "skipped")],
      },
      [{ metric: "accuracy", value: null, min: 0.9 }],
      {},
    );
    expect(removed).toMatchObject({
      removed: true,
      metrics: [],
      gates: [{ gate: "privacy", status: "skipped" }],
    });
  });
});
