import { describe, expect, it } from "vitest";
import { findSection, readRollbackPlan } from "../../src/evidence/rollback.js";
import type { RollbackPlan } from "../../src/evidence/types.js";

const MD = "models/churn/ROLLBACK.md";
const YML = "models/churn/rollback.yml";
const REQUIRED = ["Trigger", "Steps", "Previous version", "Owner", "Last tested"];

function planOf(path: string, text: string): RollbackPlan {
  const result = readRollbackPlan(path, text);
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** What a gate would report: required sections that are missing or have no text. */
function gaps(plan: RollbackPlan): string[] {
  return REQUIRED.filter((title) => !findSection(plan, title)?.hasText);
}

const COMPLETE = `# Rollback plan for churn

## Triggers
- accuracy on the weekly holdout drops below 0.85

## Steps
### 1. Revert the deployment
\`\`\`sh
kubectl rollout undo deployment/churn
# not a heading: a shell comment in a code fence
\`\`\`

## Previous version
churn-v41 (registry tag \`models/churn:41\`)

Owner
-----
@acme/ml-platform

## Last tested
Drill run on 2026-03-02 by the on-call; the previous one was 2025-12-01.
`;

describe("readRollbackPlan (Markdown)", () => {
  it("reads every heading with its line, and finds nothing missing in a complete plan", () => {
    const plan = planOf(MD, COMPLETE);
    expect(plan.format).toBe("markdown");
    expect(plan.sections.map((s) => [s.title, s.line])).toEqual([
      ["Rollback plan for churn", 1],
      ["Triggers", 3],
      ["Steps", 6],
      ["1. Revert the deployment", 7],
      ["Previous version", 13],
      ["Owner", 16],
      ["Last tested", 20],
    ]);
    expect(gaps(plan)).toEqual([]);
  });

  it("does not read `#` lines inside a code fence as headings", () => {
    const titles = planOf(MD, COMPLETE).sections.map((s) => s.title);
    expect(titles).not.toContain("not a heading: a shell comment in a code fence");
  });

  it("reads a setext (underlined) heading", () => {
    expect(findSection(planOf(MD, COMPLETE), "owner")).toEqual({ title: "Owner", line: 16, hasText: true });
  });

  it("finds the first date of the Last tested section, with its line", () => {
    expect(planOf(MD, COMPLETE).lastTested).toEqual({ date: "2026-03-02", line: 21 });
  });

  it("reports a missing section", () => {
    const plan = planOf(MD, COMPLETE.replace("## Previous version\n", "## Notes\n"));
    expect(gaps(plan)).toEqual(["Previous version"]);
  });

  it("treats a heading followed directly by a heading of the same level as having no text", () => {
    const plan = planOf(MD, "## Trigger\n\n## Steps\n1. revert\n\n## Owner\n<!-- TODO: fill in -->\n\n---\n");
    expect(findSection(plan, "Trigger")).toEqual({ title: "Trigger", line: 1, hasText: false });
    expect(findSection(plan, "Steps")?.hasText).toBe(true);
    // A comment or a rule is not text a reader can act on.
    expect(findSection(plan, "Owner")?.hasText).toBe(false);
  });

  it("counts the text of sub-sections as the section's own, but not a bare sub-heading", () => {
    const plan = planOf(MD, "## Steps\n### Revert\nrun the undo job\n## Trigger\n### When\n## Owner\n@a/b\n");
    expect(findSection(plan, "Steps")?.hasText).toBe(true);
    expect(findSection(plan, "Trigger")?.hasText).toBe(false);
    // A deeper heading's text does not leak upward past the next sibling.
    expect(findSection(plan, "When")?.hasText).toBe(false);
  });

  it("matches titles regardless of case, a trailing colon or a plural s", () => {
    const plan = planOf(MD, "# STEPS:\nundo\n# trigger\nalert\n");
    expect(findSection(plan, "Steps")?.line).toBe(1);
    expect(findSection(plan, "Triggers")?.line).toBe(3);
    expect(findSection(plan, "Owner")).toBeUndefined();
  });

  it("has no drill date when the Last tested section has none, or the date sits elsewhere", () => {
    expect(planOf(MD, "## Last tested\nnever\n## Steps\n2026-01-01\n").lastTested).toBeUndefined();
    expect(planOf(MD, "## Last tested\n<!-- 2026-01-01 -->\nsoon\n").lastTested).toBeUndefined();
  });

  it("reads the date from a sub-section or a table of the Last tested section", () => {
    const text = "## Last tested\n\n| drill | date |\n|---|---|\n| staging | 2026-02-10 |\n";
    expect(planOf(MD, text).lastTested).toEqual({ date: "2026-02-10", line: 5 });
  });

  it("rejects an impossible drill date at its line and column", () => {
    expect(readRollbackPlan(MD, "## Last tested\n\nOn 2026-02-30.\n")).toEqual({
      ok: false,
      errors: [
        { path: MD, line: 3, column: 4, message: "2026-02-30 is not a real date: 2026-02 has no day 30" },
      ],
    });
  });

  it("rejects an empty file", () => {
    expect(readRollbackPlan(MD, " \n\n")).toEqual({
      ok: false,
      errors: [{ path: MD, line: 1, column: 1, message: "the rollback plan is empty" }],
    });
  });
});

describe("readRollbackPlan (YAML)", () => {
  const YAML_PLAN = [
    "previous_version: churn-v41", // 1
    "triggers:", // 2
    "  - accuracy below 0.85", // 3
    "steps:", // 4
    "  - kubectl rollout undo deployment/churn", // 5
    "owner: '@acme/ml-platform'", // 6
    "last_tested: 2026-03-02", // 7
  ].join("\n");

  it("maps a complete plan onto the Markdown section names", () => {
    const plan = planOf(YML, YAML_PLAN);
    expect(plan).toEqual({
      format: "yaml",
      sections: [
        { title: "Previous version", line: 1, hasText: true },
        { title: "Trigger", line: 2, hasText: true },
        { title: "Steps", line: 4, hasText: true },
        { title: "Owner", line: 6, hasText: true },
        { title: "Last tested", line: 7, hasText: true },
      ],
      lastTested: { date: "2026-03-02", line: 7 },
    });
    expect(gaps(plan)).toEqual([]);
  });

  it("reports missing and empty keys as gaps", () => {
    const plan = planOf(YML, "previous_version: 41\ntriggers: []\nsteps: ''\nowner:\n");
    expect(gaps(plan)).toEqual(["Trigger", "Steps", "Owner", "Last tested"]);
    expect(plan.lastTested).toBeUndefined();
  });

  it("reads a .yaml file as YAML too, whatever its case", () => {
    expect(planOf("ops/ROLLBACK.YAML", "steps: [undo]\n").format).toBe("yaml");
  });

  it("reports an unknown key at its line", () => {
    expect(readRollbackPlan(YML, `${YAML_PLAN}\ntrigger: manual\n`)).toEqual({
      ok: false,
      errors: [
        { path: YML, line: 8, column: 1, message: 'unknown key "trigger" (did you mean "triggers"?)' },
      ],
    });
  });

  it("reports a bad step and an impossible date at their lines", () => {
    const result = readRollbackPlan(YML, "steps:\n  - undo\n  - 3\nlast_tested: 2026-04-31\n");
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: YML, line: 3, column: 5, message: '"steps[1]" must be text, not the number 3' },
        {
          path: YML,
          line: 4,
          column: 14,
          message: '"last_tested" is not a real date: 2026-04 has no day 31',
        },
      ],
    });
  });

  it("rejects an empty file", () => {
    expect(readRollbackPlan(YML, "")).toEqual({
      ok: false,
      errors: [{ path: YML, line: 1, column: 1, message: "the rollback plan is empty" }],
    });
  });
});

