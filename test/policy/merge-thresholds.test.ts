// Thresholds with `kinds` and `tiers` filters under the tighten-only merge: a repo threshold with
// filters adds a requirement for the artifacts it names; an org threshold is never dropped or
// narrowed, so a narrower repo threshold on the same metric cannot stand in for it.
import { describe, expect, it } from "vitest";
import { mergeTightenOnly } from "../../src/policy/index.js";
import { at, loaded, yaml } from "./helpers.js";

const ORG = yaml`
  version: 1
  artifacts:
    model: { roots: ["models/*"], tier: medium }
    prompt: { roots: ["prompts/*"], tier: medium }
  gates:
    evaluation:
      thresholds:
        - { metric: accuracy, min: 0.9, kinds: [model] }
        - { metric: pass_rate, min: 0.95, kinds: [prompt], tiers: [medium] }
`;

function merge(repoText: string, orgText = ORG) {
  return mergeTightenOnly(
    { ...loaded(orgText), label: "acme/.github:.github/readiness.yml" },
    loaded(repoText),
  );
}

const repoWith = (...thresholds: string[]) =>
  `version: 1\ngates:\n  evaluation:\n    thresholds:\n${thresholds.map((t) => `      - ${t}\n`).join("")}`;

describe("thresholds with filters: loosening", () => {
  it.each([
    {
      what: "a narrower repo threshold does not replace the org's",
      repo: repoWith(
        "{ metric: accuracy, min: 0.95, kinds: [model], tiers: [high] }",
        "{ metric: pass_rate, min: 0.95, kinds: [prompt], tiers: [medium] }",
      ),
      needle: "{ metric: accuracy",
      message:
        /the thresholds on 'accuracy' no longer reach every artifact the org's 'accuracy' \(kind model\) does/,
    },
    {
      what: "a threshold moved to other kinds drops the org's",
      repo: repoWith(
        "{ metric: accuracy, min: 0.9, kinds: [prompt] }",
        "{ metric: pass_rate, min: 0.95, kinds: [prompt], tiers: [medium] }",
      ),
      needle: "{ metric: accuracy",
      message: /no longer reach every artifact the org's 'accuracy' \(kind model\) does/,
    },
    {
      what: "a lower min with the org's filters",
      repo: repoWith(
        "{ metric: accuracy, min: 0.8, kinds: [model] }",
        "{ metric: pass_rate, min: 0.95, kinds: [prompt], tiers: [medium] }",
      ),
      needle: "0.8",
      message: /min 0\.8 for 'accuracy' \(kind model\) is below the org's 0\.9/,
    },
    {
      what: "leaving out the org's filtered threshold",
      repo: repoWith("{ metric: accuracy, min: 0.9, kinds: [model] }"),
      needle: "- { metric",
      message: /removes the org's threshold on 'pass_rate' \(kind prompt; tier medium\) \(min 0\.95\)/,
    },
  ])("$what", ({ repo, needle, message }) => {
    const { errors } = merge(repo);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(at(repo, needle));
    expect(errors[0]?.message).toMatch(message);
  });

  it("raising a kind's tier out of an org threshold's tiers is a loosening", () => {
    const repo = 'version: 1\nartifacts:\n  prompt: { roots: ["prompts/*"], tier: high }\n';
    const { errors } = merge(repo);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(at(repo, "high"));
    expect(errors[0]?.message).toMatch(
      /kind 'prompt' tier high would take its artifacts out of the threshold on 'pass_rate' \(kind prompt; tier medium\)/,
    );
  });

  it("raising it is fine when the repo holds the new tier to the same bound", () => {
    const repo = yaml`
      version: 1
      artifacts:
        prompt: { roots: ["prompts/*"], tier: high }
      gates:
        evaluation:
          thresholds:
            - { metric: accuracy, min: 0.9, kinds: [model] }
            - { metric: pass_rate, min: 0.95, kinds: [prompt] }
    `;
    expect(merge(repo).errors).toEqual([]);
  });
});

describe("thresholds with filters: tightening", () => {
  it("keeps the org's thresholds and adds the repo's filtered ones", () => {
    const repo = repoWith(
      "{ metric: accuracy, min: 0.9 }",
      "{ metric: pass_rate, min: 0.97, kinds: [prompt] }",
      "{ metric: accuracy, min: 0.95, kinds: [model], tiers: [high] }",
    );
    const { policy, errors } = merge(repo);
    expect(errors).toEqual([]);
    expect(policy.gates.evaluation?.thresholds).toEqual([
      { metric: "accuracy", min: 0.9, kinds: ["model"] },
      { metric: "pass_rate", min: 0.95, kinds: ["prompt"], tiers: ["medium"] },
      { metric: "accuracy", min: 0.9 },
      { metric: "pass_rate", min: 0.97, kinds: ["prompt"] },
      { metric: "accuracy", min: 0.95, kinds: ["model"], tiers: ["high"] },
    ]);
  });

  it("folds a repo threshold with the same metric and filters into the org's, the tighter bound winning", () => {
    const repo = repoWith(
      "{ metric: Accuracy, min: 0.93, kinds: [model] }",
      "{ metric: pass_rate, min: 0.95, tiers: [medium], kinds: [prompt] }",
    );
    const { policy, errors } = merge(repo);
    expect(errors).toEqual([]);
    expect(policy.gates.evaluation?.thresholds).toEqual([
      { metric: "accuracy", min: 0.93, kinds: ["model"] },
      { metric: "pass_rate", min: 0.95, kinds: ["prompt"], tiers: ["medium"] },
    ]);
  });

  it("an unfiltered org threshold is kept by an unfiltered repo one, not by per-kind ones", () => {
    const org = "version: 1\ngates:\n  evaluation:\n    thresholds: [{ metric: accuracy, min: 0.9 }]\n";
    const narrower = repoWith("{ metric: accuracy, min: 0.99, kinds: [model] }");
    expect(merge(narrower, org).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/no longer reach every artifact the org's 'accuracy' does/),
    ]);
    const both = repoWith(
      "{ metric: accuracy, min: 0.9 }",
      "{ metric: accuracy, min: 0.99, kinds: [model] }",
    );
    expect(merge(both, org).errors).toEqual([]);
  });
});
