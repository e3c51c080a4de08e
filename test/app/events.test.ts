// The events that re-evaluate without a pull_request delivery: buttons, suites, merge groups,
// policy pushes and team membership. On the GitHub stand-in: the sample PR retrains the model
// with fresh results, so its evidence holds and the compliance approval is missing.
import { afterEach, describe, expect, it } from "vitest";
import { expectAccepted, openPull, REPO, RETRAINED, type Sample, sample, writes } from "./on-standin.js";

let current: Sample | undefined;

async function github(): Promise<Sample> {
  current = await sample();
  return current;
}

afterEach(async () => {
  await current?.gh.close();
  current = undefined;
});

const REVIEW_REQUESTS = "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers";

/** The sample PR, evaluated once (its run is on the head), with the log cleared after. */
async function checkedPull({ gh, app }: Sample) {
  const pr = openPull(gh);
  await app.receive("pull_request", app.hooks.pullRequest(REPO, pr.number, "opened"));
  const run = app.shown(REPO, pr.head.sha);
  gh.clearLog();
  return { pr, run };
}

describe("check_run", () => {
  it("Request reviews asks the org's teams whose approvals are missing", async () => {
    const { gh, app } = await github();
    const { pr, run } = await checkedPull({ gh, app });
    await app.receive("check_run", app.hooks.checkRun(REPO, run.id, "dana", "request_reviews"));
    const [request] = gh.requestsTo(REVIEW_REQUESTS);
    expect(request?.body).toEqual({ team_reviewers: ["ai-compliance"] });
    expect(gh.pullRequest(REPO, pr.number).requested_teams).toEqual(["ai-compliance"]);
    expect(app.runs(REPO, pr.head.sha)).toHaveLength(1);
    expect(app.shown(REPO, pr.head.sha).writes).toBe(2); // the button re-evaluated, in place
    expectAccepted(gh);
  });

  it("Re-check and Re-run re-evaluate the pull request", async () => {
    const { gh, app } = await github();
    const { pr, run } = await checkedPull({ gh, app });
    await app.receive("check_run", app.hooks.checkRun(REPO, run.id, "dana", "recheck"));
    await app.receive("check_run", app.hooks.checkRun(REPO, run.id, "dana"));
    expect(app.runs(REPO, pr.head.sha)).toHaveLength(1);
    expect(app.shown(REPO, pr.head.sha).writes).toBe(3);
    expect(gh.requestsTo(REVIEW_REQUESTS)).toEqual([]);
    expectAccepted(gh);
  });

  it("leaves other apps' runs and unknown buttons alone", async () => {
    const { gh, app } = await github();
    const { pr, run } = await checkedPull({ gh, app });
    const ci = gh.addCheckRun(REPO, { name: "CI", head_sha: pr.head.sha, app_id: 99 });
    await app.receive("check_run", app.hooks.checkRun(REPO, ci.id, "dana"));
    await app.receive("check_run", app.hooks.checkRun(REPO, run.id, "dana", "lgtm"));
    expect(gh.requests).toEqual([]);
  });
});

describe("check_suite", () => {
  it("evaluates the open pull requests whose head is the suite's commit", async () => {
    const { gh, app } = await github();
    const pr = openPull(gh);
    const other = openPull(gh, { head: "docs", files: { "README.md": "# app!\n" } });
    const payload = app.hooks.checkSuite(REPO, pr.head.sha, "requested");
    // A listed PR whose head is another commit is not this suite's.
    const suite = payload.check_suite as { pull_requests: Array<Record<string, unknown>> };
    const [listed] = suite.pull_requests as Array<{ head: Record<string, unknown> }>;
    suite.pull_requests.push({
      ...listed,
      number: other.number,
      id: other.id,
      head: { ...listed?.head, ref: "docs", sha: other.head.sha },
    });
    await app.receive("check_suite", payload);
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/pulls/{pull_number}").map((r) => r.path)).toEqual([
      `/repos/acme/app/pulls/${pr.number}`,
    ]);
    expect(app.shown(REPO, pr.head.sha).conclusion).toBe("action_required");
    expect(app.runs(REPO, other.head.sha)).toEqual([]);
    expectAccepted(gh);
  });
});

