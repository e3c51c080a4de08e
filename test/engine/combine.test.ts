import { describe, expect, it } from "vitest";
import { compareRestrictiveness, type HeadResult, mostRestrictive } from "../../src/engine/combine.js";
import type { Verdict } from "../../src/engine/types.js";

const enforced = (pull: number, verdict: Verdict): HeadResult => ({ pull, verdict, enforcement: "enforced" });
const advisory = (pull: number, verdict: Verdict): HeadResult => ({ pull, verdict, enforcement: "advisory" });

describe("the most restrictive result among the pull requests sharing a head", () => {
  it.each<[string, HeadResult[], number]>([
    [
      "a blocked PR outweighs one that governs nothing",
      [enforced(1, "blocked"), enforced(2, "not_governed")],
      1,
    ],
    ["whichever PR the event came from", [enforced(2, "not_governed"), enforced(1, "blocked")], 1],
    ["a policy error outweighs a block", [enforced(1, "blocked"), enforced(2, "policy_error")], 2],
    ["a block outweighs a wait for approval", [enforced(1, "awaiting_approval"), enforced(2, "blocked")], 2],
    ["a wait for approval outweighs a pass", [enforced(1, "ready"), enforced(2, "awaiting_approval")], 2],
    [
      "an enforced wait outweighs an advisory block",
      [advisory(1, "blocked"), enforced(2, "awaiting_approval")],
      2,
    ],
    ["an advisory block outweighs a pass", [enforced(1, "ready"), advisory(2, "blocked")], 2],
    ["an advisory pass is a pass", [advisory(1, "ready"), enforced(2, "not_governed")], 1],
    ["an override outweighs a plain pass", [enforced(1, "ready"), enforced(2, "overridden")], 2],
    [
      "a governed pass is shown before nothing governed",
      [enforced(1, "not_governed"), enforced(2, "ready")],
      2,
    ],
    [
      "an override does not outweigh another PR's block",
      [enforced(1, "overridden"), enforced(2, "blocked")],
      2,
    ],
    [
      "equal results: the lowest number",
      [enforced(3, "blocked"), enforced(2, "blocked"), enforced(5, "blocked")],
      2,
    ],
    ["one PR alone decides", [enforced(7, "ready")], 7],
  ])("%s", (_name, results, decider) => {
    expect(mostRestrictive(results).pull).toBe(decider);
  });

  it("orders every verdict the same way under both enforcements", () => {
    const verdicts: Verdict[] = [
      "not_governed",
      "ready",
      "overridden",
      "awaiting_approval",
      "blocked",
      "policy_error",
    ];
    const all = verdicts.flatMap((v, i) => [enforced(i, v), advisory(i + 10, v)]);
    const sorted = [...all].sort(compareRestrictiveness).map((r) => `${r.enforcement} ${r.verdict}`);
    expect(sorted).toEqual([
      "enforced policy_error",
      "enforced blocked",
      "enforced awaiting_approval",
      "advisory policy_error",
      "advisory blocked",
      "advisory awaiting_approval",
      "enforced overridden",
      "advisory overridden",
      "enforced ready",
      "advisory ready",
      "enforced not_governed",
      "advisory not_governed",
    ]);
  });

  it("needs at least one result", () => {
    expect(() => mostRestrictive([])).toThrow(/at least one/);
  });
});
