import { describe, expect, it } from "vitest";
import { mergeTightenOnly } from "../../src/policy/index.js";
import { at, loaded, yaml } from "./helpers.js";

const ORG = yaml`
  version: 1
  enforcement: enforced
  policy_admins: ["@acme/ai-governance"]
  artifacts:
    model: { roots: ["models/*"], tier: high }
    prompt: { roots: ["prompts/*"], tier: medium, ignore: ["**/*.md"] }
  gates:
    ownership:
      codeowners: true
    evaluation:
      tiers: [medium, high]
      bind: same_pr
      thresholds:
        - { metric: accuracy, min: 0.90 }
        - { metric: latency_ms, max: 200 }
      regression: { tolerance: 0.01 }
    privacy:
      tiers: [high]
      reviewers: ["@acme/privacy", "@acme/dpo"]
      max_age_days: 365
    rollback:
      tiers: [medium, high]
      sections: ["Trigger", "Steps", "Owner"]
      max_drill_age_days: 90
  approvals:
    - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 1, tiers: [medium, high] }
    - { name: Artifact owner, owners: true, count: 2 }
    - { name: Model risk, teams: ["@acme/model-risk"], users: [alice], kinds: [model, dataset] }
  overrides:
    teams: ["@acme/ai-governance", "@acme/sre"]
    expires_after_hours: 72
  releases:
    enforce: true
    environments: [production, staging]
`;

const ORG_LABEL = "acme/.github:.github/readiness.yml";
const SUFFIX = "(.github/readiness.yml in acme/.github)";

function merge(repoText: string, orgText = ORG) {
  const org = loaded(orgText, ".github/readiness.yml");
  const repo = loaded(repoText);
  return mergeTightenOnly({ ...org, label: ORG_LABEL }, repo);
}

