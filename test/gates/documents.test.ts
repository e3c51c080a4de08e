// Document gates: the policy's own evidence, each a gate named as the policy names it, judged from
// Markdown sections or YAML/JSON keys, its date, and a reviewer's sign-off under the privacy
// review's trust rule.
import { describe, expect, it } from "vitest";
import { documentGates } from "../../src/gates/documents.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { policySchema } from "../../src/policy/schema.js";
import { fakePeople } from "../engine/people.js";
import { artifactAt, expectShown, type GateFacts, gateInput, type Shown } from "./input.js";

const PLAN = "models/a/MONITORING.md";
const YAML_PLAN = "models/a/monitoring.yml";
const monitoring = {
  tiers: ["high" as const],
  file: "MONITORING.md",
  sections: ["Metrics", "Drift detection", "Owner", "Last reviewed"],
  dated_by: "last_reviewed",
  max_age_days: 180,
};
const policy = (gate: Record<string, unknown> = {}) => ({
  gates: { documents: { monitoring: { ...monitoring, ...gate } } },
});
const yamlPolicy = policy({ file: "monitoring.yml", keys: ["metrics", "drift", "owner", "last_reviewed"] });

const markdown = (parts: Record<string, string> = {}) =>
  Object.entries({
    Metrics: "Latency p95 and the share of churn predictions above 0.8.",
    "Drift detection": "PSI on the top 20 features, weekly; alert above 0.2.",
    Owner: "@acme/ml-platform",
    "Last reviewed": "2026-10-01, with the on-call rotation.",
    ...parts,
  })
    .map(([title, text]) => `## ${title}\n\n${text}\n\n`)
    .join("");
const yaml = (fields: Record<string, string> = {}) =>
  Object.entries({
    metrics: "[latency_p95, positive_rate]",
    drift: "PSI weekly, alert above 0.2",
    owner: "'@acme/ml-platform'",
    last_reviewed: "2026-10-01",
    ...fields,
  })
    .map(([key, value]) => `${key}: ${value}\n`)
    .join("");

const signed = (reviewer: string) => `${markdown()}## Reviewer\n\n@${reviewer}\n`;
const teams = { "@acme/sre": ["sam"] };
const withReviewers = policy({ reviewers: ["@acme/sre"] });
const unchanged = (text: string) => ({ base: { [PLAN]: text }, head: { [PLAN]: text } });
const changed: Partial<TouchedArtifact> = { changedPaths: [PLAN] };

