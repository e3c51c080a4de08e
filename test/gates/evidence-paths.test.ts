import { describe, expect, it } from "vitest";
import { memo } from "../../src/facts/memo.js";
import { isResultsPath } from "../../src/gates/eval-evidence.js";
import {
  appliedEvidenceFiles,
  baseEvidencePath,
  evidenceFiles,
  evidenceMatcher,
} from "../../src/gates/evidence-paths.js";
import { policySchema } from "../../src/policy/schema.js";
import { baseFiles, gate, headFiles, POLICY, results, run } from "../engine/scenario.js";
import { artifactAt } from "./input.js";

const policy = policySchema.parse({
  version: 1,
  gates: {
    evaluation: { tiers: ["medium", "high"] },
    privacy: { tiers: ["high"], reviewers: ["@acme/privacy"] },
    rollback: {},
  },
});
const scope = () => ({ policy, memo: memo() });
const manifest = (evidence: Record<string, string>) => ({ owners: ["@bob"], data_categories: [], evidence });

describe("evidence paths", () => {
  it("leaves out of the content only the evidence of gates the tier gets", () => {
    const prompt = artifactAt("prompts/a", { tier: "medium", manifest: manifest({ privacy: "prompt.txt" }) });
    expect([...evidenceFiles(scope(), prompt)].sort()).toEqual([
      "prompts/a/ROLLBACK.md",
      "prompts/a/artifact.yml",
      "prompts/a/eval/evaluated.yml",
      "prompts/a/eval/results.json",
      "prompts/a/prompt.txt",
    ]);
    expect([...appliedEvidenceFiles(scope(), prompt)].sort()).toEqual([
      "prompts/a/ROLLBACK.md",
      "prompts/a/artifact.yml",
      // Beside the results, the evaluated: block of results that cannot hold it (bind: digest).
      "prompts/a/eval/evaluated.yml",
      "prompts/a/eval/results.json",
    ]);
  });

  it("counts document gates' files as evidence, at the manifest's path where it moves one", () => {
    const withDocuments = policySchema.parse({
      version: 1,
      gates: {
        documents: {
          monitoring: { tiers: ["high"], file: "MONITORING.md", sections: ["Metrics"] },
          data_lineage: { file: "lineage.yml", keys: ["sources"] },
        },
      },
    });
    const prompt = artifactAt("prompts/a", {
      tier: "medium",
      manifest: manifest({ data_lineage: "docs/lineage.yml" }),
    });
    const documents = { policy: withDocuments, memo: memo() };
    expect([...evidenceFiles(documents, prompt)].sort()).toEqual([
      "prompts/a/MONITORING.md",
      "prompts/a/artifact.yml",
      "prompts/a/docs/lineage.yml",
    ]);
    // The monitoring gate does not reach tier medium, so its file can be the prompt's content.
    expect([...appliedEvidenceFiles(documents, prompt)].sort()).toEqual([
      "prompts/a/artifact.yml",
      "prompts/a/docs/lineage.yml",
    ]);
  });

  it("compares with the base at the base manifest's path, whatever the head's says", () => {
    const moved = artifactAt("models/a", {
      manifest: manifest({ evaluation: "eval/v2.json" }),
      baseManifest: manifest({ evaluation: "eval/v1.json" }),
    });
    expect(baseEvidencePath(moved, "evaluation", "eval/results.json")).toBe("models/a/eval/v1.json");
    const fresh = artifactAt("models/a", { manifest: manifest({ evaluation: "eval/v2.json" }) });
    expect(baseEvidencePath(fresh, "evaluation", "eval/results.json")).toBe("models/a/eval/results.json");
  });

  it("finds a document gate named constructor at its own file, not Object.prototype's", () => {
    const withConstructor = policySchema.parse({
      version: 1,
      gates: { documents: { constructor: { file: "CONSTRUCTOR.md", sections: ["Owner"] } } },
    });
    const prompt = artifactAt("prompts/a", { manifest: manifest({}), baseManifest: manifest({}) });
    const documents = { policy: withConstructor, memo: memo() };
    expect([...evidenceFiles(documents, prompt)].sort()).toEqual([
      "prompts/a/CONSTRUCTOR.md",
      "prompts/a/artifact.yml",
    ]);
    expect(baseEvidencePath(prompt, "constructor", "CONSTRUCTOR.md")).toBe("prompts/a/CONSTRUCTOR.md");
  });

  it("engine: a document gate named constructor is judged like any other, and the evaluation completes", async () => {
    // The last gate of POLICY is followed by its approvals: the document gate goes in between.
    const documents = '  documents:\n    constructor: { file: CONSTRUCTOR.md, sections: ["Owner"] }\n';
    const policy = POLICY.replace("approvals:", `${documents}approvals:`);
    const base = {
      ...baseFiles(),
      ".github/readiness.yml": policy,
      "models/churn/CONSTRUCTOR.md": "# Constructor\n\n## Owner\n@alice\n",
    };
    const e = await run({
      base,
      head: headFiles(
        { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.94) },
        base,
      ),
    });
    expect(gate(e, "models/churn", "constructor").status).toBe("pass");
    expect(gate(e, "models/churn", "evaluation").status).toBe("pass");
  });

  it("a results folder holds only the *.yaml directly in it: everything else under it is not evidence", () => {
    const folder = "models/a/src/";
    const isEvidence = evidenceMatcher(["models/a/artifact.yml", folder]);
    const evidence = [`${folder}r.yaml`, `${folder}hle.YML`, "models/a/artifact.yml"];
    const notEvidence = [
      `${folder}model.py`,
      `${folder}README.md`,
      `${folder}nested/r.yaml`,
      `${folder}nested/model.py`,
      "models/a/src",
      "models/a/r.yaml",
    ];
    for (const path of evidence) {
      expect(isEvidence(path), path).toBe(true);
      expect(isResultsPath(folder, path) || path === "models/a/artifact.yml", path).toBe(true);
    }
    for (const path of notEvidence) {
      expect(isEvidence(path), path).toBe(false);
      expect(isResultsPath(folder, path), path).toBe(false);
    }
  });
});
