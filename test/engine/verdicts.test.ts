import { describe, expect, it } from "vitest";
import { baseFiles, gate, headFiles, POLICY, results, run } from "./scenario.js";

const POLICY_WITHOUT_ADMINS = POLICY.replace('policy_admins: ["@acme/ai-governance"]\n', "");

describe("verdicts from the engine, offline", () => {
  it("is not_governed when nothing governed changed", async () => {
    const e = await run({ head: headFiles({ "src/app.py": "print('bye')\n" }) });
    expect(e.verdict).toBe("not_governed");
    expect(e.artifacts).toEqual([]);
  });

  it("is ready when a model change comes with fresh results and complete evidence; approvals are not_checked", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/model.py": "weights = 2\n",
        "models/churn/eval/results.json": results(0.94),
      }),
    });
    expect(e.verdict).toBe("ready");
    const model = e.artifacts.find((a) => a.root === "models/churn");
    expect(model?.tier).toBe("high");
    expect(model?.gates.map((g) => [g.gate, g.status])).toEqual([
      ["ownership", "pass"],
      ["evaluation", "pass"],
      ["privacy", "pass"],
      ["rollback", "pass"],
    ]);
    expect(gate(e, "models/churn", "privacy").notes.join(" ")).toMatch(/not checked offline.*petra/);
    expect(e.approvals.map((a) => [a.rule, a.status, a.missing])).toEqual([
      ["Compliance sign-off", "not_checked", 1],
      ["Artifact owner", "not_checked", 1],
    ]);
    expect(e.policy.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("fails a gate closed when reading its evidence throws, and blocks; the other gates still answer", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/model.py": "weights = 2\n",
        "models/churn/eval/results.json": results(0.94),
      }),
      wrap: (facts) => ({
        ...facts,
        readFile: (side, path) =>
          path.endsWith("ROLLBACK.md")
            ? Promise.reject(new Error("the disk is on fire"))
            : facts.readFile(side, path),
      }),
    });
    expect(e.verdict).toBe("blocked");
    const rollback = gate(e, "models/churn", "rollback");
    expect([rollback.status, rollback.reasons]).toEqual([
      "fail",
      ["the gate could not be checked: the disk is on fire"],
    ]);
    expect(gate(e, "models/churn", "privacy").status).toBe("pass");
  });

  it("blocks a new model that has no evidence at all, naming every missing file", async () => {
    const e = await run({ head: headFiles({ "models/fraud/model.py": "x = 1\n" }) });
    expect(e.verdict).toBe("blocked");
    const statuses = e.artifacts[0]?.gates.map((g) => `${g.gate}:${g.status}`);
    expect(statuses).toEqual(["ownership:fail", "evaluation:fail", "privacy:fail", "rollback:fail"]);
    expect(gate(e, "models/fraud", "ownership").reasons[0]).toBe("models/fraud/artifact.yml does not exist");
    expect(gate(e, "models/fraud", "evaluation").reasons[0]).toBe(
      "models/fraud/eval/results.json does not exist",
    );
    expect(gate(e, "models/fraud", "rollback").fixes[0]).toMatch(
      /Write a rollback plan at models\/fraud\/ROLLBACK.md/,
    );
  });

  it("skips evidence gates for a removed artifact but still applies approvals", async () => {
    const removeAll = Object.fromEntries(
      Object.keys(baseFiles())
        .filter((p) => p.startsWith("models/churn/"))
        .map((p) => [p, null]),
    );
    const e = await run({ head: headFiles(removeAll) });
    const model = e.artifacts.find((a) => a.root === "models/churn");
    expect(model?.removed).toBe(true);
    expect(model?.owners).toEqual(["@alice"]);
    expect(model?.gates.every((g) => g.status === "skipped")).toBe(true);
    expect(e.approvals.map((a) => a.rule)).toEqual(["Compliance sign-off", "Artifact owner"]);
    expect(e.verdict).toBe("ready");
  });

  it("ignores a README change in a prompt, but not a change to its ignored evidence", async () => {
    const readme = await run({ head: headFiles({ "prompts/support/README.md": "New words\n" }) });
    expect(readme.verdict).toBe("not_governed");
    const rollback = await run({ head: headFiles({ "prompts/support/ROLLBACK.md": "# Rollback\n" }) });
    expect(rollback.verdict).toBe("blocked");
    expect(gate(rollback, "prompts/support", "rollback").reasons).toContain(
      "prompts/support/ROLLBACK.md has no 'Steps' section",
    );
  });

  it("keeps the higher tier when the PR lowers the manifest's tier", async () => {
    const base = { ...baseFiles(), "prompts/support/artifact.yml": `owners: ["@bob"]\ntier: high\n` };
    const e = await run({
      base,
      head: headFiles({ "prompts/support/artifact.yml": `owners: ["@bob"]\ntier: low\n` }, base),
    });
    const prompt = e.artifacts.find((a) => a.root === "prompts/support");
    expect(prompt?.tier).toBe("high");
    expect(gate(e, "prompts/support", "privacy").status).toBe("fail");
  });

  it("is a policy_error, never a pass, when the base policy is invalid", async () => {
    const base = {
      ...baseFiles(),
      ".github/readiness.yml": "version: 1\nartifacts:\n  model: { roots: [models/*], tire: high }\n",
    };
    const e = await run({ base, head: headFiles({ "models/churn/model.py": "x\n" }, base) });
    expect(e.verdict).toBe("policy_error");
    expect(e.errors[0]).toMatchObject({ path: ".github/readiness.yml", line: 3 });
    expect(e.errors[0]?.message).toMatch(/tire.*did you mean 'tier'/);
  });
});

describe("engine fixes found in review", () => {
  it("refuses a kind named policy, which is reserved for policy edits", async () => {
    const base = {
      ...baseFiles(),
      ".github/readiness.yml": "version: 1\nartifacts:\n  policy: { roots: [x/*] }\n",
    };
    const e = await run({ base, head: headFiles({ "x/a/f": "1" }, base) });
    expect(e.verdict).toBe("policy_error");
    expect(e.errors[0]?.message).toMatch(/reserved/);
  });
});

describe("policy edits without policy_admins", () => {
  it("says that the edit needs a repository admin's approval, not checked offline", async () => {
    const policy = POLICY_WITHOUT_ADMINS;
    const base = { ...baseFiles(), ".github/readiness.yml": policy };
    const e = await run({ base, head: headFiles({ ".github/readiness.yml": `${policy}# tidy\n` }, base) });
    expect(gate(e, ".github/readiness.yml", "validation").notes).toContain(
      "the policy names no policy_admins, so this edit needs the approval of a repository admin who is neither its author nor a commit author",
    );
    expect(e.approvals.find((a) => a.rule === "Repository admin")).toMatchObject({
      status: "not_checked",
      missing: 1,
      from: ["a repository admin"],
    });
  });
});
