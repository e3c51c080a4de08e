// Class 8: owners belong to the organisation. A PR author who names an account of their own
// outside the org (a sock puppet) as an artifact's owner must neither pass ownership nor get that
// account's approval counted as the owner's.
import { describe, expect, it } from "vitest";
import { fakePeople, HEAD_SHA } from "../engine/people.js";
import { baseFiles, gate, headFiles, POLICY, PRIVACY, ROLLBACK, results, run } from "../engine/scenario.js";

const teams = { "@acme/ai-compliance": ["carol"], "@acme/privacy": ["petra"] };
// Members of the organisation; mallory-sock is a real GitHub user, but not one of them.
const existing = ["@acme/ai-compliance", "@acme/privacy", "carol", "petra", "alice", "dev"];

/** A new model whose manifest names the author's sock puppet as its owner. */
function newModel(owners: string) {
  return headFiles({
    "models/fraud/artifact.yml": `owners: ${owners}\ndata_categories: [usage]\n`,
    "models/fraud/model.py": "weights = 1\n",
    "models/fraud/eval/results.json": results(0.95),
    "models/fraud/privacy-review.yml": PRIVACY,
    "models/fraud/ROLLBACK.md": ROLLBACK,
  });
}

const approvedBySock = () =>
  fakePeople({
    teams,
    existing,
    reviews: [
      { user: "carol", state: "APPROVED" },
      { user: "petra", state: "APPROVED" },
      { user: "mallory-sock", state: "APPROVED" },
    ],
  });

describe("an owner outside the organisation", () => {
  it("fails ownership and does not count as the owner's approval", async () => {
    const e = await run({ head: newModel('["@mallory-sock"]'), headSha: HEAD_SHA, people: approvedBySock() });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/fraud", "ownership").reasons).toEqual([
      "owner @mallory-sock is not an active member or a team of this organisation",
    ]);
    const owner = e.approvals.find((a) => a.rule === "Artifact owner");
    expect(owner).toMatchObject({ status: "pending", missing: 1, approvedBy: [], from: [] });
    expect(owner?.reasons).toContain(
      "@mallory-sock is not an active member or a team of this organisation, so cannot approve models/fraud as its owner",
    );
    expect(owner?.reasons).toContain("models/fraud names no owners of this organisation to approve it");
  });

  it("does not count the sock's approval when no ownership gate is configured", async () => {
    const policy = POLICY.replace("  ownership:\n    codeowners: true\n", "");
    const base = { ...baseFiles(), ".github/readiness.yml": policy };
    const head = { ...newModel('["@mallory-sock"]'), ".github/readiness.yml": policy };
    const e = await run({ base, head, headSha: HEAD_SHA, people: approvedBySock() });
    expect(e.artifacts[0]?.gates.map((g) => g.gate)).not.toContain("ownership");
    expect(e.verdict).toBe("awaiting_approval");
    expect(e.approvals.find((a) => a.rule === "Artifact owner")).toMatchObject({
      status: "pending",
      approvedBy: [],
    });
  });

  it("does not count a team of another organisation as the owner", async () => {
    const people = fakePeople({
      teams: { ...teams, "@evil/friends": ["mallory-sock"] },
      existing,
      reviews: [
        { user: "carol", state: "APPROVED" },
        { user: "mallory-sock", state: "APPROVED" },
      ],
    });
    const e = await run({ head: newModel('["@evil/friends"]'), headSha: HEAD_SHA, people });
    expect(gate(e, "models/fraud", "ownership").status).toBe("fail");
    expect(e.approvals.find((a) => a.rule === "Artifact owner")).toMatchObject({
      status: "pending",
      approvedBy: [],
    });
  });

  it("counts the approval of an owner who is a member, beside a sock named with them", async () => {
    const people = fakePeople({
      teams,
      existing,
      reviews: [
        { user: "carol", state: "APPROVED" },
        { user: "alice", state: "APPROVED" },
      ],
    });
    const e = await run({ head: newModel('["@alice", "@mallory-sock"]'), headSha: HEAD_SHA, people });
    expect(e.approvals.find((a) => a.rule === "Artifact owner")).toMatchObject({
      status: "pass",
      approvedBy: ["alice"],
      from: ["@alice"],
    });
    expect(gate(e, "models/fraud", "ownership").status).toBe("fail");
  });

  it("notes offline that it could not check whether the owners belong to the organisation", async () => {
    const e = await run({ head: newModel('["@mallory-sock"]') });
    expect(gate(e, "models/fraud", "ownership").status).toBe("pass");
    expect(gate(e, "models/fraud", "ownership").notes).toContain(
      "not checked offline: whether the owners belong to the organisation",
    );
  });
});
