import { describe, expect, it } from "vitest";
import type { Verdict } from "../../src/engine/types.js";
import { checkConclusion, checkTitle, exitStatus, failureOutput } from "../../src/report/index.js";
import { approval, blockedPr, evaluation } from "./sample.js";

describe("checkConclusion", () => {
  const cases: Array<[Verdict, string, string]> = [
    ["ready", "success", "success"],
    ["overridden", "success", "success"],
    ["not_governed", "success", "success"],
    ["awaiting_approval", "action_required", "neutral"],
    ["blocked", "failure", "neutral"],
    ["policy_error", "failure", "neutral"],
  ];
  it.each(cases)("%s → %s when enforced, %s when advisory", (verdict, enforced, advisory) => {
    expect(checkConclusion(evaluation({ verdict }))).toBe(enforced);
    expect(checkConclusion(evaluation({ verdict, enforcement: "advisory" }))).toBe(advisory);
  });
});

describe("exitStatus of `check`", () => {
  const cases: Array<[Verdict, number, number]> = [
    ["ready", 0, 0],
    ["overridden", 0, 0],
    ["not_governed", 0, 0],
    ["awaiting_approval", 0, 0],
    ["blocked", 1, 0],
    ["policy_error", 2, 2],
  ];
  it.each(cases)("%s → %s when enforced, %s when advisory", (verdict, enforced, advisory) => {
    expect(exitStatus(evaluation({ verdict }))).toBe(enforced);
    expect(exitStatus(evaluation({ verdict, enforcement: "advisory" }))).toBe(advisory);
  });
});

describe("failureOutput: an evaluation that could not be done", () => {
  it("fails the check, or is neutral under an advisory policy, and offers a re-check", () => {
    const enforced = failureOutput("GitHub answered 502", "enforced");
    expect(enforced.conclusion).toBe("failure");
    expect(enforced.title).toBe("Readiness could not be evaluated: GitHub answered 502");
    expect(enforced.actions.map((a) => a.identifier)).toEqual(["recheck"]);
    expect(failureOutput("GitHub answered 502", "advisory").conclusion).toBe("neutral");
  });

  it("keeps the title within GitHub's 255 characters", () => {
    expect(failureOutput("x".repeat(400), "enforced").title).toHaveLength(255);
  });
});

describe("checkTitle", () => {
  it("counts what there is to fix", () => {
    expect(checkTitle(blockedPr())).toBe("Blocked: 3 items to fix in 2 artifacts");
  });

  it("says Ready and names the approvals awaited", () => {
    expect(checkTitle(evaluation())).toBe("Ready");
    const awaiting = evaluation({
      verdict: "awaiting_approval",
      approvals: [approval({ rule: "Compliance", missing: 1 }), approval({ rule: "Owner", missing: 1 })],
    });
    expect(checkTitle(awaiting)).toBe("Awaiting 2 approvals");
  });

  it("names the policy file in error", () => {
    const e = evaluation({
      verdict: "policy_error",
      errors: [{ path: ".github/readiness.yml", line: 3, column: 5, message: "unknown key" }],
    });
    expect(checkTitle(e)).toBe("Policy error in .github/readiness.yml");
  });

  it("says an advisory run would block, and what", () => {
    expect(checkTitle({ ...blockedPr(), enforcement: "advisory" })).toBe(
      "Advisory — would block: 3 items to fix in 2 artifacts",
    );
    expect(checkTitle(evaluation({ enforcement: "advisory" }))).toBe("Ready");
  });

  it("names who overrode", () => {
    const override = { by: "dave", reason: "hotfix", at: "", expiresAt: "", headSha: "" };
    expect(checkTitle(evaluation({ verdict: "overridden", override }))).toBe("Overridden by @dave");
  });
});
