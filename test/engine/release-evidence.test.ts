// Where the release report points for each gate whose evidence can expire: the privacy review, the
// rollback plan and every document gate, at the path the manifest names or the policy's default.
import { describe, expect, it } from "vitest";
import { evidenceReferences } from "../../src/engine/release-evidence.js";
import type { Manifest } from "../../src/evidence/types.js";
import { type PolicyInput, policySchema } from "../../src/policy/schema.js";

const policy = (gates: PolicyInput["gates"]) => policySchema.parse({ version: 1, gates });

const DOCUMENTS: PolicyInput["gates"] = {
  rollback: { file: "ROLLBACK.md", sections: ["Steps"] },
  documents: {
    monitoring: { file: "MONITORING.md", sections: ["Alerts"] },
    success_criteria: { file: "success.yml", keys: ["kpi"] },
  },
};

function manifest(evidence: Record<string, string>): Manifest {
  return { owners: ["@alice"], data_categories: [], evidence };
}

describe("the evidence references of an artifact at the release commit", () => {
  it("names every document gate by its name, in the policy's order, beside the builtin gates", () => {
    const references = evidenceReferences(policy(DOCUMENTS), { root: "models/churn" });
    expect(Object.entries(references)).toEqual([
      ["rollback", "models/churn/ROLLBACK.md"],
      ["monitoring", "models/churn/MONITORING.md"],
      ["success_criteria", "models/churn/success.yml"],
    ]);
  });

  it("follows the manifest's evidence paths, and says none where a path leaves the artifact", () => {
    const references = evidenceReferences(policy(DOCUMENTS), {
      root: "models/churn",
      manifest: manifest({ monitoring: "ops/MONITORING.md", success_criteria: "../../secrets.yml" }),
    });
    expect(references).toEqual({
      rollback: "models/churn/ROLLBACK.md",
      monitoring: "models/churn/ops/MONITORING.md",
      success_criteria: null,
    });
  });

  it("names nothing for a policy without evidence gates", () => {
    expect(evidenceReferences(policy({}), { root: "models/churn" })).toEqual({});
  });
});