describe("mergeTightenOnly: every loosening is an error at the repo's line and column", () => {
  const cases: Array<{ what: string; repo: string; needle: string; message: RegExp; errors?: number }> = [
    {
      what: "enforcement enforced → advisory",
      repo: "version: 1\nenforcement: advisory\n",
      needle: "advisory",
      message: /enforcement advisory would stop blocking merges/,
    },
    {
      what: "policy admins the org does not have",
      repo: 'version: 1\npolicy_admins: ["@acme/ai-governance", "@acme/devs"]\n',
      needle: '"@acme/devs"',
      message: /policy admin @acme\/devs is not one of the org's policy admins/,
    },
    {
      what: "removing a kind's root",
      repo: 'version: 1\nartifacts:\n  model: { roots: ["ml/*"], tier: high }\n',
      needle: '["ml/*"]',
      message: /kind 'model' no longer lists the org's root models\/\*/,
    },
    {
      what: "lowering a kind's tier",
      repo: 'version: 1\nartifacts:\n  model: { roots: ["models/*"], tier: medium }\n',
      needle: "medium",
      message: /kind 'model' tier medium is below the org's high/,
    },
    {
      what: "ignoring paths the org governs",
      repo: 'version: 1\nartifacts:\n  prompt: { roots: ["prompts/*"], tier: medium, ignore: ["**/*.md", "**/*.txt"] }\n',
      needle: '"**/*.txt"',
      message: /kind 'prompt' ignores '\*\*\/\*\.txt', which the org does not ignore/,
    },
    {
      what: "a new kind whose root holds the org's artifacts",
      repo: 'version: 1\nartifacts:\n  scratch: { roots: ["docs/*", "prompts"], tier: low, ignore: ["**"] }\n',
      needle: '"prompts"',
      message:
        /kind 'scratch' root 'prompts' overlaps the org's root 'prompts\/\*' \(kind 'prompt'\), so it could take the org's artifacts out of their kind, tier or gates; use a root outside 'prompts'/,
    },
    {
      what: "a root added to an org kind inside another org kind's folder",
      repo: 'version: 1\nartifacts:\n  prompt: { roots: ["prompts/*", "models/*/prompts/*"] }\n',
      needle: '"models/*/prompts/*"',
      message:
        /kind 'prompt' root 'models\/\*\/prompts\/\*' overlaps the org's root 'models\/\*' \(kind 'model'\)/,
    },
    {
      what: "a gate's tiers no longer covering an org tier",
      repo: "version: 1\ngates:\n  evaluation:\n    tiers: [high]\n",
      needle: "[high]",
      message: /the evaluation gate no longer applies to tier medium, as the org's does/,
    },
    {
      what: "removing a threshold",
      repo: "version: 1\ngates:\n  evaluation:\n    thresholds:\n      - { metric: latency_ms, max: 200 }\n",
      needle: "- { metric",
      message: /removes the org's threshold on 'accuracy' \(min 0\.9\)/,
    },
    {
      what: "lowering a min",
      repo: yaml`
        version: 1
        gates:
          evaluation:
            thresholds:
              - { metric: accuracy, min: 0.85 }
              - { metric: latency_ms, max: 200 }
      `,
      needle: "0.85",
      message:
        /^loosens the org policy: min 0\.85 for 'accuracy' is below the org's 0\.9 \(\.github\/readiness\.yml in acme\/\.github\)$/,
    },
    {
      what: "raising a max",
      repo: yaml`
        version: 1
        gates:
          evaluation:
            thresholds:
              - { metric: accuracy, min: 0.9 }
              - { metric: latency_ms, max: 250 }
      `,
      needle: "250",
      message: /max 250 for 'latency_ms' is above the org's 200/,
    },
    {
      what: "dropping a threshold's direction",
      repo: yaml`
        version: 1
        gates:
          evaluation:
            thresholds:
              - { metric: accuracy, max: 1 }
              - { metric: latency_ms, max: 200 }
      `,
      needle: "{ metric: accuracy",
      message: /drops the org's min 0\.9 for 'accuracy'/,
    },
    {
      what: "raising the regression tolerance",
      repo: "version: 1\ngates:\n  evaluation:\n    regression: { tolerance: 0.05 }\n",
      needle: "0.05",
      message: /regression tolerance 0\.05 is above the org's 0\.01/,
    },
    {
      what: "weakening the binding",
      repo: "version: 1\ngates:\n  evaluation:\n    bind: none\n",
      needle: "none",
      message: /bind none is weaker than the org's same_pr \(none < same_pr < digest\)/,
    },
    {
      what: "codeowners true → false",
      repo: "version: 1\ngates:\n  ownership:\n    codeowners: false\n",
      needle: "false",
      message: /codeowners: false drops the org's CODEOWNERS requirement/,
    },
    {
      what: "privacy reviewers outside the org's",
      repo: 'version: 1\ngates:\n  privacy:\n    reviewers: ["@acme/privacy", "@acme/interns"]\n',
      needle: '"@acme/interns"',
      message: /privacy reviewer @acme\/interns is not one of the org's reviewers/,
    },
    {
      what: "a longer privacy review age",
      repo: 'version: 1\ngates:\n  privacy:\n    reviewers: ["@acme/privacy"]\n    max_age_days: 400\n',
      needle: "400",
      message: /max_age_days 400 is longer than the org's 365/,
    },
    {
      what: "rollback sections missing an org section",
      repo: 'version: 1\ngates:\n  rollback:\n    sections: ["trigger", "Steps", "Contacts"]\n',
      needle: '["trigger"',
      message: /the rollback plan no longer requires the org's section Owner/,
    },
    {
      what: "a longer drill age",
      repo: "version: 1\ngates:\n  rollback:\n    max_drill_age_days: 120\n",
      needle: "120",
      message: /max_drill_age_days 120 is longer than the org's 90/,
    },
    {
      what: "an approval rule with a lower count",
      repo: "version: 1\napprovals:\n  - { name: Artifact owner, owners: true, count: 1 }\n",
      needle: "1 }",
      message: /approval rule 'Artifact owner' needs 1, below the org's 2/,
    },
    {
      what: "an approval rule that no longer requires owners",
      repo: 'version: 1\napprovals:\n  - { name: Artifact owner, owners: false, teams: ["@acme/devs"], count: 2 }\n',
      needle: "false",
      message: /approval rule 'Artifact owner' no longer requires the artifact owners/,
      errors: 2, // and @acme/devs was never an approver of this rule
    },
    {
      what: "an approval rule with fewer tiers",
      repo: 'version: 1\napprovals:\n  - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], tiers: [high] }\n',
      needle: "[high]",
      message: /approval rule 'Compliance sign-off' no longer applies to tier medium/,
    },
    {
      what: "an approval rule with fewer kinds",
      repo: 'version: 1\napprovals:\n  - { name: Model risk, teams: ["@acme/model-risk"], users: [alice], kinds: [model] }\n',
      needle: "[model]",
      message: /approval rule 'Model risk' no longer applies to kind dataset/,
    },
    {
      what: "an approval rule with more teams",
      repo: 'version: 1\napprovals:\n  - { name: Compliance sign-off, teams: ["@acme/ai-compliance", "@acme/devs"], tiers: [medium, high] }\n',
      needle: '"@acme/devs"',
      message: /approval rule 'Compliance sign-off' lets @acme\/devs approve, which the org's does not/,
    },
    {
      what: "an approval rule with more users",
      repo: 'version: 1\napprovals:\n  - { name: Model risk, teams: ["@acme/model-risk"], users: [alice, bob], kinds: [model, dataset] }\n',
      needle: "bob",
      message: /approval rule 'Model risk' lets bob approve/,
    },
    {
      what: "override teams outside the org's",
      repo: 'version: 1\noverrides:\n  teams: ["@acme/sre", "@acme/devs"]\n',
      needle: '"@acme/devs"',
      message: /override team @acme\/devs is not one of the org's override teams/,
    },
    {
      what: "a longer override expiry",
      repo: "version: 1\noverrides:\n  expires_after_hours: 168\n",
      needle: "168",
      message: /overrides last 168 hours, longer than the org's 72/,
    },
    {
      what: "releases.enforce true → false",
      repo: "version: 1\nreleases:\n  enforce: false\n",
      needle: "false",
      message: /releases\.enforce: false lets unready releases stay published/,
    },
    {
      what: "removing a protected environment",
      repo: "version: 1\nreleases:\n  environments: [production]\n",
      needle: "[production]",
      message: /no longer protects the org's environment staging/,
    },
  ];

  for (const c of cases) {
    it(c.what, () => {
      const { errors } = merge(c.repo);
      expect(errors).toHaveLength(c.errors ?? 1);
      expect(errors[0]).toMatchObject({ path: ".github/readiness.yml", ...at(c.repo, c.needle) });
      expect(errors[0]?.message).toMatch(c.message);
      expect(errors[0]?.message).toContain(SUFFIX);
    });
  }

  it("reports every loosening in one pass", () => {
    const { errors } = merge("version: 1\nenforcement: advisory\nreleases:\n  enforce: false\n");
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
  });

  it("refuses overrides when the org policy allows none", () => {
    const org = "version: 1\n";
    const repo = 'version: 1\noverrides:\n  teams: ["@acme/devs"]\n';
    const { policy, errors } = merge(repo, org);
    expect(errors).toEqual([
      expect.objectContaining({
        ...at(repo, '["@acme/devs"]'),
        message: expect.stringMatching(/allows overrides/),
      }),
    ]);
    expect(policy.overrides).toBeUndefined();
  });

  it("blames a pack kind that overlaps an org root on the repo's extends line", () => {
    // The pack's `dataset: datasets/*` would take the org's `data` artifacts out of their kind.
    const org = 'version: 1\nartifacts:\n  data: { roots: ["datasets/*"], tier: high }\n';
    const repo = "version: 1\nextends: builtin:ai-production-readiness\n";
    const { errors } = merge(repo, org);
    const dataset = errors.find((e) => e.message.includes("kind 'dataset'"));
    expect(dataset).toMatchObject({ line: 2, column: 10 });
    expect(dataset?.message).toMatch(
      /kind 'dataset' root 'datasets\/\*' overlaps the org's root 'datasets\/\*' \(kind 'data'\).*comes from builtin:ai-production-readiness, override it here/,
    );
  });

  it("blames a loosening inherited from a builtin pack on the repo's extends line", () => {
    const org = "version: 1\ngates:\n  evaluation:\n    bind: digest\n";
    const repo =
      'version: 1\nextends: builtin:ai-production-readiness\npolicy_admins: ["@acme/ai-governance"]\n';
    const { errors } = merge(repo, org);
    const bind = errors.find((e) => e.message.includes("bind same_pr"));
    expect(bind).toMatchObject({ line: 2, column: 10 });
    expect(bind?.message).toMatch(/comes from builtin:ai-production-readiness, override it here/);
  });
});

