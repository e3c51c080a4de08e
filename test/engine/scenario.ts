// A small sample repository for engine tests: a high-tier model with complete evidence, under a
// policy that uses every gate. Tests change one thing and look at what the engine says.
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import type { Evaluation } from "../../src/engine/types.js";
import { type MemoryFiles, memoryFacts } from "../../src/facts/memory.js";
import type { Facts, Override, PeopleFacts } from "../../src/facts/types.js";

export const NOW = new Date("2026-11-21T12:00:00Z");

export const POLICY = `version: 1
policy_admins: ["@acme/ai-governance"]
artifacts:
  model:  { roots: ["models/*"],  tier: high }
  prompt: { roots: ["prompts/*"], tier: medium, ignore: ["**/*.md"] }
gates:
  ownership:
    codeowners: true
  evaluation:
    tiers: [medium, high]
    file: eval/results.json
    bind: same_pr
    thresholds:
      - { metric: accuracy, min: 0.90 }
    regression: { tolerance: 0.01 }
  privacy:
    tiers: [high]
    file: privacy-review.yml
    reviewers: ["@acme/privacy"]
    max_age_days: 365
  rollback:
    tiers: [medium, high]
    file: ROLLBACK.md
    sections: ["Trigger", "Steps", "Previous version", "Owner", "Last tested"]
    max_drill_age_days: 90
approvals:
  - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 1, tiers: [high] }
  - { name: Artifact owner, owners: true, count: 1 }
`;

export const results = (accuracy: number) => `{
  "metrics": {
    "accuracy": ${accuracy},
    "f1": 0.88
  }
}
`;

export const ROLLBACK = `# Rollback plan

## Trigger
Accuracy on the shadow set drops below 0.88.

## Steps
1. Point the serving alias back to the previous version.

## Previous version
churn-v3

## Owner
@alice

## Last tested
Drill on 2026-10-01, restored in 4 minutes.
`;

export const PRIVACY = `reviewer: petra
decision: approved
reviewed_at: 2026-06-01
data_categories: [contact, usage]
lawful_basis: legitimate interest
`;

export const MANIFEST = `owners: ["@alice"]
data_categories: [usage]
`;

/** A base repository with one complete model and a prompt. */
export function baseFiles(): MemoryFiles {
  return {
    ".github/readiness.yml": POLICY,
    ".github/CODEOWNERS": "/models/ @acme/ml\n/prompts/ @acme/ml\n",
    "models/churn/artifact.yml": MANIFEST,
    "models/churn/model.py": "weights = 1\n",
    "models/churn/eval/results.json": results(0.93),
    "models/churn/privacy-review.yml": PRIVACY,
    "models/churn/ROLLBACK.md": ROLLBACK,
    "prompts/support/artifact.yml": `owners: ["@bob"]\n`,
    "prompts/support/prompt.txt": "You are helpful.\n",
    "prompts/support/README.md": "About the prompt\n",
    "prompts/support/eval/results.json": results(0.95),
    "prompts/support/ROLLBACK.md": ROLLBACK,
    "src/app.py": "print('hi')\n",
  };
}

/** The base with `changes` applied (null deletes a file). */
export function headFiles(
  changes: Record<string, MemoryFiles[string] | null>,
  base = baseFiles(),
): MemoryFiles {
  const head: MemoryFiles = { ...base };
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) delete head[path];
    else head[path] = content;
  }
  return head;
}

export interface Run {
  base?: MemoryFiles;
  head: MemoryFiles;
  people?: PeopleFacts;
  org?: string;
  headSha?: string;
  /** Wraps the facts the engine reads (to watch which questions it asks). */
  wrap?: (facts: Facts) => Facts;
  /** The override the app read for this head. */
  override?: Override;
}

export async function run({
  base = baseFiles(),
  head,
  people,
  org,
  headSha,
  wrap,
  override,
}: Run): Promise<Evaluation> {
  const memory = memoryFacts({ base, head, ...(people ? { people } : {}), ...(headSha ? { headSha } : {}) });
  const facts = wrap ? wrap(memory) : memory;
  const builtins = () => undefined;
  const orgSource = org
    ? { path: ".github/readiness.yml", text: org, label: "acme/.github:.github/readiness.yml" }
    : undefined;
  const policy = await loadEffectivePolicy(facts, { builtins, ...(orgSource ? { org: orgSource } : {}) });
  if (!policy) throw new Error("no policy in the scenario");
  return evaluate({
    facts,
    policy,
    builtins,
    now: NOW,
    ...(orgSource ? { org: orgSource } : {}),
    ...(override ? { override } : {}),
  });
}

export function gate(evaluation: Evaluation, root: string, name: string) {
  const found = evaluation.artifacts.find((a) => a.root === root)?.gates.find((g) => g.gate === name);
  if (!found)
    throw new Error(`no ${name} gate on ${root}: ${JSON.stringify(evaluation.artifacts.map((a) => a.root))}`);
  return found;
}
