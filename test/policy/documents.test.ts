// Document gates in the policy language: every mistake is a located error, and an org's document
// gates merge tighten-only (a repo adds gates, sections and keys, shortens ages, narrows reviewers).
import { describe, expect, it } from "vitest";
import { mergeTightenOnly } from "../../src/policy/index.js";
import { EVIDENCE_GATES } from "../../src/policy/schema.js";
import { run } from "../engine/scenario.js";
import { at, loadErrors, loaded, yaml } from "./helpers.js";

const ORG = yaml`
  version: 1
  artifacts:
    model: { roots: ["models/*"], tier: high }
  gates:
    documents:
      monitoring:
        tiers: [high]
        file: MONITORING.md
        sections: ["Metrics", "Drift detection", "Last reviewed"]
        dated_by: last_reviewed
        max_age_days: 180
        reviewers: ["@acme/sre", "@acme/ml-platform"]
`;
const ORG_LABEL = "acme/.github:.github/readiness.yml";

function merge(repoText: string) {
  const org = loaded(ORG, ".github/readiness.yml");
  return mergeTightenOnly({ ...org, label: ORG_LABEL }, loaded(repoText));
}

const SECTIONS = 'sections: ["Metrics", "Drift detection", "Last reviewed"]';
const gate = (body: string, name = "monitoring") =>
  `version: 1\ngates:\n  documents:\n    ${name}:\n${body
    .trim()
    .split("\n")
    .map((l) => `      ${l.trim()}`)
    .join("\n")}\n`;

describe("a document gate in the policy", () => {
  it("loads with its settings", () => {
    const { policy } = loaded(ORG);
    expect(policy.gates.documents?.monitoring).toEqual({
      tiers: ["high"],
      file: "MONITORING.md",
      sections: ["Metrics", "Drift detection", "Last reviewed"],
      dated_by: "last_reviewed",
      max_age_days: 180,
      reviewers: ["@acme/sre", "@acme/ml-platform"],
    });
  });

  const mistakes: Array<[string, string, string, RegExp]> = [
    [
      "a name that takes a builtin gate's",
      gate("file: R.md\nsections: [Steps]", "rollback"),
      "rollback",
      /gates\.documents\.rollback: invalid name: a document gate cannot take a builtin gate's name/,
    ],
    [
      "a name that is not [a-z][a-z0-9_]*",
      gate("file: M.md\nsections: [Metrics]", "Drift-Plan"),
      "Drift-Plan",
      /invalid name: a document gate's name is a lower-case letter, then lower-case letters, digits or _/,
    ],
    [
      "a file that is neither Markdown nor YAML/JSON",
      gate("file: MONITORING.txt\nsections: [Metrics]"),
      "MONITORING.txt",
      /file: a document is Markdown \(\.md, \.markdown\) or YAML\/JSON/,
    ],
    [
      "a Markdown document without sections",
      gate("file: MONITORING.md\nkeys: [metrics]"),
      "MONITORING.md",
      /file: a Markdown document needs `sections`/,
    ],
    [
      "a YAML document without keys",
      gate("file: monitoring.yml\nsections: [Metrics]"),
      "monitoring.yml",
      /file: a YAML or JSON document needs `keys`/,
    ],
    [
      "max_age_days without dated_by",
      gate("file: MONITORING.md\nsections: [Metrics]\nmax_age_days: 90"),
      "90",
      /max_age_days: max_age_days needs dated_by/,
    ],
    [
      "an unknown key, with the nearest suggested",
      gate("file: MONITORING.md\nsection: [Metrics]"),
      "section:",
      /unknown key 'section' in gates\.documents\.monitoring — did you mean 'sections'\?/,
    ],
    [
      "an age that is not a positive whole number",
      gate("file: MONITORING.md\nsections: [Metrics]\ndated_by: Last reviewed\nmax_age_days: 0"),
      "0",
      /max_age_days/,
    ],
  ];

  it.each(mistakes)("%s is a located error", (_, text, needle, message) => {
    const error = loadErrors(text).find((e) => message.test(e.message));
    expect(error).toMatchObject({ path: ".github/readiness.yml", ...at(text, needle) });
  });
});

