import { describe, expect, it } from "vitest";
import type { EffectivePolicy } from "../../src/engine/types.js";
import { policyDigest, resolvePolicy } from "../../src/policy/index.js";
import { at, builtins, yaml } from "./helpers.js";

const PATH = ".github/readiness.yml";
const org = (text: string) => ({ path: PATH, text, label: "acme/.github:.github/readiness.yml" });
const repo = (text: string) => ({ path: PATH, text });

const ORG = yaml`
  version: 1
  artifacts:
    model: { roots: ["models/*"], tier: high }
  gates:
    evaluation:
      thresholds: [{ metric: accuracy, min: 0.9 }]
`;

describe("resolvePolicy", () => {
  it("returns undefined when neither an org nor a repo policy exists", () => {
    expect(resolvePolicy({ builtins })).toBeUndefined();
  });

  it("uses the repo policy alone, with its digest and source", () => {
    // Typed as the engine's EffectivePolicy: the two shapes must stay the same.
    const result: EffectivePolicy | undefined = resolvePolicy({ repo: repo(ORG), builtins });
    expect(result).toMatchObject({ ok: true, sources: [PATH], warnings: [] });
    if (!result?.ok) throw new Error("expected ok");
    expect(result.digest).toBe(policyDigest(result.policy));
  });

  it("merges org and repo and names every source, builtin packs included", () => {
    const orgText = ORG.replace(
      "gates:\n  evaluation:\n",
      "gates:\n  evaluation:\n    tiers: [medium, high]\n",
    ).concat('overrides: { teams: ["@your-org/ai-governance"] }\n');
    const result = resolvePolicy({
      org: org(orgText),
      repo: repo(
        "version: 1\nextends: builtin:ai-production-readiness\ngates:\n  evaluation:\n    thresholds: [{ metric: accuracy, min: 0.95 }]\n",
      ),
      builtins,
    });
    if (!result?.ok) throw new Error(JSON.stringify(result));
    expect(result.sources).toEqual([
      "acme/.github:.github/readiness.yml",
      // The bare name is version 1, and the sources say so.
      "builtin:ai-production-readiness@1",
      PATH,
    ]);
    // The repo's list replaced the pack's pass_rate, and tightens the org's accuracy.
    expect(result.policy.gates.evaluation?.thresholds).toEqual([{ metric: "accuracy", min: 0.95 }]);
    expect(result.policy.gates.privacy?.reviewers).toEqual(["@your-org/privacy"]);
    expect(Object.keys(result.policy.artifacts)).toEqual(["model", "prompt", "dataset", "pipeline"]);
  });

  it("is a policy error, located in the repo file, when the repo loosens the org", () => {
    const text = "version: 1\ngates:\n  evaluation:\n    thresholds: [{ metric: accuracy, min: 0.85 }]\n";
    const result = resolvePolicy({ org: org(ORG), repo: repo(text), builtins });
    expect(result).toEqual({
      ok: false,
      sources: ["acme/.github:.github/readiness.yml", PATH],
      errors: [
        {
          path: PATH,
          ...at(text, "0.85"),
          message:
            "loosens the org policy: min 0.85 for 'accuracy' is below the org's 0.9 (.github/readiness.yml in acme/.github)",
        },
      ],
    });
  });

  it("reports errors from both files at once", () => {
    const result = resolvePolicy({
      org: org("version: 1\nenforcment: x\n"),
      repo: repo("version: 3\n"),
      builtins,
    });
    expect(result?.ok).toBe(false);
    if (result?.ok !== false) return;
    expect(result.errors.map((e) => `${e.path}:${e.line}`)).toEqual([`${PATH}:2`, `${PATH}:1`]);
  });

  it("adds repo kinds and roots in folders the org does not govern, after the org's kinds", () => {
    // `models-archive` shares the characters of `models` but not its folder.
    const text = yaml`
      version: 1
      artifacts:
        notebook: { roots: ["notebooks/*", "models-archive/*"], tier: low }
        model: { roots: ["models/*", "ml/models/*"] }
    `;
    const result = resolvePolicy({ org: org(ORG), repo: repo(text), builtins });
    if (!result?.ok) throw new Error(JSON.stringify(result));
    expect(result.policy.artifacts).toEqual({
      model: { roots: ["models/*", "ml/models/*"], tier: "high" },
      notebook: { roots: ["notebooks/*", "models-archive/*"], tier: "low" },
    });
    // Org kinds come first: the resolver takes the first kind whose root matches a folder.
    expect(Object.keys(result.policy.artifacts)).toEqual(["model", "notebook"]);
  });

  it("warns about repo globs that match nothing when given the repository's files", () => {
    const text = 'version: 1\nartifacts:\n  model: { roots: ["models/*", "modles/*"] }\n';
    const result = resolvePolicy({
      org: org(ORG),
      repo: repo(text),
      builtins,
      paths: ["models/churn/model.pkl", "README.md"],
    });
    if (!result?.ok) throw new Error(JSON.stringify(result));
    expect(result.warnings).toEqual([
      {
        path: PATH,
        ...at(text, '"modles/*"'),
        message: "roots glob 'modles/*' matches no directory in the repository",
      },
    ]);
  });

  it("does not warn about org globs: an org-wide policy names folders many repositories lack", () => {
    const result = resolvePolicy({ org: org(ORG), builtins, paths: ["src/index.ts"] });
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it("warns about a threshold whose kinds name no kind of the effective policy, at the kind", () => {
    const repoText = yaml`
      version: 1
      gates:
        evaluation:
          thresholds:
            - { metric: accuracy, min: 0.9 }
            - { metric: accuracy, min: 0.95, kinds: [modle] }
    `;
    const result = resolvePolicy({ org: org(ORG), repo: repo(repoText), builtins });
    if (!result?.ok) throw new Error(`expected ok: ${JSON.stringify(result)}`);
    expect(result.warnings).toEqual([
      {
        path: PATH,
        ...at(repoText, "modle"),
        message:
          "the threshold on 'accuracy' names kind 'modle', which no policy declares, so it applies to no artifact of that kind — did you mean 'model'?",
      },
    ]);
    // A kind the org declares is known to the repo's thresholds.
    const known = resolvePolicy({
      org: org(ORG),
      repo: repo(repoText.replace("modle", "model")),
      builtins,
    });
    expect(known).toMatchObject({ ok: true, warnings: [] });
  });
});
