import { describe, expect, it } from "vitest";
import { baseFiles, gate, headFiles, POLICY, PRIVACY, ROLLBACK, results, run } from "./scenario.js";

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

  it("fails a threshold with the value, the minimum and the line of the metric", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/model.py": "w = 3\n",
        "models/churn/eval/results.json": results(0.87),
      }),
    });
    const evaluation = gate(e, "models/churn", "evaluation");
    expect(e.verdict).toBe("blocked");
    expect(evaluation.reasons).toContain("accuracy 0.87 is below the minimum 0.90");
    expect(evaluation.locations).toContainEqual({ path: "models/churn/eval/results.json", line: 3 });
  });

  it("fails a regression beyond the tolerance even when the threshold holds", async () => {
    const base = { ...baseFiles(), "models/churn/eval/results.json": results(0.96) };
    const e = await run({
      base,
      head: headFiles(
        { "models/churn/model.py": "w = 4\n", "models/churn/eval/results.json": results(0.93) },
        base,
      ),
    });
    expect(gate(e, "models/churn", "evaluation").reasons).toEqual([
      "accuracy regressed from 0.96 on the base branch to 0.93, more than the tolerance 0.01",
    ]);
  });

  it("fails same_pr binding when the model changes without new results", async () => {
    const e = await run({ head: headFiles({ "models/churn/model.py": "w = 5\n" }) });
    const evaluation = gate(e, "models/churn", "evaluation");
    expect(evaluation.status).toBe("fail");
    expect(evaluation.reasons[0]).toBe(
      "models/churn/model.py changed but models/churn/eval/results.json did not",
    );
  });

  it("lists the metrics found when a threshold names one the results do not report", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/model.py": "w = 6\n",
        "models/churn/eval/results.json": `{"metrics": {"acc": 0.99, "f1": 0.9}}`,
      }),
    });
    expect(gate(e, "models/churn", "evaluation").reasons[0]).toMatch(
      /does not report 'accuracy'; it reports acc, f1/,
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

  it("fails an evidence path that leaves the artifact", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/artifact.yml": `owners: ["@alice"]\nevidence: { rollback: ../../ROLLBACK.md }\n`,
      }),
    });
    expect(gate(e, "models/churn", "rollback").status).toBe("fail");
    expect(gate(e, "models/churn", "rollback").reasons[0]).toMatch(
      /rollback evidence path '..\/..\/ROLLBACK.md'/,
    );
  });

  it("fails evidence that is too large, not UTF-8 or empty, without a crash", async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const e = await run({
      head: headFiles({
        "models/churn/model.py": "w\n",
        "models/churn/eval/results.json": big,
        "models/churn/ROLLBACK.md": new Uint8Array([0xff, 0xfe, 0x41]),
        "models/churn/privacy-review.yml": "",
      }),
    });
    expect(gate(e, "models/churn", "evaluation").reasons[0]).toMatch(/is too large to read \(10485761 bytes/);
    expect(gate(e, "models/churn", "rollback").reasons[0]).toMatch(/not valid UTF-8/);
    expect(gate(e, "models/churn", "privacy").reasons[0]).toBe("models/churn/privacy-review.yml is empty");
  });

  it("fails an old drill and an expired privacy review", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/ROLLBACK.md": ROLLBACK.replace("2026-10-01", "2026-01-01"),
        "models/churn/privacy-review.yml": `${PRIVACY}expires_at: 2026-11-01\n`,
      }),
    });
    expect(gate(e, "models/churn", "rollback").reasons[0]).toBe(
      "the last rollback drill (2026-01-01) is 324 days old, more than the 90 allowed",
    );
    expect(gate(e, "models/churn", "privacy").reasons).toContain("the privacy review expired on 2026-11-01");
  });

  it("asks for a new review when the manifest adds a data category", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/artifact.yml": `owners: ["@alice"]\ndata_categories: [usage, health]\n`,
      }),
    });
    expect(gate(e, "models/churn", "privacy").reasons).toEqual([
      "the data category 'health' is not covered by the privacy review",
    ]);
  });

  it("fails codeowners coverage for a file outside every CODEOWNERS rule", async () => {
    const base = { ...baseFiles(), ".github/CODEOWNERS": "/prompts/ @acme/ml\n" };
    const e = await run({ base, head: headFiles({ "models/churn/eval/results.json": results(0.95) }, base) });
    expect(gate(e, "models/churn", "ownership").reasons).toEqual([
      "no CODEOWNERS owner for models/churn/eval/results.json",
    ]);
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
  it("reports CODEOWNERS lines GitHub ignores, and an unreadable CODEOWNERS as the reason", async () => {
    const base = { ...baseFiles(), ".github/CODEOWNERS": "/models/ @acme/ml\n!/models/x @acme/ml\n" };
    const e = await run({ base, head: headFiles({ "models/churn/eval/results.json": results(0.95) }, base) });
    expect(gate(e, "models/churn", "ownership").notes.join("\n")).toMatch(
      /\.github\/CODEOWNERS:2:\d+: .*GitHub ignores this line/,
    );
    const binary = { ...baseFiles(), ".github/CODEOWNERS": new Uint8Array([0xff, 0xfe]) };
    const broken = await run({
      base: binary,
      head: headFiles({ "models/churn/eval/results.json": results(0.95) }, binary),
    });
    expect(gate(broken, "models/churn", "ownership").reasons).toEqual([
      ".github/CODEOWNERS: the file is not valid UTF-8 text",
    ]);
  });

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