describe("document gates merge tighten-only", () => {
  it("a repo adds a gate of its own and tightens the org's", () => {
    const { policy, errors } = merge(yaml`
      version: 1
      gates:
        documents:
          monitoring:
            file: docs/MONITORING.md
            sections: ["Metrics", "Drift detection", "Last reviewed", "Alerts"]
            dated_by: last_reviewed
            max_age_days: 90
            reviewers: ["@acme/sre"]
          lineage:
            file: lineage.yml
            keys: [sources, transformations]
    `);
    expect(errors).toEqual([]);
    expect(policy.gates.documents).toEqual({
      monitoring: {
        tiers: ["high"],
        file: "docs/MONITORING.md",
        sections: ["Metrics", "Drift detection", "Last reviewed", "Alerts"],
        dated_by: "last_reviewed",
        max_age_days: 90,
        reviewers: ["@acme/sre"],
      },
      lineage: { file: "lineage.yml", keys: ["sources", "transformations"] },
    });
  });

  it("a repo that leaves the org's document gates out keeps them", () => {
    const { policy, errors } = merge("version: 1\n");
    expect(errors).toEqual([]);
    expect(Object.keys(policy.gates.documents ?? {})).toEqual(["monitoring"]);
  });

  const loosenings: Array<[string, string, string, RegExp]> = [
    [
      "dropping a section",
      gate('file: MONITORING.md\nsections: ["Metrics", "Last reviewed"]'),
      '["Metrics", "Last reviewed"]',
      /the monitoring document no longer requires the org's section Drift detection/,
    ],
    [
      "a longer age",
      gate(`file: MONITORING.md\n${SECTIONS}\ndated_by: last_reviewed\nmax_age_days: 365`),
      "365",
      /max_age_days 365 is longer than the org's 180/,
    ],
    [
      "a reviewer the org does not name",
      gate(`file: MONITORING.md\n${SECTIONS}\nreviewers: ["@acme/sre", "@acme/devs"]`),
      '"@acme/devs"',
      /monitoring reviewer @acme\/devs is not one of the org's reviewers/,
    ],
    [
      "another date",
      gate(`file: MONITORING.md\n${SECTIONS}\ndated_by: Created`),
      "Created",
      /the monitoring document is dated by 'last_reviewed' in the org's policy/,
    ],
    [
      "a YAML form the org's Markdown-only gate does not accept",
      gate(`file: monitoring.yml\n${SECTIONS}\nkeys: [metrics]`),
      "[metrics]",
      /a YAML or JSON form of the monitoring document would not be held to what the org's requires/,
    ],
    [
      "fewer tiers",
      gate(`file: MONITORING.md\n${SECTIONS}\ntiers: [medium]`),
      "[medium]",
      /the monitoring gate no longer applies to tier high, as the org's does/,
    ],
  ];

  it.each(loosenings)("%s is a loosening at the repo's line", (_, text, needle, message) => {
    const { errors } = merge(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: ".github/readiness.yml", ...at(text, needle) });
    expect(errors[0]?.message).toMatch(message);
    expect(errors[0]?.message).toContain("loosens the org policy");
  });

  it("raising a kind's tier out of an org document gate's tiers is a loosening", () => {
    const org = loaded(ORG.replace("tiers: [high]", "tiers: [medium]").replace("tier: high", "tier: medium"));
    const repo = 'version: 1\nartifacts:\n  model: { roots: ["models/*"], tier: high }\n';
    const { errors } = mergeTightenOnly({ ...org, label: ORG_LABEL }, loaded(repo));
    expect(errors.map((e) => e.message).join("\n")).toMatch(/take its artifacts out of the monitoring gate/);
  });
});

describe("a document gate the policy cannot hold", () => {
  it("makes the check a policy_error located at the name, never a crash or a pass", async () => {
    const policy = gate("file: R.md\nsections: [Steps]", "rollback").replace(
      "gates:",
      'artifacts:\n  model: { roots: ["models/*"] }\ngates:',
    );
    const base = { ".github/readiness.yml": policy, "models/a/artifact.yml": "owners: ['@alice']\n" };
    const result = await run({ base, head: { ...base, "models/a/train.py": "x = 1\n" } });
    expect(result.verdict).toBe("policy_error");
    expect(result.errors).toEqual([
      {
        path: ".github/readiness.yml",
        ...at(policy, "rollback:"),
        message: expect.stringMatching(/invalid name: a document gate cannot take a builtin gate's name/),
      },
    ]);
  });

  it("refuses a name a letter or two from a builtin evidence gate's, which a manifest would read as its typo", () => {
    for (const name of EVIDENCE_GATES.flatMap((builtin) => [`${builtin}s`, `${builtin.slice(0, -1)}`])) {
      const errors = loadErrors(gate("file: R.md\nsections: [Steps]", name));
      expect([name, errors.map((e) => e.message).join("; ")]).toEqual([
        name,
        expect.stringContaining("must not be a letter or two from a builtin gate's"),
      ]);
    }
  });
});
