// Class 9: a policy edit always needs someone else's approval. Without `policy_admins`, a PR that
// edits or deletes the repository policy needs one approval from a repository admin who is neither
// the PR's author nor a commit author; otherwise its author could replace the policy with
// `version: 1` and merge a ready PR with no approval at all.
import { describe, expect, it } from "vitest";
import { fakePeople, HEAD_SHA } from "../engine/people.js";
import { baseFiles, headFiles, POLICY, run } from "../engine/scenario.js";

const WITHOUT_ADMINS = POLICY.replace('policy_admins: ["@acme/ai-governance"]\n', "");
const base = () => ({ ...baseFiles(), ".github/readiness.yml": WITHOUT_ADMINS });
const gutted = () => headFiles({ ".github/readiness.yml": "version: 1\n" }, base());

function adminRule(e: Awaited<ReturnType<typeof run>>) {
  return e.approvals.find((a) => a.rule === "Repository admin");
}

describe("a policy edit without policy_admins", () => {
  it("awaits a repository admin's approval for a PR that guts the policy", async () => {
    const e = await run({
      base: base(),
      head: gutted(),
      headSha: HEAD_SHA,
      people: fakePeople({ admins: ["ada"] }),
    });
    expect(e.verdict).toBe("awaiting_approval");
    expect(adminRule(e)).toMatchObject({
      status: "pending",
      missing: 1,
      from: ["a repository admin"],
      reasons: ["1 more from a repository admin (not the author or a commit author)"],
    });
  });

  it("is ready once a repository admin other than the authors approves", async () => {
    const people = fakePeople({ admins: ["ada"], reviews: [{ user: "ada", state: "APPROVED" }] });
    const e = await run({ base: base(), head: gutted(), headSha: HEAD_SHA, people });
    expect(adminRule(e)).toMatchObject({ status: "pass", approvedBy: ["ada"] });
    expect(e.verdict).toBe("ready");
  });

  it("does not count an admin who authored or co-authored a commit, nor a reviewer who is no admin", async () => {
    const people = fakePeople({
      author: "dev",
      commitAuthors: ["dev", "ada"],
      admins: ["dev", "ada"],
      reviews: [
        { user: "ada", state: "APPROVED" },
        { user: "carol", state: "APPROVED" },
      ],
    });
    const e = await run({ base: base(), head: gutted(), headSha: HEAD_SHA, people });
    expect(e.verdict).toBe("awaiting_approval");
    expect(adminRule(e)?.reasons).toContain(
      "@ada's approval does not count: @ada authored a commit in this pull request",
    );
    expect(adminRule(e)?.approvedBy).toEqual([]);
  });

  it("needs the same approval to delete the policy", async () => {
    const e = await run({
      base: base(),
      head: headFiles({ ".github/readiness.yml": null }, base()),
      headSha: HEAD_SHA,
      people: fakePeople({ admins: ["ada"] }),
    });
    expect(e.verdict).toBe("awaiting_approval");
    expect(adminRule(e)).toMatchObject({ status: "pending", missing: 1 });
  });

  it("is not_checked offline, saying who can approve", async () => {
    const e = await run({ base: base(), head: gutted() });
    expect(adminRule(e)).toMatchObject({ status: "not_checked", missing: 1, from: ["a repository admin"] });
  });
});