const cases: Array<[string, Partial<TouchedArtifact>, GateFacts, Shown | undefined]> = [
  [
    "a Markdown plan with every section, recently reviewed, passes",
    {},
    { policy: policy(), head: { [PLAN]: markdown() } },
    { status: "pass", reasons: [] },
  ],
  [
    "a tier the gate does not cover is skipped, by the gate's name",
    { tier: "medium" },
    { policy: policy(), head: { [PLAN]: markdown() } },
    { status: "skipped", reasons: ["not required for tier medium (only high)"] },
  ],
  ["no document", {}, { policy: policy() }, { status: "fail", reasons: [`${PLAN} does not exist`] }],
  [
    "a section missing",
    {},
    { policy: policy(), head: { [PLAN]: markdown().replace("## Owner", "## Contact") } },
    { status: "fail", reasons: [`${PLAN} has no 'Owner' section`] },
  ],
  [
    "a section present but empty",
    {},
    { policy: policy(), head: { [PLAN]: markdown({ "Drift detection": "" }) } },
    { status: "fail", reasons: [`the 'Drift detection' section of ${PLAN} is empty`] },
  ],
  [
    "a date older than max_age_days",
    {},
    { policy: policy(), head: { [PLAN]: markdown({ "Last reviewed": "2026-03-01" }) } },
    { status: "fail", reasons: [`${PLAN} is dated 2026-03-01, 265 days ago, more than the 180 allowed`] },
  ],
  [
    "a date in the future",
    {},
    { policy: policy(), head: { [PLAN]: markdown({ "Last reviewed": "2027-01-05" }) } },
    { status: "fail", reasons: [`the date 2027-01-05 in ${PLAN} is in the future`] },
  ],
  [
    "no date under dated_by",
    {},
    { policy: policy(), head: { [PLAN]: markdown({ "Last reviewed": "after the last incident" }) } },
    { status: "fail", reasons: [`${PLAN} records no date under 'last_reviewed'`] },
  ],
  [
    "a date that does not exist",
    {},
    { policy: policy(), head: { [PLAN]: markdown({ "Last reviewed": "2026-02-30" }) } },
    { status: "fail", reasons: [`${PLAN}: 2026-02-30 is not a real date: 2026-02 has no day 30`] },
  ],
  [
    "a YAML document with every key passes",
    {},
    { policy: yamlPolicy, head: { [YAML_PLAN]: yaml() } },
    { status: "pass", reasons: [] },
  ],
  [
    "a YAML key missing, another empty",
    {},
    { policy: yamlPolicy, head: { [YAML_PLAN]: yaml({ drift: "''" }).replace(/^owner:.*\n/m, "") } },
    {
      status: "fail",
      reasons: [`the 'drift' key of ${YAML_PLAN} is empty`, `${YAML_PLAN} has no 'owner' key`],
    },
  ],
  [
    "a YAML list of blanks is empty",
    {},
    { policy: yamlPolicy, head: { [YAML_PLAN]: yaml({ metrics: "['', ' ']" }) } },
    { status: "fail", reasons: [`the 'metrics' key of ${YAML_PLAN} is empty`] },
  ],
  [
    "a YAML date in the future",
    {},
    { policy: yamlPolicy, head: { [YAML_PLAN]: yaml({ last_reviewed: "2027-01-05" }) } },
    { status: "fail", reasons: [`the date 2027-01-05 in ${YAML_PLAN} is in the future`] },
  ],
  [
    "a YAML date that is not a date",
    {},
    { policy: yamlPolicy, head: { [YAML_PLAN]: yaml({ last_reviewed: "soon" }) } },
    {
      status: "fail",
      reasons: [
        `${YAML_PLAN}: "last_reviewed" soon must be a date like 2026-01-05 or an ISO date-time like 2026-01-05T10:00:00Z`,
      ],
    },
  ],
  [
    "JSON is read as YAML is",
    {},
    {
      policy: policy({
        file: "monitoring.json",
        keys: ["metrics", "owner"],
        dated_by: undefined,
        max_age_days: undefined,
      }),
      head: { "models/a/monitoring.json": '{"metrics": ["latency"], "owner": null}' },
    },
    { status: "fail", reasons: ["the 'owner' key of models/a/monitoring.json is empty"] },
  ],
  [
    "a YAML document that is not a mapping",
    {},
    { policy: yamlPolicy, head: { [YAML_PLAN]: "- metrics\n" } },
    { status: "fail", reasons: [`${YAML_PLAN}: the document must be a mapping of keys`] },
  ],
  [
    "the manifest moves the document to a form the policy does not describe",
    { manifest: { owners: ["@alice"], data_categories: [], evidence: { monitoring: "monitoring.yml" } } },
    { policy: policy(), head: { [YAML_PLAN]: yaml() } },
    {
      status: "fail",
      reasons: [
        `${YAML_PLAN} is not a form the monitoring gate reads: the policy describes it as Markdown (.md)`,
      ],
    },
  ],
  [
    "the manifest's evidence path is followed",
    { manifest: { owners: ["@alice"], data_categories: [], evidence: { monitoring: "docs/watch.md" } } },
    { policy: policy(), head: { "models/a/docs/watch.md": markdown() } },
    { status: "pass", reasons: [] },
  ],
  [
    "with reviewers, a document that names none fails",
    {},
    { policy: withReviewers, ...unchanged(markdown()), people: fakePeople({ teams }) },
    { status: "fail", reasons: [`${PLAN} names no reviewer`] },
  ],
  [
    "an unchanged document signed by a member of the reviewers passes",
    {},
    { policy: withReviewers, ...unchanged(signed("sam")), people: fakePeople({ teams }) },
    { status: "pass", reasons: [] },
  ],
  [
    "the Reviewer section names the reviewer by an @mention in its text",
    {},
    {
      policy: withReviewers,
      ...unchanged(
        `${markdown()}## Reviewer\n\nSigned off by @mallory (mallory@example.com) for @acme/sre.\n`,
      ),
      people: fakePeople({ teams }),
    },
    {
      status: "fail",
      reasons: ["@mallory is not an active member of @acme/sre, so the sign-off does not count"],
    },
  ],
  [
    "a team is not a reviewer",
    {},
    {
      policy: withReviewers,
      ...unchanged(`${markdown()}## Reviewer\n\n@acme/sre\n`),
      people: fakePeople({ teams }),
    },
    { status: "fail", reasons: [`${PLAN} names no reviewer`] },
  ],
  [
    "offline, the sign-off passes with what was not checked",
    {},
    { policy: withReviewers, ...unchanged(signed("sam")) },
    { status: "pass", reasons: [], notes: ["not checked offline: whether @sam is a member of @acme/sre"] },
  ],
  [
    "a sign-off by someone outside the reviewers does not count",
    {},
    { policy: withReviewers, ...unchanged(signed("mallory")), people: fakePeople({ teams }) },
    {
      status: "fail",
      reasons: ["@mallory is not an active member of @acme/sre, so the sign-off does not count"],
    },
  ],
  [
    "an unchanged document of an artifact new in the PR was never signed off under the gate: it waits",
    { baseTier: undefined },
    { policy: withReviewers, ...unchanged(signed("sam")), people: fakePeople({ teams }) },
    {
      status: "pending",
      reasons: [
        `${PLAN} was not under this gate on the base branch (no sign-off was asked for it there), so @sam must approve the pull request for it to count`,
      ],
    },
  ],
  [
    "an unchanged document merged while the gate did not cover the artifact's tier: it waits",
    { baseTier: "medium" },
    {
      policy: policy({ reviewers: ["@acme/sre"], tiers: ["high"] }),
      ...unchanged(signed("sam")),
      people: fakePeople({ teams }),
    },
    {
      status: "pending",
      reasons: [
        `${PLAN} was not under this gate on the base branch (no sign-off was asked for it there), so @sam must approve the pull request for it to count`,
      ],
    },
  ],
  [
    "a document the PR changes waits for its reviewer's approval",
    changed,
    { policy: withReviewers, head: { [PLAN]: signed("sam") }, people: fakePeople({ teams }) },
    {
      status: "pending",
      reasons: [
        `${PLAN} changed in this pull request, so @sam must approve the pull request for it to count`,
      ],
    },
  ],
  [
    "a document the PR changes counts once its reviewer approved the PR",
    changed,
    {
      policy: withReviewers,
      head: { [PLAN]: signed("sam") },
      people: fakePeople({ teams, reviews: [{ user: "sam", state: "APPROVED" }] }),
    },
    { status: "pass", reasons: [] },
  ],
  [
    "a YAML document names its reviewer by the reviewer key",
    changed,
    {
      policy: {
        gates: {
          documents: { monitoring: { ...yamlPolicy.gates.documents.monitoring, reviewers: ["@acme/sre"] } },
        },
      },
      head: { [YAML_PLAN]: yaml({ reviewer: "'@sam'" }) },
      people: fakePeople({ teams }),
    },
    {
      status: "pending",
      reasons: [
        `${YAML_PLAN} changed in this pull request, so @sam must approve the pull request for it to count`,
      ],
    },
  ],
];

