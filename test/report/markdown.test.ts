import { describe, expect, it } from "vitest";
import { readTemplates } from "../../src/assets/templates.js";
import { Findings } from "../../src/gates/findings.js";
import { createRenderer, renderText } from "../../src/report/index.js";
import { approval, artifact, blockedPr, evaluation, gate } from "./sample.js";
import { cellCount, firstTable } from "./table.js";

const renderer = createRenderer(readTemplates());

describe("renderMarkdown", () => {
  it("puts the verdict first and a table of artifacts × gates with status words", () => {
    const summary = renderer.renderMarkdown(blockedPr());
    expect(summary.split("\n")[0]).toBe("**❌ Blocked: 3 items to fix in 2 artifacts**");
    const table = firstTable(summary);
    expect(table[0]).toBe("| Artifact | Kind | Tier | ownership | evaluation | privacy | rollback |");
    expect(table[2]).toBe("| `models/churn` | model | high | ✅ pass | ❌ fail | ⏳ pending | ❌ fail |");
    expect(table[3]).toBe("| `prompts/support` | prompt | medium | ✅ pass | ❌ fail | ➖ skipped | — |");
  });

  it("lists each failing or pending item with its location and fix", () => {
    const summary = renderer.renderMarkdown(blockedPr());
    const fixSection = summary.slice(summary.indexOf("### What to fix"));
    expect(fixSection).toContain("- ❌ `models/churn` — **evaluation** (fail)");
    expect(fixSection).toContain("  - accuracy 0.87 is below the minimum 0.90");
    expect(fixSection).toContain("  - at `models/churn/eval/results.json:4`");
    expect(fixSection).toContain(
      "  - **Fix:** Improve the model or re-run the evaluation, then commit `eval/results.json`.",
    );
    expect(fixSection).toContain("- ⏳ `models/churn` — **privacy** (pending)");
    expect(fixSection).toContain("  - at `prompts/support/eval/results.json:12`");
    expect(fixSection).not.toContain("skipped");
  });

  it("says which approvals are still needed and from whom", () => {
    const summary = renderer.renderMarkdown(blockedPr());
    expect(summary).toContain(
      "- ⏳ **Compliance sign-off**: 1 more approval needed from @acme/ai-compliance",
    );
    expect(summary).toContain("Approved: **Artifact owner** by @alice.");
  });

  it("keeps the table intact when user text carries pipes, newlines or backticks", () => {
    const e = evaluation({
      verdict: "blocked",
      artifacts: [
        artifact({
          root: "models/a|b\n| x | y |",
          kind: "mo|del",
          gates: [gate({ gate: "evaluation", status: "fail", reasons: ["bad | reason\nsecond line"] })],
        }),
        artifact({ root: "models/`tick`\\|", gates: [gate({ gate: "evaluation", status: "pass" })] }),
        artifact({ root: "models/c", gates: [gate({ gate: "evaluation", status: "pass" })] }),
      ],
    });
    const summary = renderer.renderMarkdown(e);
    const table = firstTable(summary);
    expect(table).toHaveLength(2 + 3);
    for (const row of table) expect(cellCount(row)).toBe(4);
    expect(summary).toContain("  - bad | reason second line");
  });

  it("shows policy errors at file:line:col, warnings and the policy digest", () => {
    const e = evaluation({
      verdict: "policy_error",
      policy: { digest: "", sources: [".github/readiness.yml"] },
      errors: [
        {
          path: ".github/readiness.yml",
          line: 12,
          column: 3,
          message: "max_age_days 400 loosens the org's 365",
        },
      ],
      warnings: [{ path: ".github/readiness.yml", line: 2, message: "`extends` is deprecated" }],
    });
    const summary = renderer.renderMarkdown(e);
    expect(summary).toContain("- `.github/readiness.yml:12:3`: max_age_days 400 loosens the org's 365");
    expect(summary).toContain("### Warnings\n\n- `.github/readiness.yml:2:1`: `extends` is deprecated");
    expect(renderer.renderMarkdown(blockedPr())).toContain(
      "Policy `sha256:0f1e2d` from `.github/readiness.yml`",
    );
  });

  it("shows who overrode, why and until when", () => {
    const override = {
      by: "dave",
      reason: "hotfix for <incident>",
      at: "2024-05-01T10:00:00Z",
      expiresAt: "2024-05-04T10:00:00Z",
      headSha: "abc",
    };
    const summary = renderer.renderMarkdown({ ...blockedPr(), verdict: "overridden", override });
    expect(summary).toContain(
      "**Overridden by @dave**: hotfix for &lt;incident&gt;, until 2024-05-04 10:00 UTC",
    );
  });

  it("tells an advisory run's readers it does not block, and what it would conclude", () => {
    const summary = renderer.renderMarkdown({ ...blockedPr(), enforcement: "advisory" });
    expect(summary).toContain("**Advisory mode**");
    expect(summary).toContain("Enforced, it would conclude `failure`.");
    expect(renderer.renderMarkdown(blockedPr())).not.toContain("Advisory");
  });

  it("renders every row when no cap is given (the CLI's --format markdown)", () => {
    const e = evaluation({
      verdict: "ready",
      artifacts: Array.from({ length: 2000 }, (_, i) =>
        artifact({ root: `models/m${i}`, gates: [gate({ gate: "ownership", status: "pass" })] }),
      ),
    });
    const summary = renderer.renderMarkdown(e);
    expect(firstTable(summary)).toHaveLength(2002);
    expect(summary).not.toContain("more items not shown");
  });

  it("says when nothing governed changed", () => {
    expect(renderer.renderMarkdown(evaluation({ verdict: "not_governed" }))).toContain(
      "No governed artifacts changed",
    );
  });

  it("lists approvals that cannot be checked offline with who can give them", () => {
    const e = evaluation({
      approvals: [
        approval({ rule: "Compliance sign-off", status: "not_checked", from: ["@acme/ai-compliance"] }),
      ],
    });
    expect(renderer.renderMarkdown(e)).toContain(
      "not checked here; needs 1 approval from @acme/ai-compliance",
    );
  });

  it("names who approves a policy edit without policy_admins in words, not as a login", () => {
    const e = evaluation({
      verdict: "awaiting_approval",
      artifacts: [
        artifact({
          root: ".github/readiness.yml",
          kind: "policy",
          owners: [],
          gates: [gate({ gate: "validation", status: "pass" })],
        }),
      ],
      approvals: [approval({ rule: "Repository admin", from: ["a repository admin"] })],
    });
    const summary = renderer.renderMarkdown(e);
    expect(summary).toContain("- ⏳ **Repository admin**: 1 more approval needed from a repository admin");
    expect(renderText(e)).toContain("from a repository admin");
  });

  it("nests each reason's location and fix under it, in the summary and the details", () => {
    const found = new Findings("evaluation")
      .fail("accuracy 0.87 is below the minimum 0.90", "Improve the model.", {
        path: "models/churn/eval/results.json",
        line: 4,
      })
      .fail("f1 is not reported", "Report f1 in the results.", { path: "models/churn/eval/results.json" })
      .result();
    const e = evaluation({
      verdict: "blocked",
      artifacts: [artifact({ root: "models/churn", gates: [found] })],
    });
    const nested = [
      "  - accuracy 0.87 is below the minimum 0.90",
      "    - at `models/churn/eval/results.json:4`",
      "    - **Fix:** Improve the model.",
      "  - f1 is not reported",
      "    - at `models/churn/eval/results.json`",
      "    - **Fix:** Report f1 in the results.",
    ].join("\n");
    expect(renderer.renderMarkdown(e)).toContain(
      `- ❌ \`models/churn\` — **evaluation** (fail)\n${nested}\n`,
    );
    expect(renderer.renderDetails(e)).toContain(`- ❌ **evaluation** (fail)\n${nested}\n`);
  });

  it("says which artifact needs whose approval for an owners rule", () => {
    const e = evaluation({
      verdict: "awaiting_approval",
      approvals: [
        approval({
          rule: "Artifact owner",
          required: 2,
          from: ["@acme/ml", "bob"],
          approvedBy: ["bob"],
          artifacts: [
            { root: "models/churn", missing: 1, from: ["@acme/ml"], approvedBy: [] },
            { root: "prompts/support", missing: 0, from: ["bob"], approvedBy: ["bob"] },
          ],
        }),
      ],
    });
    const owners = [
      "  - `models/churn`: 1 more from @acme/ml",
      "  - `prompts/support`: approved by @bob",
    ].join("\n");
    expect(renderer.renderMarkdown(e)).toContain(
      `- ⏳ **Artifact owner**: 1 more approval needed (approved so far by @bob)\n${owners}\n`,
    );
    expect(renderer.renderDetails(e)).toContain(
      `- ⏳ **Artifact owner**: 1 approval of 2 missing\n${owners}\n`,
    );
  });
});
