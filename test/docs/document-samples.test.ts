// The sample documents in examples/documents/ pass the document gates of
// builtin:ai-production-readiness@2, as examples/documents/README.md says: a pull request that
// touches a high-tier model with the three samples beside it shows each gate, by its name, as pass.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readBuiltinPack } from "../../src/assets/packs.js";
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import { memoryFacts } from "../../src/facts/memory.js";

const sample = (name: string) =>
  readFileSync(new URL(`../../examples/documents/${name}`, import.meta.url), "utf8");
const SAMPLES = {
  monitoring: "MONITORING.md",
  success_criteria: "SUCCESS_CRITERIA.md",
  human_oversight: "HUMAN_OVERSIGHT.md",
};
const POLICY = "version: 1\nextends: builtin:ai-production-readiness@2\n";
/** Within 180 days of the monitoring sample's "Last reviewed" date. */
const NOW = new Date("2026-12-05T12:00:00Z");

async function documentGates(documents: Record<string, string>) {
  const base = {
    ".github/readiness.yml": POLICY,
    "models/churn/artifact.yml": "owners: ['@alice']\n",
    "models/churn/train.py": "LEARNING_RATE = 0.01\n",
  };
  const head = { ...base, "models/churn/train.py": "LEARNING_RATE = 0.02\n", ...documents };
  const facts = memoryFacts({ base, head });
  const policy = await loadEffectivePolicy(facts, { builtins: readBuiltinPack });
  const result = await evaluate({
    facts,
    policy: policy as NonNullable<typeof policy>,
    builtins: readBuiltinPack,
    now: NOW,
  });
  const gates = result.artifacts.find((a) => a.root === "models/churn")?.gates ?? [];
  return Object.fromEntries(
    gates.filter((g) => g.gate in SAMPLES).map((g) => [g.gate, { status: g.status, reasons: g.reasons }]),
  );
}

describe("examples/documents", () => {
  it("each sample passes its document gate of builtin:ai-production-readiness@2", async () => {
    const documents = Object.fromEntries(
      Object.values(SAMPLES).map((file) => [`models/churn/${file}`, sample(file)]),
    );
    expect(await documentGates(documents)).toEqual({
      monitoring: { status: "pass", reasons: [] },
      success_criteria: { status: "pass", reasons: [] },
      human_oversight: { status: "pass", reasons: [] },
    });
  });

  it("without them, each gate fails by its name, saying which file to write", async () => {
    expect(await documentGates({})).toEqual({
      monitoring: { status: "fail", reasons: ["models/churn/MONITORING.md does not exist"] },
      success_criteria: { status: "fail", reasons: ["models/churn/SUCCESS_CRITERIA.md does not exist"] },
      human_oversight: { status: "fail", reasons: ["models/churn/HUMAN_OVERSIGHT.md does not exist"] },
    });
  });
});
