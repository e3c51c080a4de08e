// The other side of the attack tests in test/security: what the defences must leave alone, so
// that closing a bypass does not block ordinary changes.
import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { fakePeople, HEAD_SHA } from "./people.js";
import { baseFiles, gate, headFiles, POLICY, results, run } from "./scenario.js";

const teams = { "@acme/ai-compliance": ["carol"], "@acme/privacy": ["petra"] };
const approved = () =>
  fakePeople({
    teams,
    admins: ["ada"],
    reviews: [
      { user: "carol", state: "APPROVED" },
      { user: "alice", state: "APPROVED" },
      { user: "ada", state: "APPROVED" },
    ],
  });

describe("what the defences leave alone", () => {
  it("lets a PR that replaces a link with the file itself through to the evidence gates", async () => {
    const base = {
      ...baseFiles(),
      "models/churn/weights.bin": { symlink: "../../shared/weights.bin" },
      "shared/weights.bin": "v1",
    };
    const e = await run({
      base,
      head: headFiles(
        {
          "models/churn/weights.bin": "v2",
          "models/churn/eval/results.json": results(0.95),
          "shared/weights.bin": null,
        },
        base,
      ),
    });
    expect(e.verdict).toBe("ready");
    expect(e.artifacts[0]?.gates.map((g) => g.gate)).not.toContain("files");
  });

  it("keeps the shortest matching ancestor as the root of files below it", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/weights/v2.bin": "w",
        "models/churn/eval/results.json": results(0.95),
      }),
    });
    expect(e.artifacts.map((a) => a.root)).toEqual(["models/churn"]);
  });

  it("matches a digest of the content when no content file is disguised as evidence", async () => {
    const policy = POLICY.replace("bind: same_pr", "bind: digest");
    const before = { ...baseFiles(), ".github/readiness.yml": policy };
    const prompt = "Be kind.\n";
    const evaluated = { files: { "prompt.txt": gitBlobSha(new TextEncoder().encode(prompt)) } };
    const e = await run({
      base: before,
      head: headFiles(
        {
          "prompts/support/prompt.txt": prompt,
          "prompts/support/eval/results.json": JSON.stringify({ metrics: { accuracy: 0.95 }, evaluated }),
        },
        before,
      ),
    });
    expect(gate(e, "prompts/support", "evaluation").status).toBe("pass");
  });

  it("trusts the privacy record the base keeps, unchanged, without a new approval", async () => {
    const e = await run({
      headSha: HEAD_SHA,
      people: approved(),
      head: headFiles({
        "models/churn/model.py": "weights = 2\n",
        "models/churn/eval/results.json": results(0.94),
      }),
    });
    expect(gate(e, "models/churn", "privacy").status).toBe("pass");
    expect(e.verdict).toBe("ready");
  });

  it("shows no manifest row for an artifact whose manifest is fine", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/artifact.yml": `owners: ["@alice"]\ndata_categories: [usage]\n# tidy\n`,
      }),
    });
    expect(e.artifacts[0]?.gates.map((g) => g.gate)).toEqual([
      "ownership",
      "evaluation",
      "privacy",
      "rollback",
    ]);
    expect(e.verdict).toBe("ready");
  });

  it("asks policy_admins, not any repository admin, when the policy names them", async () => {
    const e = await run({
      head: headFiles({ ".github/readiness.yml": "version: 1\n" }),
      headSha: HEAD_SHA,
      people: approved(),
    });
    expect(e.approvals.find((a) => a.rule === "Repository admin")).toBeUndefined();
    expect(e.approvals.find((a) => a.rule === "Policy admins")).toMatchObject({
      status: "pending",
      approvedBy: [],
    });
  });

  it("leaves CODEOWNERS ungoverned when the policy does not use it", async () => {
    const policy = POLICY.replace("  ownership:\n    codeowners: true\n", "  ownership: {}\n");
    const base = { ...baseFiles(), ".github/readiness.yml": policy };
    const e = await run({ base, head: headFiles({ ".github/CODEOWNERS": "* @anyone\n" }, base) });
    expect(e.verdict).toBe("not_governed");
  });
});
