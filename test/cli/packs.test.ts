import { describe, expect, it } from "vitest";
import { readBuiltinPack } from "../../src/assets/packs.js";
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import { memoryFacts } from "../../src/facts/memory.js";
import { loadPolicy } from "../../src/policy/index.js";

describe("readBuiltinPack", () => {
  it("reads a shipped pack from policies/", () => {
    expect(readBuiltinPack("ai-production-readiness")).toMatch(/^version: 1$/m);
  });

  it("returns undefined for unknown packs and names that could leave policies/", () => {
    expect(readBuiltinPack("no-such-pack")).toBeUndefined();
    expect(readBuiltinPack("ai-production-readiness@9")).toBeUndefined();
    for (const name of ["../package", "ai-production-readiness.yml", "AI", "", "a/b", "x@../y", "x@0"]) {
      expect(readBuiltinPack(name)).toBeUndefined();
    }
  });
});

const load = (extendsValue: string) => {
  const loaded = loadPolicy(
    ".github/readiness.yml",
    `version: 1\nextends: ${extendsValue}\n`,
    readBuiltinPack,
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const { extends: _, ...policy } = loaded.policy;
  return policy;
};

describe("builtin:ai-production-readiness versions", () => {
  it("the bare name and @1 are the same pack, without document gates", () => {
    expect(load("builtin:ai-production-readiness@1")).toEqual(load("builtin:ai-production-readiness"));
    expect(load("builtin:ai-production-readiness").gates.documents).toBeUndefined();
  });

  it("@2 is @1 unchanged, plus the monitoring, success criteria and human oversight documents for tier high", () => {
    const { gates: v2Gates, ...v2 } = load("builtin:ai-production-readiness@2");
    const { gates: v1Gates, ...v1 } = load("builtin:ai-production-readiness");
    const { documents, ...builtin } = v2Gates;
    expect(v2).toEqual(v1);
    expect(builtin).toEqual(v1Gates);
    expect(documents).toEqual({
      monitoring: {
        tiers: ["high"],
        file: "MONITORING.md",
        sections: ["Metrics", "Drift detection", "Alerts", "Owner", "Last reviewed"],
        dated_by: "Last reviewed",
        max_age_days: 180,
      },
      success_criteria: {
        tiers: ["high"],
        file: "SUCCESS_CRITERIA.md",
        sections: ["KPI", "Baseline", "Target", "Evaluation window", "Owner"],
      },
      human_oversight: {
        tiers: ["high"],
        file: "HUMAN_OVERSIGHT.md",
        sections: [
          "Decisions made alone",
          "Decisions a person reviews",
          "Decisions a person makes",
          "Escalation path",
        ],
      },
    });
  });

  it("each @2 document gate cites the NIST AI RMF, EU AI Act and ISO/IEC 42001 controls it serves", () => {
    const text = readBuiltinPack("ai-production-readiness@2") ?? "";
    for (const gate of ["monitoring", "success_criteria", "human_oversight"]) {
      const comments =
        text
          .slice(0, text.indexOf(`    ${gate}:\n`))
          .split("\n\n")
          .at(-1) ?? "";
      expect(comments).toMatch(/NIST AI RMF [A-Z]+ \d/);
      expect(comments).toMatch(/EU AI Act Art\. \d/);
      expect(comments).toMatch(/ISO\/IEC 42001\s+(?:#\s+)?A\.\d/);
    }
  });

  it("an unknown version is a located error naming the packs there are", () => {
    const loaded = loadPolicy(
      ".github/readiness.yml",
      "version: 1\nextends: builtin:ai-production-readiness@3\n",
      readBuiltinPack,
    );
    expect(loaded.ok ? [] : loaded.errors).toEqual([
      {
        path: ".github/readiness.yml",
        line: 2,
        column: 10,
        message: expect.stringMatching(/^unknown policy pack 'builtin:ai-production-readiness@3'/),
      },
    ]);
  });

  it("the check's policy sources carry the pack's version", async () => {
    const policyText = "version: 1\nextends: builtin:ai-production-readiness@2\n";
    const facts = memoryFacts({ base: { ".github/readiness.yml": policyText }, head: {} });
    const policy = await loadEffectivePolicy(facts, { builtins: readBuiltinPack });
    const result = await evaluate({
      facts,
      policy: policy as NonNullable<typeof policy>,
      builtins: readBuiltinPack,
      now: new Date("2026-11-21T12:00:00Z"),
    });
    expect(result.policy.sources).toEqual(["builtin:ai-production-readiness@2", ".github/readiness.yml"]);
  });
});
