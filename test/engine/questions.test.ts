// What the engine asks its facts for an ordinary PR, batch by batch, through a source that batches
// like the GitHub one: the request count of the app depends on these staying few and together.
import { describe, expect, it } from "vitest";
import { batching } from "./batches.js";
import { fakePeople, HEAD_SHA } from "./people.js";
import { headFiles, results, run } from "./scenario.js";

const people = () =>
  fakePeople({
    teams: { "@acme/ai-compliance": ["carol"], "@acme/privacy": ["petra"] },
    reviews: [
      { user: "carol", state: "APPROVED" },
      { user: "alice", state: "APPROVED" },
    ],
  });

describe("the questions of an ordinary PR", () => {
  it("asks for every file of a model change in one batch, and lists no tree", async () => {
    let recorded: ReturnType<typeof batching> | undefined;
    const e = await run({
      head: headFiles({
        "models/churn/model.py": "w = 2\n",
        "models/churn/eval/results.json": results(0.94),
      }),
      headSha: HEAD_SHA,
      people: people(),
      wrap: (facts) => {
        recorded = batching(facts);
        return recorded.facts;
      },
    });
    expect(e.verdict).toBe("ready");
    const batches = recorded?.batches ?? [];
    expect(batches.flat().filter((q) => q.startsWith("listFiles"))).toEqual([]);
    const files = batches.find((b) => b.some((q) => q.startsWith("entryKind")));
    expect(files?.sort()).toEqual(
      [
        "entryKind head models/churn/eval/results.json",
        "entryKind head models/churn/model.py",
        "readFile base .github/CODEOWNERS",
        "readFile base CODEOWNERS",
        "readFile base docs/CODEOWNERS",
        "readFile base models/churn/artifact.yml",
        "readFile base models/churn/eval/results.json",
        "readFile base models/churn/privacy-review.yml",
        "readFile head models/churn/ROLLBACK.md",
        "readFile head models/churn/artifact.yml",
        "readFile head models/churn/eval/results.json",
        "readFile head models/churn/privacy-review.yml",
      ].sort(),
    );
    // Nothing about files is asked after that batch: people only.
    const after = batches.slice(batches.indexOf(files as string[]) + 1).flat();
    expect(after.filter((q) => /^(readFile|entryKind|listFiles)/.test(q))).toEqual([]);
    expect(after).toContain("isOrgPrincipal @alice");
    expect(after.filter((q) => q.startsWith("isRepoAdmin"))).toEqual([]);
  });
});