describe("mergeTightenOnly: tightening is accepted and merged", () => {
  it("takes the stricter value everywhere and keeps what the org requires", () => {
    const repo = yaml`
      version: 1
      policy_admins: ["@ACME/AI-Governance"]
      artifacts:
        model: { roots: ["models/*", "ml/*"], tier: high }
        prompt: { roots: ["prompts/*"], tier: high, ignore: [] }
        dataset: { roots: ["datasets/*"], tier: medium }
      gates:
        evaluation:
          tiers: [low, medium, high]
          bind: digest
          thresholds:
            - { metric: accuracy, min: 0.95 }
            - { metric: latency_ms, max: 150 }
            - { metric: toxicity, max: 0.01 }
          regression: { tolerance: 0.005 }
        privacy:
          reviewers: ["@acme/privacy"]
          max_age_days: 180
        rollback:
          sections: ["Trigger", "Steps", "Owner", "Contacts"]
          max_drill_age_days: 30
      approvals:
        - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 2 }
        - { name: Security review, teams: ["@acme/security"], tiers: [high] }
      overrides:
        teams: ["@acme/sre"]
        expires_after_hours: 24
      releases:
        environments: [production, staging, eu-production]
    `;
    const { policy, errors } = merge(repo);
    expect(errors).toEqual([]);
    expect(policy.artifacts.model).toEqual({ roots: ["models/*", "ml/*"], tier: "high" });
    expect(policy.artifacts.prompt).toEqual({ roots: ["prompts/*"], tier: "high", ignore: [] });
    expect(policy.artifacts.dataset?.tier).toBe("medium");
    expect(policy.gates.evaluation).toMatchObject({
      tiers: ["low", "medium", "high"],
      bind: "digest",
      thresholds: [
        { metric: "accuracy", min: 0.95 },
        { metric: "latency_ms", max: 150 },
        { metric: "toxicity", max: 0.01 },
      ],
      regression: { tolerance: 0.005 },
    });
    expect(policy.gates.privacy).toMatchObject({
      reviewers: ["@acme/privacy"],
      max_age_days: 180,
      tiers: ["high"],
    });
    expect(policy.gates.rollback?.sections).toEqual(["Trigger", "Steps", "Owner", "Contacts"]);
    expect(policy.gates.rollback?.max_drill_age_days).toBe(30);
    // Org rules stay (in order), a same-name repo rule tightens one, new repo rules are added.
    expect(policy.approvals.map((r) => [r.name, r.count, r.tiers])).toEqual([
      ["Compliance sign-off", 2, undefined],
      ["Artifact owner", 2, undefined],
      ["Model risk", 1, undefined],
      ["Security review", 1, ["high"]],
    ]);
    expect(policy.overrides).toEqual({ teams: ["@acme/sre"], expires_after_hours: 24 });
    expect(policy.releases).toEqual({
      enforce: true,
      environments: ["production", "staging", "eu-production"],
    });
  });

  it("keys the repo leaves out inherit the org's values, so omission never loosens", () => {
    const repo = yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*"] }
      gates:
        evaluation:
          thresholds:
            - { metric: accuracy, min: 0.92 }
            - { metric: latency_ms, max: 200 }
        privacy:
          reviewers: ["@acme/dpo"]
    `;
    const { policy, errors } = merge(repo);
    expect(errors).toEqual([]);
    expect(policy.enforcement).toBe("enforced");
    // `tier` defaults to low in the schema; the repo did not write it, so the org's high stands.
    expect(policy.artifacts.model?.tier).toBe("high");
    expect(policy.artifacts.prompt?.ignore).toEqual(["**/*.md"]);
    // Regression and ages left out: kept, not removed.
    expect(policy.gates.evaluation?.regression).toEqual({ tolerance: 0.01 });
    expect(policy.gates.evaluation?.tiers).toEqual(["medium", "high"]);
    expect(policy.gates.privacy?.max_age_days).toBe(365);
    expect(policy.gates.rollback?.max_drill_age_days).toBe(90);
    expect(policy.gates.ownership?.codeowners).toBe(true);
    expect(policy.approvals).toHaveLength(3);
    expect(policy.overrides?.expires_after_hours).toBe(72);
    expect(policy.releases?.enforce).toBe(true);
  });

  it("does not let a schema default in the repo override an org's stricter choice", () => {
    const org = "version: 1\nenforcement: advisory\ngates:\n  evaluation:\n    bind: digest\n";
    const repo = "version: 1\ngates:\n  evaluation:\n    thresholds: [{ metric: accuracy, min: 0.9 }]\n";
    const { policy, errors } = merge(repo, org);
    expect(errors).toEqual([]);
    expect(policy.gates.evaluation?.bind).toBe("digest");
    // The org's dry run stays a dry run unless the repo opts into enforcement.
    expect(policy.enforcement).toBe("advisory");
    expect(merge("version: 1\nenforcement: enforced\n", org).policy.enforcement).toBe("enforced");
  });

  it("lets a kind's tier rise past a gate the repo adds, which never held the org's artifacts", () => {
    const org = 'version: 1\nartifacts:\n  prompt: { roots: ["prompts/*"], tier: medium }\n';
    const repo = yaml`
      version: 1
      artifacts:
        prompt: { roots: ["prompts/*"], tier: high }
      gates:
        rollback:
          tiers: [medium]
    `;
    const { policy, errors } = merge(repo, org);
    expect(errors).toEqual([]);
    expect(policy.artifacts.prompt?.tier).toBe("high");
  });

  it("adds gates the org does not have", () => {
    const { policy, errors } = merge(
      'version: 1\ngates:\n  privacy:\n    reviewers: ["@acme/privacy"]\n',
      "version: 1\n",
    );
    expect(errors).toEqual([]);
    expect(policy.gates.privacy?.reviewers).toEqual(["@acme/privacy"]);
  });
});
