import { describe, expect, it } from "vitest";
import { readTemplates } from "../../src/assets/templates.js";
import type { Evaluation } from "../../src/engine/types.js";
import { Findings } from "../../src/gates/findings.js";
import { annotationBatches, checkRunOutput, createRenderer } from "../../src/report/index.js";
import { approval, artifact, blockedPr, evaluation, gate } from "./sample.js";
import { cellCount, firstTable } from "./table.js";

const renderer = createRenderer(readTemplates());

function hugePr(count: number): Evaluation {
  return evaluation({
    verdict: "blocked",
    artifacts: Array.from({ length: count }, (_, i) =>
      artifact({
        root: `models/model-${i}`,
        gates: [
          gate({ gate: "ownership", status: "pass" }),
          gate({
            gate: "evaluation",
            status: "fail",
            reasons: [`accuracy 0.8${i % 10} is below the minimum 0.90`],
            fixes: ["Improve the model or re-run the evaluation, then commit `eval/results.json`."],
            locations: [{ path: `models/model-${i}/eval/results.json`, line: 4 }],
          }),
          gate({ gate: "privacy", status: "pass" }),
          gate({ gate: "rollback", status: "pass" }),
        ],
      }),
    ),
    approvals: [approval({ rule: "Compliance sign-off", from: ["@acme/ai-compliance"] })],
  });
}

