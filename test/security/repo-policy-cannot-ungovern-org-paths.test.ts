// Class 4 of issue 8, "tighten-only covers where artifacts are": a repository policy must never
// take a path the org governs out of the org's kinds, tier or gates. The attacks below are what a
// repository maintainer (or a PR that edits the repository's policy) would try.
import { describe, expect, it } from "vitest";
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import { memoryFacts } from "../../src/facts/memory.js";
import { resolvePolicy } from "../../src/policy/resolve.js";
import { gate, headFiles, NOW, POLICY, run } from "../engine/scenario.js";
import { at } from "../policy/helpers.js";

const PATH = ".github/readiness.yml";
const ORG_LABEL = "acme/.github:.github/readiness.yml";

/** The org governs every model, high tier, with evidence gates that a change without evidence fails. */
const ORG = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  evaluation:
    tiers: [medium, high]
    thresholds:
      - { metric: accuracy, min: 0.90 }
  rollback:
    tiers: [medium, high]
`;

/** The scenario's repo policy with one more kind, written as the attacker would. */
const withKind = (kind: string) => POLICY.replace("gates:\n", `${kind}\ngates:\n`);

const noBuiltins = () => undefined;

/** Resolves the repository policy `text` under the org policy `org`. */
const resolveRepoPolicy = (text: string, org = ORG) =>
  resolvePolicy({
    org: { path: PATH, text: org, label: ORG_LABEL },
    repo: { path: PATH, text },
    builtins: noBuiltins,
  });

/** The effective policy for a repository whose base holds `repoPolicy`, and the verdict of a PR. */
async function modelChangeWithoutEvidence(repoPolicy: string) {
  const base = headFiles({ [PATH]: repoPolicy });
  const head = headFiles({ [PATH]: repoPolicy, "models/fraud/model.onnx": "weights\n" });
  const facts = memoryFacts({ base, head });
  const org = { path: PATH, text: ORG, label: ORG_LABEL };
  const policy = await loadEffectivePolicy(facts, { builtins: noBuiltins, org });
  if (!policy) throw new Error("expected a governed repository");
  return evaluate({ facts, policy, builtins: noBuiltins, now: NOW, org });
}

describe("a repository policy cannot take the org's paths out of the org's kinds", () => {
  it("refuses a low-tier kind that ignores everything under the org's models folder", async () => {
    const repo = withKind('  scratch: { roots: ["models"], tier: low, ignore: ["**"] }');
    const e = await modelChangeWithoutEvidence(repo);
    // Before: the change resolved to `scratch`, ignored everything, and was not_governed.
    expect(e.verdict).toBe("policy_error");
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]).toMatchObject({ path: PATH, ...at(repo, '"models"]') });
    expect(e.errors[0]?.message).toMatch(
      /^loosens the org policy: kind 'scratch' root 'models' overlaps the org's root 'models\/\*' \(kind 'model'\)/,
    );
    // It says how to fix it.
    expect(e.errors[0]?.message).toMatch(/outside 'models'.*or tighten kind 'model'/);
  });

  it("refuses a kind whose root is '*', which would un-govern the whole repository", async () => {
    const repo = withKind('  everything: { roots: ["*"], tier: low, ignore: ["**"] }');
    const e = await modelChangeWithoutEvidence(repo);
    expect(e.verdict).toBe("policy_error");
    expect(e.errors[0]).toMatchObject({ path: PATH, ...at(repo, '"*"') });
    expect(e.errors[0]?.message).toMatch(/root '\*' overlaps the org's root 'models\/\*'/);
  });

  // Sampling a path such as `models/x` cannot decide overlap (`models/[a-m]*` misses it), so the
  // rule is on the folders before a root's first glob character: every spelling below is refused.
  const spellings = [
    "models/*",
    "models/fraud",
    "models/*/weights",
    "models/[a-m]*",
    "{models,tmp}",
    "m[o]dels",
    "mod?ls",
    "**/fraud",
    "!src",
    "@(models|tmp)",
    "./models",
    "models/\\*",
  ];
  for (const root of spellings) {
    it(`refuses a new kind with the root '${root}'`, () => {
      const text = `version: 1\nartifacts:\n  scratch: { roots: ["docs/*", ${JSON.stringify(root)}], tier: low }\n`;
      const result = resolveRepoPolicy(text);
      expect(result?.ok).toBe(false);
      if (result?.ok !== false) return;
      expect(result.errors).toEqual([
        expect.objectContaining({ path: PATH, ...at(text, JSON.stringify(root)) }),
      ]);
      expect(result.errors[0]?.message).toContain("the org's root 'models/*' (kind 'model')");
    });
  }

  it("refuses a root added to the org's own kind that regroups its artifacts", () => {
    const text = 'version: 1\nartifacts:\n  model: { roots: ["models/*", "models"] }\n';
    const result = resolveRepoPolicy(text);
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { path: PATH, ...at(text, '"models"]'), message: expect.stringMatching(/root 'models' overlaps/) },
      ],
    });
  });

  it("refuses a root added to another org kind, which would move models into it", () => {
    const org = `${ORG.replace("gates:", '  prompt: { roots: ["prompts/*"], tier: medium }\ngates:')}`;
    const text = 'version: 1\nartifacts:\n  prompt: { roots: ["prompts/*", "models"] }\n';
    const result = resolveRepoPolicy(text, org);
    expect(result?.ok).toBe(false);
    if (result?.ok !== false) return;
    expect(result.errors[0]?.message).toMatch(
      /kind 'prompt' root 'models' overlaps the org's root 'models\/\*' \(kind 'model'\)/,
    );
  });
});

describe("a repository policy cannot take the org's paths out of the org's gates", () => {
  it("refuses raising a kind's tier past the tiers the org's gates and approvals apply to", () => {
    // The org checks medium prompts for evaluation and approval; raising prompts to high would
    // make neither apply any more.
    const org = `version: 1
