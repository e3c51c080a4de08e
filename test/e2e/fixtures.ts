// The sample governed repository of the end-to-end tests: one high-tier model under a repo policy.
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

export const ROLLBACK = `# Rollback

## Trigger
Accuracy drops below 0.88 on the shadow set.

## Steps
Point the serving alias back to the previous version.

## Last tested
Drill on ${new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10)}, restored in 4 minutes.
`;

export function baseFiles(): Record<string, string> {
  return {
    ".github/readiness.yml": POLICY,
    "README.md": "# app\n",
    "models/churn/artifact.yml": 'owners: ["@alice"]\n',
    "models/churn/model.py": "weights = 1\n",
    "models/churn/eval/results.json": results(0.93),
    "models/churn/ROLLBACK.md": ROLLBACK,
  };
}
