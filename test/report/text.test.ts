import { describe, expect, it } from "vitest";
import { renderText } from "../../src/report/index.js";
import { artifact, blockedPr, evaluation, gate } from "./sample.js";

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
