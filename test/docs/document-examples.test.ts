// docs/evidence.md's worked examples of document gates: the success criteria record and the data
// lineage record shown under each policy pass that policy's gate, and the monitoring example's
// empty section fails with the reason the page quotes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../engine/scenario.js";

const PAGE = readFileSync(new URL("../../docs/evidence.md", import.meta.url), "utf8");
/** The fenced blocks under the heading `title`, in order. */
function blocksUnder(title: string): string[] {
  const start = PAGE.indexOf(`### ${title}\n`);
  const end = PAGE.indexOf("\n### ", start + 1);
  const part = PAGE.slice(start, end);
  return [...part.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

async function gateOf(policy: string, gate: string, head: Record<string, string>) {
  const base = { ".github/readiness.yml": policy, "models/churn/artifact.yml": "owners: ['@alice']\n" };
  const result = await run({ base, head: { ...base, ...head } });
  const found = result.artifacts.find((a) => a.root === "models/churn")?.gates.find((g) => g.gate === gate);
  return { status: found?.status, reasons: found?.reasons };
}

describe("docs/evidence.md: document gates", () => {
  it("the monitoring example's empty section fails with the reason the page quotes", async () => {
    const [policy, excerpt] = blocksUnder("Example: a monitoring and drift plan") as [string, string];
    const plan = `## Metrics\nlatency\n## Alerts\npage\n## Owner\n@alice\n${excerpt.replace(/PSI[^\n]*\n/, "")}`;
    expect(await gateOf(policy, "monitoring", { "models/churn/MONITORING.md": plan })).toEqual({
      status: "fail",
      reasons: ["the 'Drift detection' section of models/churn/MONITORING.md is empty"],
    });
    expect(PAGE).toContain("`the 'Drift detection' section of models/churn/MONITORING.md is empty`");
  });

  it("the success criteria record passes offline, where the reviewer's membership is not checked", async () => {
    const [policy, record] = blocksUnder("Example: success criteria against a business baseline") as [
      string,
      string,
    ];
    expect(await gateOf(policy, "success_criteria", { "models/churn/success-criteria.yml": record })).toEqual(
      {
        status: "pass",
        reasons: [],
      },
    );
  });

  it("the data lineage record passes, and oversight is skipped below its tier", async () => {
    const [policy, lineage] = blocksUnder("Example: human-in-the-loop tiers and data lineage") as [
      string,
      string,
    ];
    const medium = policy.replace(
      'model: { roots: ["models/*"], tier: high }',
      'model: { roots: ["models/*"], tier: medium }',
    );
    expect(await gateOf(medium, "data_lineage", { "models/churn/lineage.yml": lineage })).toEqual({
      status: "pass",
      reasons: [],
    });
    expect(await gateOf(medium, "human_oversight", { "models/churn/train.py": "x = 1\n" })).toMatchObject({
      status: "skipped",
    });
  });
});
