// Which teams a `Request reviews` click asks, decided without GitHub: one row per situation.
import { describe, expect, it } from "vitest";
import { missingApprovalTeams } from "../../src/engine/request-reviews.js";
import type { ApprovalResult } from "../../src/engine/types.js";

function rule(status: ApprovalResult["status"], missing: number, from: string[]): ApprovalResult {
  return { rule: "models", status, missing, required: 2, approvedBy: [], from, reasons: [] };
}

const rows: Array<{ case: string; approvals: ApprovalResult[]; asks: string[] }> = [
  { case: "no approval rules: nobody is asked", approvals: [], asks: [] },
  {
    case: "a pending rule asks its teams of the repository's org",
    approvals: [rule("pending", 1, ["@acme/ml-leads", "@acme/safety"])],
    asks: ["ml-leads", "safety"],
  },
  {
    case: "a failing rule (a change request) asks its teams too",
    approvals: [rule("fail", 1, ["@acme/ml-leads"])],
    asks: ["ml-leads"],
  },
  {
    case: "a satisfied rule asks nobody",
    approvals: [rule("pass", 0, ["@acme/ml-leads"])],
    asks: [],
  },
  {
    case: "a pending rule with nothing missing asks nobody",
    approvals: [rule("pending", 0, ["@acme/ml-leads"])],
    asks: [],
  },
  {
    case: "approvals not checked (no pull request, the CLI) ask nobody",
    approvals: [rule("not_checked", 2, ["@acme/ml-leads"])],
    asks: [],
  },
  {
    case: "users and another org's teams are left to people",
    approvals: [rule("pending", 2, ["alice", "@other/ml-leads", "@acme/privacy"])],
    asks: ["privacy"],
  },
  {
    case: "the org is compared without case, and `org/team` without @ counts",
    approvals: [rule("pending", 1, ["ACME/ML-Leads"])],
    asks: ["ML-Leads"],
  },
  {
    case: "a team named by two rules is asked once, in rule order",
    approvals: [rule("pending", 1, ["@acme/safety", "@acme/ml-leads"]), rule("fail", 1, ["@acme/ml-leads"])],
    asks: ["safety", "ml-leads"],
  },
];

describe("Request reviews asks the teams whose approval is missing", () => {
  it.each(rows)("$case", ({ approvals, asks }) => {
    expect(missingApprovalTeams({ approvals }, "acme")).toEqual(asks);
  });
});
