// Ownership gate: the manifest names owners of the organisation and, with `codeowners: true`, the
// base branch's CODEOWNERS covers every changed file of the artifact.
import { describe, expect, it } from "vitest";
import { ownershipGate } from "../../src/gates/ownership.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { fakePeople } from "../engine/people.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const manifest = { owners: ["@alice"], data_categories: [], evidence: {} };
const owned = { manifest, changedPaths: ["models/a/model.py"] };
const gate = { ownership: {} };
const withCodeowners = { ownership: { codeowners: true } };

const cases: Array<[string, Partial<TouchedArtifact>, GateFacts, Shown | undefined]> = [
  ["no ownership gate in the policy: no row", owned, {}, undefined],
  [
    "a removed artifact is skipped",
    { ...owned, removed: true },
    { policy: { gates: gate } },
    { status: "skipped", reasons: ["the artifact was removed; evidence is not required"] },
  ],
  [
    "a tier the gate does not cover is skipped",
    { ...owned, tier: "low" },
    { policy: { gates: { ownership: { tiers: ["high"] } } } },
    { status: "skipped", reasons: ["not required for tier low (only high)"] },
  ],
  [
    "owners named, offline: passes, and says membership was not checked",
    owned,
    { policy: { gates: gate } },
    {
      status: "pass",
      reasons: [],
      notes: ["not checked offline: whether the owners belong to the organisation"],
    },
  ],
  [
    "no manifest",
    { changedPaths: ["models/a/model.py"] },
    { policy: { gates: gate } },
    { status: "fail", reasons: ["models/a/artifact.yml does not exist"] },
  ],
  [
    "a broken manifest: the owners cannot be read",
    { manifestErrors: [{ path: "models/a/artifact.yml", line: 1, message: "owners: expected an array" }] },
    { policy: { gates: gate } },
    {
      status: "fail",
      reasons: ["the owners cannot be read: models/a/artifact.yml fails the manifest check"],
    },
  ],
  [
    "a single file where an artifact directory would be",
    { rootEntry: "file", changedPaths: ["models/a"] },
    { policy: { gates: gate } },
    { status: "fail", reasons: ["models/a is a single file, so it cannot hold its artifact.yml"] },
  ],
  [
    "owners of the organisation, on GitHub",
    owned,
    { policy: { gates: gate }, people: fakePeople() },
    { status: "pass", reasons: [] },
  ],
  [
    "an owner outside the organisation",
    { ...owned, manifest: { ...manifest, owners: ["@alice", "@mallory"] } },
    { policy: { gates: gate }, people: fakePeople() },
    { status: "fail", reasons: ["owner @mallory is not an active member or a team of this organisation"] },
  ],
  [
    "codeowners: true and the base branch has no CODEOWNERS",
    owned,
    { policy: { gates: withCodeowners } },
    { status: "fail", reasons: ["the base branch has no CODEOWNERS file"] },
  ],
  [
    "codeowners: true and the base's CODEOWNERS covers the change",
    owned,
    { policy: { gates: withCodeowners }, base: { ".github/CODEOWNERS": "/models/ @acme/ml\n" } },
    { status: "pass", reasons: [] },
  ],
  [
    "a CODEOWNERS only the PR adds does not count: coverage is read at the base",
    owned,
    { policy: { gates: withCodeowners }, head: { ".github/CODEOWNERS": "* @anyone\n" } },
    { status: "fail", reasons: ["the base branch has no CODEOWNERS file"] },
  ],
  [
    "a changed file outside every CODEOWNERS rule",
    { ...owned, changedPaths: ["models/a/eval/results.json"] },
    { policy: { gates: withCodeowners }, base: { ".github/CODEOWNERS": "/prompts/ @acme/ml\n" } },
    { status: "fail", reasons: ["no CODEOWNERS owner for models/a/eval/results.json"] },
  ],
  [
    "more than five files without an owner are counted, not listed",
    { ...owned, changedPaths: ["1", "2", "3", "4", "5", "6", "7"].map((n) => `models/a/f${n}`) },
    { policy: { gates: withCodeowners }, base: { CODEOWNERS: "/prompts/ @acme/ml\n" } },
    {
      status: "fail",
      reasons: [
        "no CODEOWNERS owner for models/a/f1, models/a/f2, models/a/f3, models/a/f4, models/a/f5 and 2 more",
      ],
    },
  ],
  [
    "a CODEOWNERS line GitHub ignores is a note; the rest still covers",
    owned,
    {
      policy: { gates: withCodeowners },
      base: { ".github/CODEOWNERS": "/models/ @acme/ml\n!/models/x @acme/ml\n" },
    },
    { status: "pass", reasons: [] },
  ],
  [
    "a CODEOWNERS that is not UTF-8 text",
    owned,
    { policy: { gates: withCodeowners }, base: { ".github/CODEOWNERS": new Uint8Array([0xff, 0xfe]) } },
    { status: "fail", reasons: [".github/CODEOWNERS: the file is not valid UTF-8 text"] },
  ],
];

describe("ownership gate", () => {
  it.each(cases)("%s", async (_, artifact, facts, shown) => {
    const result = await ownershipGate.check(gateInput(artifactAt("models/a", artifact), facts));
    expectShown(result, shown);
  });

  it("names the CODEOWNERS line GitHub ignores, at its line", async () => {
    const result = await ownershipGate.check(
      gateInput(artifactAt("models/a", owned), {
        policy: { gates: withCodeowners },
        base: { ".github/CODEOWNERS": "/models/ @acme/ml\n!/models/x @acme/ml\n" },
      }),
    );
    expect(result?.notes.join("\n")).toMatch(/^\.github\/CODEOWNERS:2:\d+: .*; GitHub ignores this line$/m);
  });
});