describe("readRollbackPlan (size)", () => {
  it("refuses a Markdown plan larger than it reads, saying the limit", () => {
    const text = `## Steps\n${"undo the deploy\n".repeat(9000)}`;
    expect(readRollbackPlan("models/churn/ROLLBACK.md", text)).toEqual({
      ok: false,
      errors: [
        {
          path: "models/churn/ROLLBACK.md",
          line: 1,
          column: 1,
          message: `the rollback plan is ${text.length} bytes; a Markdown plan is read up to 131072 bytes: keep it to what the on-call person needs`,
        },
      ],
    });
  });

  it("reads deeply nested Markdown without failing, leaving what is nested too deep unread", () => {
    const plan = readRollbackPlan(
      "models/churn/ROLLBACK.md",
      `## Steps\n${">".repeat(5000)} undo\n## Owner\n`,
    );
    expect(plan.ok && plan.value.sections.map((s) => [s.title, s.hasText])).toEqual([
      ["Steps", false],
      ["Owner", false],
    ]);
  });
});

describe("section titles", () => {
  // Titles are compared ignoring case, spacing, a trailing colon and a plural s.
  const plan = (title: string): RollbackPlan => ({
    format: "markdown",
    sections: [{ title, line: 3, hasText: true }],
  });
  it.each([
    ["Last tested", "Last tested"],
    ["LAST TESTED", "Last tested"],
    ["Last  tested", "Last tested"],
    ["Last\ttested", "Last tested"],
    ["Last\u00a0tested", "Last tested"],
    ["Last tested:", "Last tested"],
    ["Last tested :", "Last tested"],
    ["  Triggers  ", "Trigger"],
    ["Step", "Steps"],
    ["Steps:", "Step"],
  ])("'%s' is the section '%s'", (title, wanted) => {
    expect(findSection(plan(title), wanted)?.line).toBe(3);
  });
  it.each([
    ["Last tested on", "Last tested"],
    ["Owners list", "Owner"],
    ["Last: tested", "Last tested"],
  ])("'%s' is not the section '%s'", (title, wanted) => {
    expect(findSection(plan(title), wanted)).toBeUndefined();
  });
});