describe("checkRunOutput", () => {
  it("carries conclusion, title and the rendered summary", () => {
    const output = checkRunOutput(blockedPr(), renderer);
    expect(output.conclusion).toBe("failure");
    expect(output.title).toBe("Blocked: 3 items to fix in 2 artifacts");
    expect(output.summary).toBe(renderer.renderMarkdown(blockedPr()));
    expect(output.text).toContain("tier medium is not in \\[high]");
    expect(checkRunOutput({ ...blockedPr(), enforcement: "advisory" }, renderer).conclusion).toBe("neutral");
  });

  it("annotates each location with the reasons found there and their fixes, not the gate's others", () => {
    const found = new Findings("evaluation")
      .fail("accuracy 0.87 is below the minimum 0.90", "Improve the model.", {
        path: "models/churn/eval/results.json",
        line: 4,
      })
      .fail("f1 0.5 is below the minimum 0.8", "Improve the model.", {
        path: "models/churn/eval/results.json",
        line: 4,
      })
      .fail("the results are not bound to the change", "Re-run the evaluation.", {
        path: "models/churn/eval/evaluated.yml",
      })
      .result();
    const e = evaluation({
      verdict: "blocked",
      artifacts: [artifact({ root: "models/churn", gates: [found] })],
    });
    const messages = Object.fromEntries(
      checkRunOutput(e, renderer).annotations.map((a) => [`${a.path}:${a.start_line}`, a.message]),
    );
    expect(messages).toEqual({
      "models/churn/eval/results.json:4":
        "accuracy 0.87 is below the minimum 0.90\nf1 0.5 is below the minimum 0.8\nFix: Improve the model.",
      "models/churn/eval/evaluated.yml:1":
        "the results are not bound to the change\nFix: Re-run the evaluation.",
    });
  });

  it("does not annotate a warning about the builtin pack, which is no file of the repository", () => {
    const e = evaluation({
      warnings: [
        { path: "builtin:ai-production-readiness", line: 20, column: 17, message: "placeholder" },
        { path: ".github/readiness.yml", line: 9, column: 3, message: "placeholder too" },
      ],
    });
    const output = checkRunOutput(e, renderer);
    expect(output.annotations.map((a) => a.path)).toEqual([".github/readiness.yml"]);
    expect(output.summary).toContain("- `builtin:ai-production-readiness:20:17`: placeholder");
  });

  it("annotates failing and pending gates at their line, and policy errors and warnings", () => {
    const e = {
      ...blockedPr(),
      errors: [{ path: ".github/readiness.yml", line: 3, column: 5, message: "unknown key" }],
      warnings: [{ path: ".github/readiness.yml", message: "deprecated" }],
    };
    const { annotations } = checkRunOutput(e, renderer);
    expect(annotations).toContainEqual({
      path: "models/churn/eval/results.json",
      start_line: 4,
      end_line: 4,
      annotation_level: "failure",
      message:
        "accuracy 0.87 is below the minimum 0.90\nFix: Improve the model or re-run the evaluation, then commit `eval/results.json`.",
      title: "Readiness: evaluation fails for models/churn",
    });
    const byPath = (path: string) => annotations.find((annotation) => annotation.path === path);
    expect(byPath("models/churn/privacy-review.yml")?.annotation_level).toBe("warning");
    expect(byPath("models/churn/ROLLBACK.md")).toMatchObject({
      start_line: 1,
      end_line: 1,
      annotation_level: "failure",
    });
    expect(annotations.find((a) => a.message === "unknown key")).toMatchObject({
      start_line: 3,
      start_column: 5,
      annotation_level: "failure",
    });
    expect(annotations.find((a) => a.message === "deprecated")).toMatchObject({
      start_line: 1,
      annotation_level: "warning",
    });
    // Passing and skipped gates are never annotated.
    expect(
      annotations.some(
        (annotation) =>
          annotation.path.startsWith("prompts/support/") && annotation.annotation_level !== "failure",
      ),
    ).toBe(false);
  });

  it("offers Request reviews only when approvals are missing, within GitHub's limits", () => {
    const missing = checkRunOutput(blockedPr(), renderer).actions;
    expect(missing.map((action) => action.identifier)).toEqual(["recheck", "request_reviews"]);
    for (const action of missing) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.identifier.length).toBeLessThanOrEqual(20);
      expect(action.description.length).toBeLessThanOrEqual(40);
    }
    const approved = {
      ...blockedPr(),
      approvals: [approval({ rule: "Owner", status: "pass", missing: 0, approvedBy: ["alice"] })],
    };
    expect(checkRunOutput(approved, renderer).actions.map((action) => action.label)).toEqual(["Re-check"]);
  });

  it("keeps a 5,000-artifact summary under GitHub's 65,535 limit, whole rows only", () => {
    const output = checkRunOutput(hugePr(5000), renderer, { detailsUrl: "https://gate.example.com/runs/42" });
    for (const text of [output.summary, output.text ?? ""]) {
      expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(65_535);
      expect(text).toMatch(
        /… [\d,]+ more items not shown \(the full list: `readiness-gate check` or the \[details page\]\(https:\/\/gate\.example\.com\/runs\/42\)\)/,
      );
    }
    const table = firstTable(output.summary);
    expect(table.length).toBeGreaterThan(10);
    for (const row of table) expect(cellCount(row)).toBe(7);
    // Approvals are never dropped for size.
    expect(output.summary).toContain(
      "**Compliance sign-off**: 1 more approval needed from @acme/ai-compliance",
    );
  });

  it("respects a smaller cap and counts what it left out", () => {
    const e = hugePr(40);
    const { summary } = checkRunOutput(e, renderer, { maxChars: 4000 });
    expect(summary.length).toBeLessThanOrEqual(4000);
    const shown = firstTable(summary).length - 2;
    const hidden = Number(/… ([\d,]+) more items/.exec(summary)?.[1]);
    // Each hidden artifact takes its table row and its item with it.
    expect(hidden).toBe((40 - shown) * 2);
  });
});

describe("annotationBatches", () => {
  it("splits annotations into requests of at most 50", () => {
    const e = hugePr(120);
    const { annotations } = checkRunOutput(e, renderer);
    expect(annotations).toHaveLength(120);
    expect(annotationBatches(annotations).map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(annotationBatches(annotations).flat()).toEqual(annotations);
    expect(annotationBatches([])).toEqual([]);
  });
});
