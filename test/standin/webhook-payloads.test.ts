// Every payload the stand-in's webhook builder (test/e2e/webhooks.ts) makes is one GitHub could
// send: checked here, kind by kind, against GitHub's webhook schema, with the installation the
// harnesses add. The harnesses check each delivery too; this names every problem at once.
// release, deployment_protection_rule and forced or deleting pushes are checked, with what the app
// does with them, in github-standin-releases.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSampleRepository, openPull, REPO, RETRAINED } from "../app/on-standin.js";
import { baseFiles } from "../app/repository.js";
import { Webhooks } from "../e2e/webhooks.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { webhookProblems } from "../support/webhook-schema.js";

let gh: GitHubStandIn;
let hooks: Webhooks;

beforeAll(async () => {
  gh = await startGitHubStandIn();
  addSampleRepository(gh, REPO, baseFiles());
  hooks = new Webhooks(gh);
});

afterAll(async () => {
  await gh?.close();
});

/** Every problem, one a line ("" when GitHub could send it), so a failure lists them all. */
function problems(event: string, payload: Record<string, unknown>): string {
  return webhookProblems(event, { ...payload, installation: gh.render.installation(gh.installationId) }).join(
    "\n",
  );
}

describe("the stand-in's webhooks against GitHub's schema", () => {
  it("pull_request, every action the app hears, and a retarget", () => {
    const pr = openPull(gh, { head: "payloads-pr" });
    for (const action of ["opened", "synchronize", "reopened", "ready_for_review", "closed"]) {
      expect(problems("pull_request", hooks.pullRequest(REPO, pr.number, action)), action).toBe("");
    }
    gh.setBranch(REPO, "release", gh.resolveRef(REPO, "main") as string);
    expect(problems("pull_request", hooks.retarget(REPO, pr.number, "release"))).toBe("");
  });

  it("pull_request_review and issue_comment", () => {
    const pr = openPull(gh, { head: "payloads-review" });
    const review = gh.addReview(REPO, pr.number, { user: "carol", state: "APPROVED" });
    for (const action of ["submitted", "edited", "dismissed"]) {
      expect(problems("pull_request_review", hooks.review(REPO, pr.number, review.id, action)), action).toBe(
        "",
      );
    }
    const comment = gh.addIssueComment(REPO, pr.number, { user: "dana", body: "/readiness recheck" });
    expect(problems("issue_comment", hooks.comment(REPO, pr.number, comment.id))).toBe("");
  });

  it("check_run and check_suite", () => {
    const pr = openPull(gh, { head: "payloads-checks" });
    const run = gh.addCheckRun(REPO, {
      name: "Readiness gate",
      head_sha: pr.head.sha,
      conclusion: "failure",
    });
    expect(problems("check_run", hooks.checkRun(REPO, run.id, "dana"))).toBe("");
    expect(problems("check_run", hooks.checkRun(REPO, run.id, "dana", "recheck"))).toBe("");
    for (const action of ["requested", "rerequested"]) {
      expect(problems("check_suite", hooks.checkSuite(REPO, pr.head.sha, action)), action).toBe("");
    }
  });

  it("merge_group, push and membership", () => {
    const base = gh.resolveRef(REPO, "main") as string;
    gh.commit(REPO, { files: { ".github/readiness.yml": "version: 1\n" } });
    const head = gh.commit(REPO, { branch: "gh-readonly-queue/main/pr-1", parent: "main", files: RETRAINED });
    expect(problems("merge_group", hooks.mergeGroup(REPO, "gh-readonly-queue/main/pr-1", base, head))).toBe(
      "",
    );
    expect(problems("push", hooks.push(REPO, "refs/heads/main", base))).toBe("");
    for (const action of ["added", "removed"] as const) {
      expect(problems("membership", hooks.membership("acme", "ai-compliance", "carol", action)), action).toBe(
        "",
      );
    }
  });
});
