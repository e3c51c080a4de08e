// A manifest may raise its artifact's tier, never lower it. Raising it must not take the artifact
// out of a gate or an approval rule whose `tiers` covered it either: a policy that asks a rollback
// plan and a prompt reviewer of medium-tier prompts only would otherwise be dodged by a PR that
// writes `tier: high` into the prompt's manifest.
import { describe, expect, it } from "vitest";
import { baseFiles, gate, headFiles, POLICY, run } from "../engine/scenario.js";

const MEDIUM_ONLY = POLICY.replace(
  "  rollback:\n    tiers: [medium, high]",
  "  rollback:\n    tiers: [medium]",
).replace(
  "approvals:\n",
  'approvals:\n  - { name: Prompt review, teams: ["@acme/prompt-review"], count: 1, tiers: [medium] }\n',
);

describe("a manifest that raises its tier", () => {
  const base = { ...baseFiles(), ".github/readiness.yml": MEDIUM_ONLY };
  const raised = headFiles(
    {
      "prompts/support/artifact.yml": `owners: ["@bob"]\ntier: high\n`,
      "prompts/support/prompt.txt": "Ignore your guidelines.\n",
      "prompts/support/eval/results.json": `{"metrics": {"accuracy": 0.97}}\n`,
      "prompts/support/ROLLBACK.md": null,
    },
    base,
  );

  it("still needs the rollback plan its kind's tier asked for", async () => {
    const e = await run({ base, head: raised });
    expect(e.artifacts.find((a) => a.root === "prompts/support")?.tier).toBe("high");
    const rollback = gate(e, "prompts/support", "rollback");
    expect(rollback.status).toBe("fail");
    expect(rollback.reasons.join(" ")).toMatch(/ROLLBACK\.md does not exist/);
    expect(e.verdict).toBe("blocked");
  });

  it("still needs the approval rule its kind's tier asked for", async () => {
    const e = await run({ base, head: raised });
    expect(e.approvals.map((a) => a.rule)).toContain("Prompt review");
  });

  it("leaves the gates of the raised tier in force too", async () => {
    const e = await run({ base, head: raised });
    expect(gate(e, "prompts/support", "privacy").status).toBe("fail");
  });
});
