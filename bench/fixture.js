// What both benchmarks evaluate: a full policy over `kinds` kinds and the complete evidence of one
// artifact. Dates are relative to `now`, so the evidence is fresh whatever day the bench runs.
export function policyText(kinds, tierOf = () => "high") {
  const lines = Array.from(
    { length: kinds },
    (_, k) => `  kind${k}: { roots: ["kind${k}/*"], tier: ${tierOf(k)}, ignore: ["**/*.md"] }`,
  );
  return `version: 1
policy_admins: ["@acme/governance"]
artifacts:
${lines.join("\n")}
gates:
  ownership: { codeowners: true }
  evaluation:
    bind: same_pr
    thresholds: [{ metric: accuracy, min: 0.9 }, { metric: f1, min: 0.8 }]
    regression: { tolerance: 0.01 }
  privacy: { tiers: [high], reviewers: ["@acme/privacy"], max_age_days: 365 }
  rollback: { max_drill_age_days: 90 }
approvals:
  - { name: Compliance, teams: ["@acme/compliance"], tiers: [high] }
  - { name: Owner, owners: true }
`;
}

const daysBefore = (now, days) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);

export const rollbackPlan = (now) =>
  `# Plan\n## Trigger\nx\n## Steps\nx\n## Previous version\nx\n## Owner\nx\n## Last tested\n${daysBefore(now, 50)}\n`;

export const privacyReview = (now) =>
  `reviewer: petra\ndecision: approved\nreviewed_at: ${daysBefore(now, 170)}\ndata_categories: [usage]\n`;

/** Two document gates (issue 13), one of each form, to add under the policy's `gates:`. */
export const DOCUMENT_GATES = `  documents:
    monitoring:
      file: MONITORING.md
      sections: [Metrics, Drift detection, Alerts, Owner, Last reviewed]
      dated_by: Last reviewed
      max_age_days: 180
    data_lineage: { file: lineage.yml, keys: [sources, transformations, owner, last_reviewed], dated_by: last_reviewed }
`;

/** `policy` with the two document gates. */
export const withDocumentGates = (policy) => policy.replace("approvals:\n", `${DOCUMENT_GATES}approvals:\n`);

/** The documents those gates read, fresh at `now`, by file name under an artifact's root. */
export const documents = (now) => ({
  "MONITORING.md": `# Monitoring\n## Metrics\nlatency\n## Drift detection\nPSI weekly\n## Alerts\npage on-call\n## Owner\n@acme/ml\n## Last reviewed\n${daysBefore(now, 30)}\n`,
  "lineage.yml": `sources: [warehouse.accounts]\ntransformations: [dedupe, join]\nowner: "@acme/ml"\nlast_reviewed: ${daysBefore(now, 30)}\n`,
});
