// The sample repository of the app tests: one high-tier model under a repository policy.

/** Path → text of every file in a commit. */
export type Files = Record<string, string>;

export const POLICY = `version: 1
policy_admins: ["@acme/ai-governance"]
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  evaluation:
    file: eval/results.json
    bind: same_pr
    thresholds:
      - { metric: accuracy, min: 0.90 }
  rollback:
    file: ROLLBACK.md
    sections: ["Trigger", "Steps"]
approvals:
  - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 1 }
overrides:
  teams: ["@acme/ai-governance"]
  expires_after_hours: 24
`;

export const results = (accuracy: number) => `{
  "metrics": {
    "accuracy": ${accuracy}
  }
}
`;

export const rollbackPlan = (drillDate: string) => `# Rollback

## Trigger
Accuracy drops below 0.88 on the shadow set.

## Steps
Point the serving alias back to the previous version.

## Last tested
Drill on ${drillDate}, restored in 4 minutes.
`;

export const ROLLBACK = rollbackPlan("2026-10-01");

export const TEAMS = {
  "acme/ai-compliance": ["carol"],
  "acme/ai-governance": ["gina"],
};

export function baseFiles(rollback = ROLLBACK): Files {
  return {
    ".github/readiness.yml": POLICY,
    "README.md": "# app\n",
    "models/churn/artifact.yml": 'owners: ["@alice"]\n',
    "models/churn/model.py": "weights = 1\n",
    "models/churn/eval/results.json": results(0.93),
    "models/churn/ROLLBACK.md": rollback,
  };
}

/** The base with some files replaced (a string) or removed (undefined). */
export function headFiles(changes: Record<string, string | undefined>): Files {
  const files: Files = baseFiles();
  for (const [path, text] of Object.entries(changes)) {
    if (text === undefined) delete files[path];
    else files[path] = text;
  }
  return files;
}
