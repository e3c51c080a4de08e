// Validation gate of the policy file: a PR that edits `.github/readiness.yml` must leave it valid
// and no looser than the org policy; the check lists what the edit adds and removes.
import { describe, expect, it } from "vitest";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { validationGate } from "../../src/gates/validation.js";
import { POLICY_KIND } from "../../src/policy/pseudo-kinds.js";
import { POLICY_PATH } from "../../src/policy/schema.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const BASE = `version: 1
policy_admins: ["@acme/ai-governance"]
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  rollback: {}
`;
/** The policy the engine read at the base, as the gate receives it. */
const basePolicy = {
  policy_admins: ["@acme/ai-governance"],
  artifacts: { model: { roots: ["models/*"], tier: "high" as const } },
  gates: { rollback: {} },
};
const ORG = `version: 1
gates:
  rollback: { max_drill_age_days: 90 }
`;
const edit: Partial<TouchedArtifact> = { kind: POLICY_KIND, rootEntry: "file", changedPaths: [POLICY_PATH] };
const APPROVER_NOTE =
  "the policy names no policy_admins, so this edit needs the approval of a repository admin who is neither its author nor a commit author";

const cases: Array<[string, Partial<TouchedArtifact>, GateFacts, Shown]> = [
  [
    "an edit that changes no requirement",
    edit,
    { policy: basePolicy, head: { [POLICY_PATH]: `${BASE}# tidy\n` } },
    { status: "pass", reasons: [], notes: ["the edit does not change any requirement"] },
  ],
  [
    "an edit that adds a gate says what it adds",
    edit,
    {
      policy: basePolicy,
      head: { [POLICY_PATH]: `${BASE}  privacy: { reviewers: ["@acme/privacy"] }\n` },
    },
    { status: "pass", reasons: [], notes: ["adds: privacy: review in privacy-review.yml by @acme/privacy"] },
  ],
  [
    "an edit that drops a gate says what it removes",
    edit,
    {
      policy: basePolicy,
      head: { [POLICY_PATH]: BASE.replace("  rollback: {}\n", "  {}\n").replace("gates:\n  {}\n", "") },
    },
    { status: "pass", reasons: [], notes: ["removes: rollback: plan in ROLLBACK.md"] },
  ],
  [
    "an edit that leaves the policy invalid fails at the line",
    edit,
    { policy: basePolicy, head: { [POLICY_PATH]: BASE.replace("tier: high", "tire: high") } },
    {
      status: "fail",
      reasons: [expect.stringMatching(/^\.github\/readiness\.yml: .*tire.*did you mean 'tier'/)],
    },
  ],
  [
    "an edit that loosens the org policy fails",
    edit,
    {
      policy: basePolicy,
      org: ORG,
      head: { [POLICY_PATH]: `${BASE.replace("rollback: {}", "rollback: { max_drill_age_days: 365 }")}` },
    },
    { status: "fail", reasons: [expect.stringMatching(/^\.github\/readiness\.yml: .*max_drill_age_days/)] },
  ],
  [
    "a policy file that is not UTF-8 text",
    edit,
    { policy: basePolicy, head: { [POLICY_PATH]: new Uint8Array([0xff, 0xfe]) } },
    { status: "fail", reasons: [`${POLICY_PATH}: the file is not valid UTF-8 text`] },
  ],
  [
    "removing the policy file: only the org policy will apply",
    { ...edit, removed: true },
    { policy: basePolicy },
    {
      status: "pass",
      reasons: [],
      notes: [
        "the policy file is removed: only the org policy will apply",
        "removes: rollback: plan in ROLLBACK.md",
      ],
    },
  ],
  [
    "without policy_admins the edit needs a repository admin, and says so",
    edit,
    {
      policy: { ...basePolicy, policy_admins: [] },
      head: { [POLICY_PATH]: BASE.replace(/policy_admins.*\n/, "") },
    },
    { status: "pass", reasons: [], notes: [APPROVER_NOTE] },
  ],
];

describe("validation gate (policy edits)", () => {
  it.each(cases)("%s", async (_, overrides, facts, shown) => {
    const result = await validationGate.check(gateInput(artifactAt(POLICY_PATH, overrides), facts));
    expectShown(result, shown);
  });

  it("says nothing of a repository admin when the policy names policy_admins", async () => {
    const result = await validationGate.check(
      gateInput(artifactAt(POLICY_PATH, edit), { policy: basePolicy, head: { [POLICY_PATH]: BASE } }),
    );
    expect(result?.notes).not.toContain(APPROVER_NOTE);
  });
});
