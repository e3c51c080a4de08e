// Rollback gate: a plan with every required section filled in and a recent enough drill.
import { describe, it } from "vitest";
import { rollbackGate } from "../../src/gates/rollback.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const PLAN = "models/a/ROLLBACK.md";
const SECTIONS: Record<string, string> = {
  Trigger: "Accuracy on the shadow set drops below 0.88.",
  Steps: "1. Point the serving alias back to the previous version.",
  "Previous version": "churn-v3",
  Owner: "@alice",
  "Last tested": "Drill on 2026-10-01, restored in 4 minutes.",
};
const plan = (changes: Record<string, string | null> = {}) =>
  `# Rollback plan\n${Object.entries({ ...SECTIONS, ...changes })
    .filter(([, text]) => text !== null)
    .map(([title, text]) => `\n## ${title}\n${text}\n`)
    .join("")}`;
const policy = { gates: { rollback: { max_drill_age_days: 90 } } };
const artifact: Partial<TouchedArtifact> = { changedPaths: ["models/a/model.py"] };
const head = (text: string | Uint8Array) => ({ policy, head: { [PLAN]: text } });

const cases: Array<[string, Partial<TouchedArtifact>, GateFacts, Shown | undefined]> = [
  ["no rollback gate in the policy: no row", artifact, { head: { [PLAN]: plan() } }, undefined],
  [
    "a removed artifact is skipped",
    { ...artifact, removed: true },
    { policy },
    { status: "skipped", reasons: ["the artifact was removed; evidence is not required"] },
  ],
  [
    "a tier the gate does not cover is skipped",
    { ...artifact, tier: "medium" },
    { policy: { gates: { rollback: { tiers: ["high"] } } } },
    { status: "skipped", reasons: ["not required for tier medium (only high)"] },
  ],
  ["no plan", artifact, { policy }, { status: "fail", reasons: [`${PLAN} does not exist`] }],
  ["a complete plan with a recent drill", artifact, head(plan()), { status: "pass", reasons: [] }],
  [
    "a required section missing",
    artifact,
    head(plan({ Steps: null })),
    { status: "fail", reasons: [`${PLAN} has no 'Steps' section`] },
  ],
  [
    "a required section left empty",
    artifact,
    head(plan({ Owner: "" })),
    { status: "fail", reasons: [`the 'Owner' section of ${PLAN} is empty`] },
  ],
  [
    "a section the policy adds",
    artifact,
    { policy: { gates: { rollback: { sections: ["Trigger", "Data restore"] } } }, head: { [PLAN]: plan() } },
    { status: "fail", reasons: [`${PLAN} has no 'Data restore' section`] },
  ],
  [
    "no drill date",
    artifact,
    head(plan({ "Last tested": "Not yet." })),
    { status: "fail", reasons: [`${PLAN} records no rollback drill date`] },
  ],
  [
    "a drill older than max_drill_age_days",
    artifact,
    head(plan({ "Last tested": "Drill on 2026-01-01." })),
    {
      status: "fail",
      reasons: ["the last rollback drill (2026-01-01) is 324 days old, more than the 90 allowed"],
    },
  ],
  [
    "a drill dated in the future",
    artifact,
    head(plan({ "Last tested": "Drill on 2027-01-01." })),
    { status: "fail", reasons: ["the drill date 2027-01-01 is in the future"] },
  ],
  [
    "a plan that is not UTF-8 text",
    artifact,
    head(new Uint8Array([0xff, 0xfe, 0x41])),
    { status: "fail", reasons: [`${PLAN}: the file is not valid UTF-8 text`] },
  ],
];

describe("rollback gate", () => {
  it.each(cases)("%s", async (_, overrides, facts, shown) => {
    const result = await rollbackGate.check(gateInput(artifactAt("models/a", overrides), facts));
    expectShown(result, shown);
  });
});
