// The deployment protection rule as a pure decision: which environments get an answer, what a
// deployed commit is judged as, and the comment GitHub shows.
import { describe, expect, it } from "vitest";
import {
  DECISION_GATE,
  DEPLOYMENT_COMMENT_LIMIT,
  decideDeployment,
  deploymentTag,
  fitComment,
  protectsEnvironment,
  reusableJudgement,
} from "../../src/engine/deployment.js";
import { decideRelease } from "../../src/engine/release.js";
import { pull, readyRelease, sha } from "./release-sample.js";

const ready = decideRelease(readyRelease());
const unreadyInput = readyRelease();
unreadyInput.pulls[1] = pull(12, "blocked", 41);
const unready = decideRelease(unreadyInput);

describe("decideDeployment", () => {
  const base = { environments: ["production"], enforcement: "enforced" as const };
  const cases: Array<[string, Parameters<typeof decideDeployment>[0], string, RegExp]> = [
    [
      "an environment the policy does not list gets no answer",
      { ...base, environment: "staging", readiness: unready },
      "none",
      /'staging' is not in releases.environments/,
    ],
    [
      "a listed environment, ready commit: approved",
      { ...base, environment: "production", readiness: ready },
      "approved",
      /^Readiness gate: commit 0000003 is ready since v1.1.0: 2 governed artifacts ready\.$/,
    ],
    [
      "the environment name matched without regard to case, as GitHub does",
      { ...base, environment: "Production", readiness: unready },
      "rejected",
      /not ready since v1.1.0: prompts\/support: changed through #12: was blocked when merged/,
    ],
    [
      "a commit GitHub no longer has: rejected with the reason",
      { ...base, environment: "production", readiness: { error: "GitHub has no commit 0badc0de" } },
      "rejected",
      /the deployed commit could not be judged: GitHub has no commit 0badc0de/,
    ],
    [
      "advisory: approved, saying it would reject",
      { ...base, enforcement: "advisory", environment: "production", readiness: unready },
      "approved",
      /^Readiness gate \(advisory — would reject\): commit 0000003 is not ready/,
    ],
  ];
  it.each(cases)("%s", (_name, input, answer, text) => {
    const decision = decideDeployment(input);
    expect(decision.answer).toBe(answer);
    expect(decision.answer === "none" ? decision.why : decision.comment).toMatch(text);
  });

  it("keeps a rejection within GitHub's comment limit, saying how many reasons it left out", () => {
    const many = readyRelease();
    many.atRelease = [];
    many.range.total = 9000;
    for (let n = 0; n < 200; n++) {
      many.changes.push({
        path: `models/m${n}/w.bin`,
        root: `models/m${n}`,
        kind: "model",
        commits: [sha(3)],
      });
    }
    const decision = decideDeployment({ ...base, environment: "production", readiness: decideRelease(many) });
    if (decision.answer === "none") throw new Error("answered nothing");
    expect(decision.reasons.length).toBeGreaterThan(200);
    expect(decision.comment.length).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_LIMIT);
    expect(decision.comment).toMatch(/; and \d+ more \(see the check run Readiness gate \/ release\)$/);
  });
});

describe("fitComment", () => {
  it("keeps every reason that fits, whole, on one line", () => {
    expect(fitComment("Not ready:", ["a\nb", "c"], 100)).toBe("Not ready: a b; c");
  });
  it("cuts a first reason too long for the limit, and still counts the rest", () => {
    const comment = fitComment("Not ready:", ["x".repeat(300), "y"], 120);
    expect(comment.length).toBeLessThanOrEqual(120);
    expect(comment).toMatch(/x…; and 1 more/);
  });
  it("never leaves half a surrogate pair at the cut", () => {
    // "Not ready: " is 11 characters, so a cut at 50 (49 and the ellipsis) would fall in a pair.
    const comment = fitComment("Not ready:", ["😀".repeat(100)], 51);
    expect(comment.length).toBeLessThanOrEqual(51);
    expect(comment).not.toMatch(/[\ud800-\udbff]…/);
  });
});

describe("deploymentTag", () => {
  const releases = [
    { tag: "v3", commit: sha(30) },
    { tag: "v2", commit: sha(20) },
  ];
  it("names a deployment of a released commit by that release", () => {
    expect(deploymentTag(sha(20), releases)).toBe("v2");
  });
  it("names any other deployment by its commit", () => {
    expect(deploymentTag(sha(25), releases)).toBe(`commit ${sha(25).slice(0, 7)}`);
  });
});

describe("protectsEnvironment", () => {
  it("matches the policy's names only", () => {
    expect(protectsEnvironment(["production", "eu-prod"], "EU-Prod")).toBe(true);
    expect(protectsEnvironment(["production"], "production-canary")).toBe(false);
    expect(protectsEnvironment([], "production")).toBe(false);
  });
});

describe("a deployment of a commit already judged", () => {
  const recorded = (verdict: "ready" | "unready", reasons: string[] = []) => ({
    recorded: { sequence: 41, commit: "c".repeat(40), verdict, reasons },
  });
  const asked = { environment: "production", environments: ["production"], enforcement: "enforced" as const };

  it("approves from the recorded judgement, naming its audit record", () => {
    const answer = decideDeployment({ ...asked, readiness: recorded("ready") });
    expect(answer).toMatchObject({ answer: "approved", reasons: [] });
    expect(answer.answer !== "none" && answer.comment).toContain("audit record 41");
  });

  it("rejects with the recorded reasons", () => {
    const answer = decideDeployment({
      ...asked,
      readiness: recorded("unready", ["models/churn: changed by a commit through no pull request: 1a2b3c4"]),
    });
    expect(answer).toMatchObject({ answer: "rejected" });
    expect(answer.answer !== "none" && answer.comment).toContain("through no pull request: 1a2b3c4");
  });

  it("leaves an environment the policy does not list alone, recorded or not", () => {
    expect(
      decideDeployment({ ...asked, environment: "staging", readiness: recorded("unready", ["x"]) }),
    ).toMatchObject({
      answer: "none",
    });
  });
});

describe("which recorded judgement may answer a deployment", () => {
  const NOW = new Date("2026-12-05T12:00:00Z");
  const commit = "c".repeat(40);
  const judged = (sequence: number, minutesAgo: number, status: string, digest = "sha256:p") => ({
    sequence,
    time: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
    policy: { digest },
    gates: [{ artifact: null, gate: DECISION_GATE, status, reasons: status === "unready" ? ["x"] : [] }],
  });

  it("takes the latest judgement made within the hour under the same policy", () => {
    expect(
      reusableJudgement([judged(3, 50, "ready"), judged(7, 10, "unready")], commit, "sha256:p", NOW),
    ).toEqual({
      sequence: 7,
      commit,
      verdict: "unready",
      reasons: ["x"],
    });
  });

  it("never takes a reuse of a judgement, one that could not be made, an old one or another policy's", () => {
    const records = [
      judged(1, 70, "ready"),
      judged(2, 5, "ready", "sha256:other"),
      judged(3, 4, "reused"),
      judged(4, 3, "unjudged"),
      judged(5, -1, "ready"),
    ];
    expect(reusableJudgement(records, commit, "sha256:p", NOW)).toBeUndefined();
  });
});