artifacts:
  prompt: { roots: ["prompts/*"], tier: medium }
gates:
  evaluation:
    tiers: [medium]
approvals:
  - { name: Prompt review, teams: ["@acme/prompt-review"], tiers: [medium] }
`;
    const text = 'version: 1\nartifacts:\n  prompt: { roots: ["prompts/*"], tier: high }\n';
    const result = resolveRepoPolicy(text, org);
    expect(result?.ok).toBe(false);
    if (result?.ok !== false) return;
    expect(result.errors.map((e) => [e.line, e.column, e.message.split(";")[0]])).toEqual([
      [
        at(text, "high").line,
        at(text, "high").column,
        "loosens the org policy: kind 'prompt' tier high would take its artifacts out of the evaluation gate, which applies to tier medium and not high",
      ],
      [
        at(text, "high").line,
        at(text, "high").column,
        "loosens the org policy: kind 'prompt' tier high would take its artifacts out of approval rule 'Prompt review', which applies to tier medium and not high",
      ],
    ]);
    // Widening the gate and the rule in the same file makes the raise a tightening.
    const widened = `${text}gates:\n  evaluation:\n    tiers: [medium, high]\napprovals:\n  - { name: Prompt review, teams: ["@acme/prompt-review"], tiers: [medium, high] }\n`;
    const ok = resolveRepoPolicy(widened, org);
    expect(ok).toMatchObject({ ok: true, policy: { artifacts: { prompt: { tier: "high" } } } });
  });
});

describe("the pull request that introduces such a policy fails its validation gate", () => {
  it("fails validation at the offending root, while the base policy still governs the model", async () => {
    const loose = withKind('  scratch: { roots: ["models"], tier: low, ignore: ["**"] }');
    const e = await run({
      org: ORG,
      head: headFiles({ [PATH]: loose, "models/fraud/model.onnx": "weights\n" }),
    });
    const validation = gate(e, PATH, "validation");
    expect(validation.status).toBe("fail");
    expect(validation.locations[0]).toMatchObject({ path: PATH, ...at(loose, '"models"]') });
    expect(validation.reasons[0]).toMatch(
      /kind 'scratch' root 'models' overlaps the org's root 'models\/\*'/,
    );
    // The model change is judged by the base policy, where it is a high-tier model.
    expect(e.artifacts.find((a) => a.root === "models/fraud")).toMatchObject({ kind: "model", tier: "high" });
    expect(e.verdict).toBe("blocked");
  });
});
