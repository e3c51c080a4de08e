// The deployment protection rule on the GitHub stand-in, with a real audit store: GitHub asks
// about a deployment to an environment; the app answers through the callback for the policy's
// `releases.environments` (approved when the commit is ready as a release would be, rejected with
// the reasons), and not at all for other environments.
import { describe, expect, it } from "vitest";
import type { Sample } from "./on-standin.js";
import { expectAccepted, REPO } from "./on-standin.js";
import { BACKENDS, ENFORCED, mergeReady, publish, releaseRun, scenario } from "./release-support.js";
import { baseFiles, results } from "./repository.js";

const FILES = { ...baseFiles(), ".github/readiness.yml": ENFORCED };
const RETRAIN = { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) };

let runs = 100;
async function deploy(s: Sample, environment: string, sha: string) {
  const payload = s.app.hooks.deploymentProtectionRule(REPO, { environment, sha, runId: ++runs });
  const sent = s.gh.requests.length;
  await s.app.receive("deployment_protection_rule", payload);
  const answers = s.gh.repo(REPO).deploymentReviews.filter((r) => r.run_id === runs);
  // The app's own token requests are not questions about the repository.
  const requests = s.gh.requests.slice(sent).filter((r) => !r.path.startsWith("/app")).length;
  return { answers, requests };
}

describe.each(BACKENDS)("the deployment protection rule on the %s store", (_, backend, available) => {
  it.runIf(available)(
    "approves a ready commit, then answers its next deployment from the record in at most 3 requests",
    async () => {
      const { rec, s } = await scenario(backend, FILES);
      await publish(s, "v1.0");
      const merged = await mergeReady(s, RETRAIN, "retrain");
      const first = await deploy(s, "production", merged);
      expect(first.answers).toEqual([
        expect.objectContaining({ environment_name: "production", state: "approved" }),
      ]);
      expect(first.answers[0]?.comment).toMatch(/is ready since v1\.0: 1 governed artifact ready/);
      expect(releaseRun(s, merged).conclusion).toBe("success");

      const again = await deploy(s, "Production", merged);
      expect(again.answers).toEqual([expect.objectContaining({ state: "approved" })]);
      expect(again.answers[0]?.comment).toMatch(/as judged in audit record \d+/);
      expect(again.requests).toBeLessThanOrEqual(3);
      // A third stands on the same judgement, not on the second's reuse of it (which would carry
      // the first judgement on for ever).
      const third = await deploy(s, "production", merged);
      const cited = (comment: string | null | undefined) => /audit record (\d+)/.exec(comment ?? "")?.[1];
      expect(cited(third.answers[0]?.comment)).toBe(cited(again.answers[0]?.comment));
      const records = (await rec.records()).filter((r) => r.kind === "deployment");
      expect(records.map((r) => [r.verdict, r.headSha])).toEqual([
        ["approved", merged],
        ["approved", merged],
        ["approved", merged],
      ]);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "rejects a commit carrying a direct push, with the reasons as the comment",
    async () => {
      const { rec, s } = await scenario(backend, FILES);
      await publish(s, "v1.0");
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 666\n" },
      });
      const { answers } = await deploy(s, "production", pushed);
      expect(answers).toEqual([expect.objectContaining({ state: "rejected" })]);
      expect(answers[0]?.comment).toMatch(
        new RegExp(
          `not ready since v1\\.0: models/churn: changed by a commit through no pull request: ${pushed.slice(0, 7)}`,
        ),
      );
      expect((await rec.records()).filter((r) => r.kind === "deployment").map((r) => r.verdict)).toEqual([
        "rejected",
      ]);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "takes neither advisory enforcement nor the guarded environments from the deployed commit alone",
    async () => {
      const { rec, s } = await scenario(backend, FILES);
      await publish(s, "v1.0");
      // A direct push that also declares itself advisory: the deployer chose the commit, not the policy.
      const advisory = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: {
          "models/churn/model.py": "weights = 666\n",
          ".github/readiness.yml": ENFORCED.replace("version: 1\n", "version: 1\nenforcement: advisory\n"),
        },
      });
      const first = await deploy(s, "production", advisory);
      expect(first.answers).toEqual([expect.objectContaining({ state: "rejected" })]);
      expect(first.answers[0]?.comment).toMatch(/^Readiness gate: commit \w+ is not ready since v1\.0:/);

      // A commit off the default branch that deletes the policy: still guarded, and rejected.
      const deleting = s.gh.commit(REPO, {
        parent: "v1.0",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 667\n", ".github/readiness.yml": null },
      });
      const second = await deploy(s, "production", deleting);
      expect(second.answers).toEqual([expect.objectContaining({ state: "rejected" })]);
      expect(second.answers[0]?.comment).toMatch(/the deployed commit has no readiness policy/);
      expect((await rec.records()).filter((r) => r.kind === "deployment").map((r) => r.verdict)).toEqual([
        "rejected",
        "rejected",
      ]);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "approves an unready commit, saying it would reject, where the policy was advisory before it",
    async () => {
      const advisory = ENFORCED.replace("version: 1\n", "version: 1\nenforcement: advisory\n");
      const { s } = await scenario(backend, { ...FILES, ".github/readiness.yml": advisory });
      await publish(s, "v1.0");
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 666\n" },
      });
      const { answers } = await deploy(s, "production", pushed);
      expect(answers).toEqual([expect.objectContaining({ state: "approved" })]);
      expect(answers[0]?.comment).toMatch(
        /^Readiness gate \(advisory — would reject\): commit \w+ is not ready/,
      );
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "leaves an environment the policy does not list alone: no answer, no record",
    async () => {
      const { rec, s } = await scenario(backend, FILES);
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "w\n" },
      });
      const { answers, requests } = await deploy(s, "staging", pushed);
      expect(answers).toEqual([]);
      // Only the policy was read.
      expect(requests).toBe(1);
      expect((await rec.records()).filter((r) => r.kind === "deployment")).toEqual([]);
    },
  );

  it.runIf(available)("rejects a deployment of a commit GitHub no longer has", async () => {
    const { s } = await scenario(backend, FILES);
    const payload = s.app.hooks.deploymentProtectionRule(REPO, {
      environment: "production",
      sha: s.gh.resolveRef(REPO, "main") as string,
      runId: ++runs,
    });
    const gone = "0badc0de".repeat(5);
    (payload.deployment as { sha: string }).sha = gone;
    await s.app.receive("deployment_protection_rule", payload);
    const answers = s.gh.repo(REPO).deploymentReviews.filter((r) => r.run_id === runs);
    expect(answers).toEqual([expect.objectContaining({ state: "rejected" })]);
    expect(answers[0]?.comment).toMatch(/could not be judged/);
    expectAccepted(s.gh);
  });
});
