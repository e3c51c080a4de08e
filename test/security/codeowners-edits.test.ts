// Class 12: CODEOWNERS is governed when `codeowners: true`. CODEOWNERS decides every later
// coverage check, so an ungoverned PR that adds `* @anyone` would satisfy them all: an edit of it,
// in any of GitHub's three locations, touches it like the policy file and needs policy_admins
// (a repository admin without them).
import { describe, expect, it } from "vitest";
import { fakePeople, HEAD_SHA } from "../engine/people.js";
import { baseFiles, gate, headFiles, POLICY, run } from "../engine/scenario.js";

const teams = { "@acme/ai-governance": ["gina"] };

describe("an edit of CODEOWNERS under codeowners: true", () => {
  it("touches the CODEOWNERS pseudo-artifact and awaits policy_admins for `* @anyone`", async () => {
    const e = await run({
      head: headFiles({ ".github/CODEOWNERS": "* @anyone\n" }),
      headSha: HEAD_SHA,
      people: fakePeople({ teams }),
    });
    expect(e.verdict).toBe("awaiting_approval");
    expect(e.artifacts.map((a) => [a.root, a.kind])).toEqual([[".github/CODEOWNERS", "CODEOWNERS"]]);
    expect(gate(e, ".github/CODEOWNERS", "validation").status).toBe("pass");
    expect(e.approvals.find((a) => a.rule === "Policy admins")).toMatchObject({
      status: "pending",
      from: ["@acme/ai-governance"],
    });
  });

  it.each(["CODEOWNERS", "docs/CODEOWNERS"])("governs %s too, where GitHub also looks", async (path) => {
    const e = await run({
      head: headFiles({ [path]: "* @anyone\n" }),
      headSha: HEAD_SHA,
      people: fakePeople({ teams }),
    });
    expect(e.verdict).toBe("awaiting_approval");
    expect(gate(e, path, "validation").notes).toContain(
      `GitHub uses .github/CODEOWNERS, which comes first, so ${path} has no effect`,
    );
  });

  it("needs a repository admin when the policy names no policy_admins", async () => {
    const policy = POLICY.replace('policy_admins: ["@acme/ai-governance"]\n', "");
    const base = { ...baseFiles(), ".github/readiness.yml": policy };
    const e = await run({
      base,
      head: headFiles({ ".github/CODEOWNERS": "* @anyone\n" }, base),
      headSha: HEAD_SHA,
      people: fakePeople({ admins: ["ada"], reviews: [{ user: "ada", state: "APPROVED" }] }),
    });
    expect(e.approvals.find((a) => a.rule === "Repository admin")).toMatchObject({
      status: "pass",
      approvedBy: ["ada"],
    });
    expect(e.verdict).toBe("ready");
  });

  it("fails validation for a line GitHub would skip, at its line", async () => {
    const e = await run({
      head: headFiles({ ".github/CODEOWNERS": "/models/ @acme/ml\n!/models/x @acme/ml\n" }),
    });
    expect(e.verdict).toBe("blocked");
    const validation = gate(e, ".github/CODEOWNERS", "validation");
    expect(validation.reasons[0]).toMatch(/^\.github\/CODEOWNERS: negation/);
    expect(validation.locations[0]).toMatchObject({ path: ".github/CODEOWNERS", line: 2 });
  });

  it("says what a deletion leaves in force", async () => {
    const e = await run({
      head: headFiles({ ".github/CODEOWNERS": null }),
      headSha: HEAD_SHA,
      people: fakePeople({ teams }),
    });
    expect(e.verdict).toBe("awaiting_approval");
    expect(gate(e, ".github/CODEOWNERS", "validation").notes).toContain(
      ".github/CODEOWNERS is removed and no CODEOWNERS remains, so every governed change will fail its coverage check",
    );
  });
});
