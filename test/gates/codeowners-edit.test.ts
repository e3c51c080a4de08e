// Validation gate of a CODEOWNERS edit (`codeowners: true`): the new file must be one GitHub reads
// in full, and the check says which CODEOWNERS will be in force after the merge.
import { describe, expect, it } from "vitest";
import { codeownersEditGate } from "../../src/gates/codeowners-edit.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { CODEOWNERS_KIND } from "../../src/policy/pseudo-kinds.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const policy = { policy_admins: ["@acme/ai-governance"], gates: { ownership: { codeowners: true } } };
const edit = (root: string): [string, Partial<TouchedArtifact>] => [
  root,
  { kind: CODEOWNERS_KIND, rootEntry: "file", changedPaths: [root] },
];
const AFTER_MERGE = "coverage is read from the base branch, so this edit decides coverage once it is merged";

const cases: Array<[string, [string, Partial<TouchedArtifact>], GateFacts, Shown]> = [
  [
    "a CODEOWNERS GitHub reads in full",
    edit(".github/CODEOWNERS"),
    { policy, head: { ".github/CODEOWNERS": "/models/ @acme/ml\n" } },
    { status: "pass", reasons: [], notes: [AFTER_MERGE] },
  ],
  [
    "a line GitHub would skip fails, at its line",
    edit(".github/CODEOWNERS"),
    { policy, head: { ".github/CODEOWNERS": "/models/ @acme/ml\n!/models/x @acme/ml\n" } },
    { status: "fail", reasons: [expect.stringMatching(/^\.github\/CODEOWNERS: /)] },
  ],
  [
    "a CODEOWNERS that is not UTF-8 text",
    edit(".github/CODEOWNERS"),
    { policy, head: { ".github/CODEOWNERS": new Uint8Array([0xff, 0xfe]) } },
    { status: "fail", reasons: [".github/CODEOWNERS: the file is not valid UTF-8 text"] },
  ],
  [
    "a CODEOWNERS that an earlier location shadows has no effect, and says so",
    edit("docs/CODEOWNERS"),
    { policy, head: { ".github/CODEOWNERS": "/models/ @acme/ml\n", "docs/CODEOWNERS": "* @anyone\n" } },
    {
      status: "pass",
      reasons: [],
      notes: ["GitHub uses .github/CODEOWNERS, which comes first, so docs/CODEOWNERS has no effect"],
    },
  ],
  [
    "removed, with another location left: GitHub uses that one",
    [".github/CODEOWNERS", { ...edit(".github/CODEOWNERS")[1], removed: true }],
    { policy, head: { CODEOWNERS: "/models/ @acme/ml\n" } },
    { status: "pass", reasons: [], notes: [".github/CODEOWNERS is removed: GitHub will use CODEOWNERS"] },
  ],
  [
    "removed, with none left: every governed change will fail coverage",
    [".github/CODEOWNERS", { ...edit(".github/CODEOWNERS")[1], removed: true }],
    { policy },
    {
      status: "pass",
      reasons: [],
      notes: [
        ".github/CODEOWNERS is removed and no CODEOWNERS remains, so every governed change will fail its coverage check",
      ],
    },
  ],
];

describe("CODEOWNERS edit gate", () => {
  it.each(cases)("%s", async (_, [root, overrides], facts, shown) => {
    const result = await codeownersEditGate.check(gateInput(artifactAt(root, overrides), facts));
    expectShown(result, shown);
  });
});