/** `merge_group.checks_requested` for a queue commit on main with `files` changed. */
function mergeGroup({ gh, app }: Sample, files: Record<string, string>) {
  const baseSha = gh.resolveRef(REPO, "main") as string;
  const headRef = "gh-readonly-queue/main/pr-1";
  const headSha = gh.commit(REPO, { branch: headRef, parent: "main", author: "dana", files });
  return { headSha, payload: app.hooks.mergeGroup(REPO, headRef, baseSha, headSha) };
}

describe("merge_group", () => {
  it("evaluates the group's commit without people: evidence counts, approvals are not checked", async () => {
    const s = await github();
    const base = s.gh.resolveRef(REPO, "main");
    const { headSha, payload } = mergeGroup(s, RETRAINED);
    await s.app.receive("merge_group", payload);
    expect(
      s.gh.requests.filter((r) => r.path === `/repos/acme/app/compare/${base}...${headSha}`),
    ).toHaveLength(1);
    expect(s.gh.requests.filter((r) => /reviews|\/pulls\//.test(r.path))).toEqual([]);
    const run = s.app.shown(REPO, headSha);
    expect(run.conclusion).toBe("success");
    expect(run.details_url).toBeNull();
    expectAccepted(s.gh);
  });

  it("holds a group whose evidence fails", async () => {
    const s = await github();
    const { headSha, payload } = mergeGroup(s, { "models/churn/model.py": "weights = 2\n" });
    await s.app.receive("merge_group", payload);
    expect(s.app.shown(REPO, headSha).conclusion).toBe("failure");
    expectAccepted(s.gh);
  });
});

/** A push to `ref` of one commit from main's tip that touches `paths` (a line added to each). */
function push({ gh, app }: Sample, paths: string[], ref = "refs/heads/main") {
  const before = gh.resolveRef(REPO, "main") as string;
  const at = gh.filesAt(REPO, before);
  const files = Object.fromEntries(paths.map((path) => [path, `${at.get(path) ?? ""}# pushed\n`]));
  gh.commit(REPO, { branch: ref.replace("refs/heads/", ""), parent: before, author: "alice", files });
  return app.hooks.push(REPO, ref, before, "alice");
}

describe("push", () => {
  it("re-evaluates open pull requests against the new tip when the policy changes", async () => {
    const s = await github();
    const pr = openPull(s.gh);
    await s.app.receive("push", push(s, [".github/readiness.yml"]));
    const [list] = s.gh.requestsTo("GET /repos/{owner}/{repo}/pulls");
    expect(list?.query.base).toBe("main");
    expect(list?.query.state).toBe("open");
    expect(s.app.runs(REPO, pr.head.sha)).toHaveLength(1);
    expectAccepted(s.gh);
  });

  it("re-evaluates nothing for pushes that leave the policy alone or go to other branches", async () => {
    const s = await github();
    openPull(s.gh);
    await s.app.receive("push", push(s, [".github/readiness.yml"], "refs/heads/feature"));
    // Another branch: not a question to GitHub.
    expect(s.gh.requests).toEqual([]);
    await s.app.receive("push", push(s, ["README.md"]));
    // The default branch: only the bypass check reads (bypass.test.ts); no pull request is evaluated.
    expect(writes(s.gh)).toEqual([]);
    expect(s.gh.requests.filter((r) => /pullRequest\(number:/.test(JSON.stringify(r.body)))).toEqual([]);
    expectAccepted(s.gh);
  });
});

describe("membership", () => {
  it("re-evaluates open pull requests that already have a Readiness gate run", async () => {
    const { gh, app } = await github();
    const { pr } = await checkedPull({ gh, app });
    gh.removeTeamMember("acme", "ai-compliance", "carol");
    await app.receive("membership", app.hooks.membership("acme", "ai-compliance", "carol", "removed"));
    expect(gh.requestsTo("GET /installation/repositories")).toHaveLength(1);
    const run = app.shown(REPO, pr.head.sha);
    expect(run.writes).toBe(2);
    expect(run.conclusion).toBe("action_required");
    expectAccepted(gh);
  });

  it("skips pull requests the app never checked", async () => {
    const { gh, app } = await github();
    openPull(gh);
    await app.receive("membership", app.hooks.membership("acme", "ai-compliance", "carol", "removed"));
    // One GraphQL query looked for our run on every open PR's head; none, so nothing more.
    expect(gh.requestsTo("POST /graphql")).toHaveLength(1);
    expect(writes(gh).filter((w) => w.includes("check-runs"))).toEqual([]);
    expectAccepted(gh);
  });
});