describe("document gates", () => {
  it.each(cases)("%s", async (_, overrides, facts, shown) => {
    const input = gateInput(artifactAt("models/a", overrides), facts);
    const [gate] = documentGates(input.policy);
    expect(gate?.name).toBe("monitoring");
    const result = await gate?.check(input);
    expectShown(result, shown);
  });

  it("are one gate per document the policy names, in its order, each reading its own file", () => {
    const parsed = policySchema.parse({
      version: 1,
      gates: {
        documents: {
          success_criteria: { file: "SUCCESS.md", sections: ["KPI"] },
          monitoring: { ...monitoring, reviewers: ["@acme/sre"] },
        },
      },
    });
    const gates = documentGates(parsed);
    expect(gates.map((g) => g.name)).toEqual(["success_criteria", "monitoring"]);
    expect(gates.map((g) => g.likelyReads?.(parsed, "models/a", "high"))).toEqual([
      [{ side: "head", path: "models/a/SUCCESS.md" }],
      // With reviewers, the base's copy is compared with the head's.
      [
        { side: "head", path: "models/a/MONITORING.md" },
        { side: "base", path: "models/a/MONITORING.md" },
      ],
    ]);
  });

  it("says what to write when the document is missing, in the form the file takes", async () => {
    for (const [facts, fix] of [
      [
        { policy: policy() },
        `Write ${PLAN} with the sections Metrics, Drift detection, Owner, Last reviewed.`,
      ],
      [{ policy: yamlPolicy }, `Write ${YAML_PLAN} with the keys metrics, drift, owner, last_reviewed.`],
    ] as const) {
      const input = gateInput(artifactAt("models/a"), facts);
      expect((await documentGates(input.policy)[0]?.check(input))?.fixes).toEqual([fix]);
    }
  });

  it("locates each failure at the document's line", async () => {
    const text = markdown({ "Drift detection": "" });
    const input = gateInput(artifactAt("models/a"), { policy: policy(), head: { [PLAN]: text } });
    const result = await documentGates(input.policy)[0]?.check(input);
    expect(result?.findings).toEqual([
      {
        reason: `the 'Drift detection' section of ${PLAN} is empty`,
        fix: `Fill in 'Drift detection' in ${PLAN}.`,
        location: { path: PLAN, line: 5 },
      },
    ]);
  });

  it("declare every file they read, so the engine's prefetch asks for it with the other evidence", async () => {
    // A GitHub source answers the prefetched reads in one batched request: a read the gate did not
    // declare would cost a request of its own.
    for (const facts of [
      { policy: withReviewers, ...unchanged(signed("sam")), people: fakePeople({ teams }) },
      { policy: yamlPolicy, head: { [YAML_PLAN]: yaml() } },
    ]) {
      const input = gateInput(artifactAt("models/a", changed), facts);
      const reads: string[] = [];
      const readFile = input.facts.readFile.bind(input.facts);
      input.facts.readFile = (side, path) => {
        reads.push(`${side}:${path}`);
        return readFile(side, path);
      };
      const entryKind = input.facts.entryKind.bind(input.facts);
      input.facts.entryKind = (side, path) => {
        reads.push(`${side}:${path}`);
        return entryKind(side, path);
      };
      const [gate] = documentGates(input.policy);
      await gate?.check(input);
      const declared = (gate?.likelyReads?.(input.policy, "models/a", "high") ?? []).map(
        (f) => `${f.side}:${f.path}`,
      );
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.filter((r) => !declared.includes(r))).toEqual([]);
    }
  });
});
