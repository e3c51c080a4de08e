// Privacy gate: a current, favourable review by a member of the privacy reviewers that covers the
// artifact's data categories, and that the PR author could not have written for themselves.
import { describe, it } from "vitest";
import { privacyGate } from "../../src/gates/privacy.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { fakePeople } from "../engine/people.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const RECORD = "models/a/privacy-review.yml";
const record = (fields: Record<string, string> = {}) =>
  Object.entries({
    reviewer: "petra",
    decision: "approved",
    reviewed_at: "2026-06-01",
    data_categories: "[contact, usage]",
    lawful_basis: "legitimate interest",
    ...fields,
  })
    .map(([key, value]) => `${key}: ${value}\n`)
    .join("");
const policy = { gates: { privacy: { reviewers: ["@acme/privacy"], max_age_days: 365 } } };
const manifest = { owners: ["@alice"], data_categories: ["usage"], evidence: {} };
const artifact: Partial<TouchedArtifact> = { manifest, changedPaths: ["models/a/model.py"] };
const teams = { "@acme/privacy": ["petra"] };
/** The record as it is on the base branch: the PR does not change it. */
const unchanged = (text = record()) => ({ base: { [RECORD]: text }, head: { [RECORD]: text } });

const cases: Array<[string, Partial<TouchedArtifact>, GateFacts, Shown | undefined]> = [
  ["no privacy gate in the policy: no row", artifact, unchanged(), undefined],
  [
    "a removed artifact is skipped",
    { ...artifact, removed: true },
    { policy },
    { status: "skipped", reasons: ["the artifact was removed; evidence is not required"] },
  ],
  ["no privacy review", artifact, { policy }, { status: "fail", reasons: [`${RECORD} does not exist`] }],
  [
    "an empty record",
    artifact,
    { policy, head: { [RECORD]: "" } },
    { status: "fail", reasons: [`${RECORD} is empty`] },
  ],
  [
    "a current review, offline: passes, and says what was not checked",
    artifact,
    { policy, ...unchanged() },
    {
      status: "pass",
      reasons: [],
      notes: ["not checked offline: whether @petra is a member of @acme/privacy"],
    },
  ],
  [
    "a rejected review",
    artifact,
    { policy, ...unchanged(record({ decision: "rejected" })) },
    { status: "fail", reasons: ["the privacy review rejected this artifact"] },
  ],
  [
    "an expired review",
    artifact,
    { policy, ...unchanged(record({ expires_at: "2026-11-01" })) },
    { status: "fail", reasons: ["the privacy review expired on 2026-11-01"] },
  ],
  [
    "a review dated in the future",
    artifact,
    { policy, ...unchanged(record({ reviewed_at: "2027-01-01" })) },
    { status: "fail", reasons: ["the review date 2027-01-01 is in the future"] },
  ],
  [
    "a review older than max_age_days",
    artifact,
    { policy, ...unchanged(record({ reviewed_at: "2025-06-01" })) },
    {
      status: "fail",
      reasons: ["the privacy review of 2025-06-01 is 538 days old, more than the 365 allowed"],
    },
  ],
  [
    "a data category the review does not cover",
    { ...artifact, manifest: { ...manifest, data_categories: ["usage", "health"] } },
    { policy, ...unchanged() },
    { status: "fail", reasons: ["the data category 'health' is not covered by the privacy review"] },
  ],
  [
    "an unchanged review by a member of the reviewers",
    artifact,
    { policy, ...unchanged(), people: fakePeople({ teams }) },
    { status: "pass", reasons: [] },
  ],
  [
    "a review by someone outside the reviewers does not count",
    artifact,
    { policy, ...unchanged(record({ reviewer: "mallory" })), people: fakePeople({ teams }) },
    {
      status: "fail",
      reasons: ["@mallory is not an active member of @acme/privacy, so the review does not count"],
    },
  ],
  [
    "a record the PR writes waits for its reviewer's approval of the PR",
    { ...artifact, changedPaths: [RECORD] },
    { policy, head: { [RECORD]: record() }, people: fakePeople({ teams }) },
    {
      status: "pending",
      reasons: [
        `${RECORD} changed in this pull request, so @petra must approve the pull request for it to count`,
      ],
    },
  ],
  [
    "a record the PR writes counts once its reviewer approved the PR",
    { ...artifact, changedPaths: [RECORD] },
    {
      policy,
      head: { [RECORD]: record() },
      people: fakePeople({ teams, reviews: [{ user: "petra", state: "APPROVED" }] }),
    },
    { status: "pass", reasons: [] },
  ],
  [
    "the reviewer's approval does not count when the reviewer authored the PR",
    { ...artifact, changedPaths: [RECORD] },
    {
      policy,
      head: { [RECORD]: record() },
      people: fakePeople({ teams, author: "petra", reviews: [{ user: "petra", state: "APPROVED" }] }),
    },
    {
      status: "pending",
      reasons: [
        `${RECORD} changed in this pull request, so @petra must approve the pull request for it to count`,
      ],
    },
  ],
];

describe("privacy gate", () => {
  it.each(cases)("%s", async (_, overrides, facts, shown) => {
    const result = await privacyGate.check(gateInput(artifactAt("models/a", overrides), facts));
    expectShown(result, shown);
  });
});
