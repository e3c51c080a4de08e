import { describe, expect, it } from "vitest";
import { Findings } from "../../src/gates/findings.js";
import { renderText } from "../../src/report/index.js";
import { approval, artifact, blockedPr, evaluation, gate } from "./sample.js";

/** The lines of `text` from the one starting with `first`, `count` of them. */
function linesFrom(text: string, first: RegExp, count: number): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => first.test(line));
  return lines.slice(start, start + count);
}

describe("renderText", () => {
  it("starts with the verdict and ends with a one-line summary", () => {
    const lines = renderText(blockedPr()).trimEnd().split("\n");
    expect(lines[0]).toBe("Blocked: 3 items to fix in 2 artifacts");
    expect(lines.at(-1)).toBe(
      "Blocked: 2 artifacts (3 failing, 1 pending, 2 passing, 1 skipped gates); 1 approval needed",
    );
  });

  it("shows each gate with reasons, path:line locations, fix: lines and notes", () => {
    const text = renderText(blockedPr());
    expect(text).toContain("models/churn (model, high)");
    expect(text).toMatch(
      / {2}FAIL +evaluation\n +accuracy 0\.87 is below the minimum 0\.90\n +at models\/churn\/eval\/results\.json:4\n +fix: Improve the model/,
    );
    expect(text).toMatch(/ {2}PASS +ownership\n +note: team membership was not checked/);
    expect(text).toMatch(/ {2}SKIPPED +privacy\n +tier medium is not in \[high\]/);
    expect(text).toContain("Compliance sign-off: needs 1 more approval from @acme/ai-compliance");
  });

  it("puts each reason with its own location and fix beneath it, a shared fix once after the last", () => {
    const found = new Findings("evaluation")
      .fail("accuracy 0.87 is below the minimum 0.90", "Improve the model.", {
        path: "models/churn/eval/results.json",
        line: 4,
      })
      .fail("f1 is not reported", "Report f1 in the results.")
      .fail("latency_p95 is not reported", "Report f1 in the results.", {
        path: "models/churn/eval/results.json",
      })
      .note("regression was not compared")
      .result();
    const e = evaluation({
      verdict: "blocked",
      artifacts: [artifact({ root: "models/churn", gates: [found] })],
    });
    expect(linesFrom(renderText(e), /FAIL +evaluation/, 9)).toEqual([
      "  FAIL         evaluation",
      "               accuracy 0.87 is below the minimum 0.90",
      "                 at models/churn/eval/results.json:4",
      "                 fix: Improve the model.",
      "               f1 is not reported",
      "               latency_p95 is not reported",
      "                 at models/churn/eval/results.json",
      "                 fix: Report f1 in the results.",
      "               note: regression was not compared",
    ]);
  });

  it("says which artifact needs whose approval for an owners rule, not one pooled list", () => {
    const e = evaluation({
      verdict: "awaiting_approval",
      approvals: [
        approval({
          rule: "Artifact owner",
          missing: 1,
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
    expect(linesFrom(renderText(e), /Artifact owner/, 3)).toEqual([
      "  PENDING      Artifact owner: needs 1 more approval; approved by @bob",
      "               models/churn: 1 more from @acme/ml",
      "               prompts/support: approved by @bob",
    ]);
  });

  it("prints errors as file:line:col: message", () => {
    const e = evaluation({
      verdict: "policy_error",
      errors: [{ path: ".github/readiness.yml", line: 12, column: 3, message: "unknown key gatez" }],
    });
    expect(renderText(e)).toContain("\n  .github/readiness.yml:12:3: unknown key gatez\n");
  });

  it("uses no colour unless asked, and never passes escape codes from evidence through", () => {
    const e = evaluation({
      verdict: "blocked",
      artifacts: [
        artifact({
          root: "models/a",
          gates: [gate({ gate: "evaluation", status: "fail", reasons: ["bad\u001b[2Jthing\nnext"] })],
        }),
      ],
    });
    const plain = renderText(e);
    expect(plain).not.toContain("\u001b");
    expect(plain).toContain("bad[2Jthing next");
    expect(renderText(e, { color: true })).toContain("\u001b[31m");
  });
});
