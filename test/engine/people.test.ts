import { describe, expect, it } from "vitest";
import { fakePeople, HEAD_SHA } from "./people.js";
import { gate, headFiles, POLICY, PRIVACY, results, run } from "./scenario.js";

const modelChange = () =>
  headFiles({ "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.94) });
const teams = {
  "@acme/ai-compliance": ["carol"],
  "@acme/privacy": ["petra"],
  "@acme/ai-governance": ["gina"],
};

function approvalsOf(e: Awaited<ReturnType<typeof run>>) {
  return Object.fromEntries(e.approvals.map((a) => [a.rule, `${a.status}:${a.missing}`]));
}

describe("approvals, on GitHub facts", () => {
  it("awaits approval until a compliance member and an owner approve, then is ready", async () => {
    const none = await run({ head: modelChange(), headSha: HEAD_SHA, people: fakePeople({ teams }) });
    expect(none.verdict).toBe("awaiting_approval");
    expect(approvalsOf(none)).toEqual({ "Compliance sign-off": "pending:1", "Artifact owner": "pending:1" });
    expect(none.approvals[0]?.from).toEqual(["@acme/ai-compliance"]);

    const both = await run({
      head: modelChange(),
      headSha: HEAD_SHA,
      people: fakePeople({
        teams,
        reviews: [
          { user: "carol", state: "APPROVED" },
          { user: "alice", state: "APPROVED" },
        ],
      }),
    });
    expect(approvalsOf(both)).toEqual({ "Compliance sign-off": "pass:0", "Artifact owner": "pass:0" });
    expect(both.verdict).toBe("ready");
  });

  it("invalidates an approval when a governed file changed after it, but not for an unrelated file", async () => {
    const reviews = [
      { user: "carol", state: "APPROVED" as const, commitId: "old1" },
      { user: "alice", state: "APPROVED" as const, commitId: "old2" },
    ];
    const e = await run({
      head: modelChange(),
      headSha: HEAD_SHA,
      people: fakePeople({
        teams,
        reviews,
        changedSince: { old1: ["models/churn/model.py"], old2: ["src/app.py"] },
      }),
    });
    expect(approvalsOf(e)).toEqual({ "Compliance sign-off": "pending:1", "Artifact owner": "pass:0" });
    expect(e.approvals[0]?.reasons[0]).toMatch(/approved before models\/churn\/model.py changed/);
  });

  it("holds a rule on a qualifying change request until it is dismissed", async () => {
    const requested = [
      { user: "dave", state: "APPROVED" as const },
      { user: "carol", state: "CHANGES_REQUESTED" as const },
      { user: "alice", state: "APPROVED" as const },
    ];
    const compliance = { "@acme/ai-compliance": ["carol", "dave"], "@acme/privacy": ["petra"] };
    const held = await run({
      head: modelChange(),
      headSha: HEAD_SHA,
      people: fakePeople({ teams: compliance, reviews: requested }),
    });
    expect(held.verdict).toBe("awaiting_approval");
    expect(held.approvals[0]?.reasons).toContain("@carol requested changes");

    const dismissed = await run({
      head: modelChange(),
      headSha: HEAD_SHA,
      people: fakePeople({
        teams: compliance,
        reviews: [...requested, { user: "carol", state: "DISMISSED" as const }],
      }),
    });
    expect(dismissed.verdict).toBe("ready");
  });

  it("needs the named privacy reviewer's approval when the record changes in the PR", async () => {
    const head = headFiles({
      "models/churn/privacy-review.yml": PRIVACY.replace("2026-06-01", "2026-11-01"),
    });
    const waiting = await run({ head, headSha: HEAD_SHA, people: fakePeople({ teams }) });
    expect(gate(waiting, "models/churn", "privacy").status).toBe("pending");
    expect(waiting.verdict).toBe("awaiting_approval");

    const approved = await run({
      head,
      headSha: HEAD_SHA,
      people: fakePeople({
        teams,
        reviews: [
          { user: "petra", state: "APPROVED" },
          { user: "carol", state: "APPROVED" },
          { user: "alice", state: "APPROVED" },
        ],
      }),
    });
    expect(gate(approved, "models/churn", "privacy").status).toBe("pass");
    expect(approved.verdict).toBe("ready");
  });

  it("turns a blocked PR into overridden while the override is in force for this head", async () => {
    const override = {
      by: "gina",
      reason: "hotfix",
      at: "2026-11-21T10:00:00Z",
      expiresAt: "2026-11-24T10:00:00Z",
      headSha: HEAD_SHA,
    };
    const blocked = headFiles({ "models/churn/model.py": "w = 9\n" });
    const e = await run({ head: blocked, headSha: HEAD_SHA, people: fakePeople({ teams }), override });
    expect(e.verdict).toBe("overridden");
    expect(e.override?.reason).toBe("hotfix");
    const pushed = await run({
      head: blocked,
      headSha: "n".repeat(40),
      people: fakePeople({ teams }),
      override,
    });
    expect(pushed.verdict).toBe("blocked");
  });
});

describe("a PR that edits the policy", () => {
  it("validates the new file and names the line of the mistake", async () => {
    const e = await run({ head: headFiles({ ".github/readiness.yml": `${POLICY}enforcment: advisory\n` }) });
    const validation = gate(e, ".github/readiness.yml", "validation");
    expect(e.verdict).toBe("blocked");
    expect(validation.reasons[0]).toMatch(/unknown key 'enforcment'.*did you mean 'enforcement'/);
    expect(validation.locations[0]).toMatchObject({
      path: ".github/readiness.yml",
      line: POLICY.split("\n").length,
    });
  });

  it("lists the requirements an edit adds and removes, and needs policy_admins", async () => {
    const edited = POLICY.replace("min: 0.90", "min: 0.95");
    const e = await run({
      head: headFiles({ ".github/readiness.yml": edited }),
      headSha: HEAD_SHA,
      people: fakePeople({ teams }),
    });
    const validation = gate(e, ".github/readiness.yml", "validation");
    expect(validation.status).toBe("pass");
    expect(validation.notes.some((n) => n.startsWith("adds:") && n.includes("0.95"))).toBe(true);
    expect(validation.notes.some((n) => n.startsWith("removes:") && n.includes("0.9"))).toBe(true);
    expect(e.approvals.find((a) => a.rule === "Policy admins")).toMatchObject({
      status: "pending",
      from: ["@acme/ai-governance"],
    });
    expect(e.verdict).toBe("awaiting_approval");
  });

  it("lists, for a deleted repo policy, only what it added to the org's requirements", async () => {
    const org = `version: 1\ngates:\n  evaluation:\n    tiers: [medium, high]\n    thresholds:\n      - { metric: accuracy, min: 0.90 }\n`;
    const e = await run({ org, head: headFiles({ ".github/readiness.yml": null }) });
    const validation = gate(e, ".github/readiness.yml", "validation");
    const removes = validation.notes.filter((n) => n.startsWith("removes:"));
    expect(validation.notes).toContain("the policy file is removed: only the org policy will apply");
    // The org's accuracy floor still applies, so its removal is not announced; the repo's rollback gate goes.
    expect(removes.some((n) => n.includes("accuracy"))).toBe(false);
    expect(removes.some((n) => /rollback/i.test(n))).toBe(true);
  });

  it("fails an edit that would loosen the org policy, at the repo line", async () => {
    const org = `version: 1\ngates:\n  evaluation:\n    tiers: [medium, high]\n    thresholds:\n      - { metric: accuracy, min: 0.90 }\n`;
    const loose = POLICY.replace("min: 0.90", "min: 0.80");
    const e = await run({ org, head: headFiles({ ".github/readiness.yml": loose }) });
    const validation = gate(e, ".github/readiness.yml", "validation");
    expect(validation.status).toBe("fail");
    expect(validation.locations[0]).toMatchObject({ path: ".github/readiness.yml", line: 14 });
    expect(validation.reasons[0]).toMatch(/loosens the org policy/);
  });
});

describe("what the change touches", () => {
  it("touches both sides of a rename", async () => {
    const { memoryFacts } = await import("../../src/facts/memory.js");
    const { evaluate, loadEffectivePolicy } = await import("../../src/engine/evaluate.js");
    const base = headFiles({});
    const head = headFiles({ "models/churn/model.py": null, "models/retention/model.py": "weights = 1\n" });
    const facts = memoryFacts({
      base,
      head,
      changes: [
        { path: "models/retention/model.py", previousPath: "models/churn/model.py", status: "renamed" },
      ],
    });
    const builtins = () => undefined;
    const policy = await loadEffectivePolicy(facts, { builtins });
    if (!policy) throw new Error("policy");
    const e = await evaluate({ facts, policy, builtins, now: new Date("2026-11-21") });
    expect(e.artifacts.map((a) => a.root)).toEqual(["models/churn", "models/retention"]);
  });

  it("blocks, with the reason, when the change list is incomplete", async () => {
    const { memoryFacts } = await import("../../src/facts/memory.js");
    const { evaluate, loadEffectivePolicy } = await import("../../src/engine/evaluate.js");
    const facts = memoryFacts({ base: headFiles({}), head: headFiles({}), changes: [] });
    const incomplete = {
      ...facts,
      changedFiles: async () => ({ files: [], incomplete: "GitHub lists at most 3,000 files" }),
    };
    const builtins = () => undefined;
    const policy = await loadEffectivePolicy(incomplete, { builtins });
    if (!policy) throw new Error("policy");
    const e = await evaluate({ facts: incomplete, policy, builtins, now: new Date() });
    expect(e.verdict).toBe("blocked");
    expect(e.errors[0]?.message).toMatch(/3,000/);
  });
});

describe("who approves as an owner", () => {
  it("takes owners from the base manifest, so a PR cannot name its own approver", async () => {
    const head = headFiles({
      "models/churn/model.py": "weights = 2\n",
      "models/churn/eval/results.json": results(0.94),
      "models/churn/artifact.yml": `owners: ["@alice", "mallory"]\ndata_categories: [usage]\n`,
    });
    const e = await run({
      head,
      headSha: HEAD_SHA,
      people: fakePeople({
        teams,
        existing: ["alice", "mallory"],
        reviews: [
          { user: "carol", state: "APPROVED" },
          { user: "mallory", state: "APPROVED" },
        ],
      }),
    });
    expect(e.approvals.find((a) => a.rule === "Artifact owner")).toMatchObject({
      status: "pending",
      from: ["@alice"],
    });
  });

  it("invalidates an approval when ignored evidence changes after it", async () => {
    const e = await run({
      head: headFiles({
        "prompts/support/prompt.txt": "Be brief.\n",
        "prompts/support/eval/results.json": results(0.96),
      }),
      headSha: HEAD_SHA,
      people: fakePeople({
        teams,
        reviews: [{ user: "bob", state: "APPROVED", commitId: "old" }],
        changedSince: { old: ["prompts/support/ROLLBACK.md"] },
      }),
    });
    expect(e.approvals.find((a) => a.rule === "Artifact owner")?.reasons[0]).toMatch(
      /approved before prompts\/support\/ROLLBACK.md changed/,
    );
  });
});
