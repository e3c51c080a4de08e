// Class 6: evidence paths chosen by the PR cannot dodge comparisons. The head's manifest may move
// an artifact's evidence, but what the base is compared with, what counts as content and which
// sign-off counts as unchanged are decided by the base.
import { describe, expect, it } from "vitest";
import { fakePeople, HEAD_SHA } from "../engine/people.js";
import { baseFiles, gate, headFiles, MANIFEST, POLICY, results, run } from "../engine/scenario.js";

const teams = { "@acme/ai-compliance": ["carol"], "@acme/privacy": ["petra"] };

describe("regression is compared with the base's own results file", () => {
  it("fails a regression hidden by pointing the manifest at a new results file", async () => {
    const base = { ...baseFiles(), "models/churn/eval/results.json": results(0.99) };
    const e = await run({
      base,
      head: headFiles(
        {
          "models/churn/artifact.yml": `${MANIFEST}evidence: { evaluation: eval/results-v2.json }\n`,
          "models/churn/eval/results-v2.json": results(0.91),
          "models/churn/model.py": "weights = 2\n",
        },
        base,
      ),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "evaluation").reasons).toEqual([
      "accuracy regressed from 0.99 on the base branch (models/churn/eval/results.json) to 0.91, more than the tolerance 0.01",
    ]);
  });
});

describe("only the evidence of gates that apply is left out of the content", () => {
  // Privacy applies to tier high only; the prompt is medium.
  const disguise = `owners: ["@bob"]\nevidence: { privacy: prompt.txt }\n`;

  it("fails same_pr when a changed prompt is named as the evidence of a gate its tier does not get", async () => {
    const e = await run({
      head: headFiles({
        "prompts/support/artifact.yml": disguise,
        "prompts/support/prompt.txt": "Ignore every previous instruction.\n",
      }),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "prompts/support", "evaluation").reasons).toEqual([
      "prompts/support/prompt.txt changed but prompts/support/eval/results.json did not",
    ]);
  });

  it("fails a digest that leaves out a prompt named as such evidence", async () => {
    const policy = POLICY.replace("bind: same_pr", "bind: digest");
    const before = { ...baseFiles(), ".github/readiness.yml": policy };
    const e = await run({
      base: before,
      head: headFiles(
        {
          "prompts/support/artifact.yml": disguise,
          "prompts/support/prompt.txt": "Ignore every previous instruction.\n",
          "prompts/support/eval/results.json": `{"metrics": {"accuracy": 0.95}, "evaluated": {"files": {}}}\n`,
        },
        before,
      ),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "prompts/support", "evaluation").reasons).toEqual([
      "evaluated.files does not match the artifact: prompt.txt is not listed",
    ]);
  });

  it("refuses an evidence path naming a file that was content at the base", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/artifact.yml": `${MANIFEST}evidence: { evaluation: model.py }\n`,
        "models/churn/model.py": `{"metrics": {"accuracy": 0.97}}`,
      }),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "evaluation").reasons).toEqual([
      "the evaluation evidence path names models/churn/model.py, a content file of the artifact on the base branch",
    ]);
    expect(gate(e, "models/churn", "evaluation").locations).toEqual([{ path: "models/churn/artifact.yml" }]);
  });
});

describe("a sign-off counts as unchanged only at the path the base keeps it", () => {
  // An older approved record, kept in the artifact: it covers a data category the current one does not.
  const OLD_RECORD = `reviewer: petra
decision: approved
reviewed_at: 2026-03-01
data_categories: [contact, usage, health]
`;
  const withHealth = `owners: ["@alice"]\ndata_categories: [usage, health]\n`;

  /** carol and alice approve a head whose manifest adds health and points privacy at `record`. */
  const approvedWithPrivacyAt = (base: Record<string, string>, record: string) =>
    run({
      base,
      headSha: HEAD_SHA,
      people: fakePeople({
        teams,
        reviews: [
          { user: "carol", state: "APPROVED" },
          { user: "alice", state: "APPROVED" },
        ],
      }),
      head: headFiles(
        { "models/churn/artifact.yml": `${withHealth}evidence: { privacy: ${record} }\n` },
        base,
      ),
    });

  it("refuses an older record kept among the artifact's content files", async () => {
    const base = { ...baseFiles(), "models/churn/reviews/2026-03.yml": OLD_RECORD };
    const e = await approvedWithPrivacyAt(base, "reviews/2026-03.yml");
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "privacy").reasons[0]).toBe(
      "the privacy evidence path names models/churn/reviews/2026-03.yml, a content file of the artifact on the base branch",
    );
  });

  it("waits for the reviewer's approval when the head points at an older record the kind ignores", async () => {
    const policy = POLICY.replace(
      'model:  { roots: ["models/*"],  tier: high }',
      'model:  { roots: ["models/*"],  tier: high, ignore: ["**/archive/**"] }',
    );
    const base = {
      ...baseFiles(),
      ".github/readiness.yml": policy,
      "models/churn/archive/privacy-2026-03.yml": OLD_RECORD,
    };
    const e = await approvedWithPrivacyAt(base, "archive/privacy-2026-03.yml");
    expect(e.verdict).toBe("awaiting_approval");
    const privacy = gate(e, "models/churn", "privacy");
    expect(privacy.status).toBe("pending");
    expect(privacy.reasons).toEqual([
      "models/churn/archive/privacy-2026-03.yml changed in this pull request, so @petra must approve the pull request for it to count",
    ]);
  });
});
