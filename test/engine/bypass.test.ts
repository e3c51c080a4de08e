// Bypass reports as a pure decision: which pushes are bypasses, what they name, and the key that
// keeps a redelivered push from opening a second issue.
import { describe, expect, it } from "vitest";
import { bypassKey, detectBypass, type Push } from "../../src/engine/bypass.js";
import { pull, sha } from "./release-sample.js";

type EditablePush = Push & {
  commits: Push["commits"][number][];
  changes: Push["changes"][number][];
  pulls: Push["pulls"][number][];
};

/** A merge of #11 (ready) touching models/churn, pushed to main by the merge button. */
function mergePush(): EditablePush {
  return {
    repository: "acme/models",
    ref: "refs/heads/main",
    defaultBranch: "main",
    before: sha(1),
    after: sha(3),
    pusher: "web-flow",
    forced: false,
    commits: [
      { sha: sha(2), pulls: [11] },
      { sha: sha(3), pulls: [11] },
    ],
    changes: [
      { path: "models/churn/model.onnx", root: "models/churn", kind: "model", commits: [sha(2)] },
      {
        path: "models/churn/eval/results.json",
        root: "models/churn",
        kind: "model",
        commits: [sha(2), sha(3)],
      },
    ],
    pulls: [pull(11, "ready", 40)],
  };
}

type Case = [name: string, change: (push: EditablePush) => void, bypass: boolean, commits?: string[]];

const cases: Case[] = [
  ["a merge of a ready pull request is not a bypass", () => {}, false],
  [
    "a merge of an overridden pull request is not a bypass",
    (p) => {
      p.pulls = [pull(11, "overridden", 40)];
    },
    false,
  ],
  [
    "a direct push of a governed change",
    (p) => {
      p.pusher = "mallory";
      p.commits = [{ sha: sha(2), pulls: [] }];
      p.changes = [
        { path: "models/churn/model.onnx", root: "models/churn", kind: "model", commits: [sha(2)] },
      ];
      p.pulls = [];
    },
    true,
    [sha(2)],
  ],
  [
    "a merge of a pull request that was blocked (an admin merged past the check)",
    (p) => {
      p.pulls = [pull(11, "blocked", 40)];
    },
    true,
    [sha(2), sha(3)],
  ],
  [
    "a commit held by a ready pull request and by a blocked one is not a bypass",
    (p) => {
      p.commits = [{ sha: sha(2), pulls: [11, 13] }];
      p.changes = [
        { path: "models/churn/model.onnx", root: "models/churn", kind: "model", commits: [sha(2)] },
      ];
      p.pulls.push(pull(13, "blocked", 41));
    },
    false,
  ],
  [
    "a merge at a head other than the one decided, not re-evaluated",
    (p) => {
      p.pulls = [pull(11, "ready", 40, { mergedHead: sha(99) })];
    },
    true,
    [sha(2), sha(3)],
  ],
  [
    "a commit also held by an open pull request that did not merge it",
    (p) => {
      p.commits = [{ sha: sha(2), pulls: [12] }];
      p.changes = [
        { path: "models/churn/model.onnx", root: "models/churn", kind: "model", commits: [sha(2)] },
      ];
      p.pulls = [pull(12, "ready", 41, { merged: false, mergedHead: null })];
    },
    true,
    [sha(2)],
  ],
  [
    "a governed change no commit of the push is known for is reported",
    (p) => {
      p.changes.push({ path: "models/churn/weights.bin", root: "models/churn", kind: "model", commits: [] });
    },
    true,
    [],
  ],
  [
    "a direct push that changes only ungoverned files",
    (p) => {
      p.commits = [{ sha: sha(2), pulls: [] }];
      p.changes = [];
    },
    false,
  ],
  [
    "a push to another branch",
    (p) => {
      p.ref = "refs/heads/feature";
      p.pulls = [];
    },
    false,
  ],
  [
    "a tag push",
    (p) => {
      p.ref = "refs/tags/v1.0.0";
      p.pulls = [];
    },
    false,
  ],
  [
    "a deletion of the branch",
    (p) => {
      p.after = "0".repeat(40);
      p.pulls = [];
    },
    false,
  ],
  [
    "a push not read in full is reported, even when what was read is clean",
    (p) => {
      p.truncated = "the push holds 4,100 commits; 3,850 were not read";
    },
    true,
    [],
  ],
];

describe("detectBypass", () => {
  it.each(cases)("%s", (_name, change, isBypass, commits) => {
    const push = mergePush();
    change(push);
    const bypass = detectBypass(push);
    expect(bypass !== null).toBe(isBypass);
    if (bypass && commits) expect(bypass.commits).toEqual(commits);
  });

  it("names the artifacts, commits, pusher and the pull requests that did not count", () => {
    const push = mergePush();
    push.pusher = "admin-ann";
    push.pulls = [pull(11, "blocked", 40)];
    const bypass = detectBypass(push);
    expect(bypass).toMatchObject({
      pusher: "admin-ann",
      repository: "acme/models",
      artifacts: [
        {
          root: "models/churn",
          kind: "model",
          paths: ["models/churn/eval/results.json", "models/churn/model.onnx"],
          commits: [sha(2), sha(3)],
        },
      ],
      unread: null,
    });
    expect(bypass?.pulls.map((p) => [p.number, p.verdict, p.auditRecords, p.reasons])).toEqual([
      [11, "blocked", [40], ["was blocked when merged (audit record 40)"]],
    ]);
  });
});

describe("bypassKey", () => {
  it("is the same for a redelivered push and differs for any other push", () => {
    const push = mergePush();
    expect(bypassKey(push)).toBe(bypassKey({ ...mergePush() }));
    expect(bypassKey(push)).toMatch(/^bypass:[0-9a-f]{64}$/);
    expect(bypassKey({ ...push, before: sha(9) })).not.toBe(bypassKey(push));
    expect(bypassKey({ ...push, repository: "acme/other" })).not.toBe(bypassKey(push));
    expect(bypassKey({ ...push, ref: "refs/heads/mai", after: `n${push.after}` })).not.toBe(bypassKey(push));
  });
});
