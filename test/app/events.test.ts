// The events that re-evaluate without a pull_request delivery: buttons, suites, merge groups,
// policy pushes and team membership.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { BASE_SHA, HEAD_SHA, OWNER, REPO } from "./fake-github.js";
import { createTestApp, example, pullRequestPayload } from "./harness.js";
import { headFiles, retrainedModelGitHub, TEAMS } from "./repository.js";

afterEach(() => {
  nock.cleanAll();
});

// Evidence holds, the compliance approval is missing.
const github = retrainedModelGitHub;

const pullRef = (number = 7) => ({
  url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${number}`,
  id: 1000 + number,
  number,
  head: { ref: "feature", sha: HEAD_SHA, repo: { id: 1296269, url: "", name: REPO } },
  base: { ref: "main", sha: BASE_SHA, repo: { id: 1296269, url: "", name: REPO } },
});

function checkRunPayload(action: "rerequested" | "requested_action", identifier?: string) {
  const payload = example("check_run", action);
  payload.check_run.name = "Readiness gate";
  payload.check_run.head_sha = HEAD_SHA;
  payload.check_run.pull_requests = [pullRef()];
  if (identifier) payload.requested_action = { identifier };
  return payload;
}

describe("check_run", () => {
  it("Request reviews asks the org's teams whose approvals are missing", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("check_run", checkRunPayload("requested_action", "request_reviews"));
    const [request] = fake.called("POST", "/repos/acme/app/pulls/7/requested_reviewers");
    expect(request?.body).toEqual({ team_reviewers: ["ai-compliance"] });
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
    expect(fake.unhandled).toEqual([]);
  });

  it("Re-check and Re-run re-evaluate the pull request", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("check_run", checkRunPayload("requested_action", "recheck"));
    await app.receive("check_run", checkRunPayload("rerequested"));
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
    expect(fake.called("PATCH", /check-runs/)).toHaveLength(1);
    expect(fake.called("POST", /requested_reviewers/)).toEqual([]);
  });

  it("leaves other apps' runs and unknown buttons alone", async () => {
    const fake = github();
    const app = await createTestApp();
    const other = checkRunPayload("rerequested");
    other.check_run.name = "CI";
    await app.receive("check_run", other);
    await app.receive("check_run", checkRunPayload("requested_action", "lgtm"));
    expect(fake.calls).toEqual([]);
  });
});

describe("check_suite", () => {
  it("evaluates the open pull requests whose head is the suite's commit", async () => {
    const fake = github();
    const app = await createTestApp();
    const payload = example("check_suite", "requested");
    payload.check_suite.head_sha = HEAD_SHA;
    payload.repository.id = 1296269;
    payload.check_suite.pull_requests = [
      pullRef(),
      { ...pullRef(8), head: { ...pullRef(8).head, sha: "d".repeat(40) } },
    ];
    await app.receive("check_suite", payload);
    expect(fake.called("GET", /^\/repos\/acme\/app\/pulls\/\d+$/).map((c) => c.path)).toEqual([
      "/repos/acme/app/pulls/7",
    ]);
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({ head_sha: HEAD_SHA, conclusion: "action_required" });
  });
});

describe("merge_group", () => {
  it("evaluates the group's commit without people: evidence counts, approvals are not checked", async () => {
    const fake = github();
    const app = await createTestApp();
    const payload = example("merge_group", "checks_requested");
    payload.merge_group.base_sha = BASE_SHA;
    payload.merge_group.head_sha = HEAD_SHA;
    await app.receive("merge_group", payload);
    expect(fake.called("GET", `/repos/acme/app/compare/${BASE_SHA}...${HEAD_SHA}`)).toHaveLength(1);
    expect(fake.called("GET", /reviews|\/pulls\//)).toEqual([]);
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({ head_sha: HEAD_SHA, conclusion: "success" });
    expect(create?.body.details_url).toBeUndefined();
  });

  it("holds a group whose evidence fails", async () => {
    const fake = github({ head: headFiles({ "models/churn/model.py": "weights = 2\n" }) });
    const app = await createTestApp();
    const payload = example("merge_group", "checks_requested");
    payload.merge_group.base_sha = BASE_SHA;
    payload.merge_group.head_sha = HEAD_SHA;
    await app.receive("merge_group", payload);
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body.conclusion).toBe("failure");
  });
});

function pushPayload(paths: string[], ref = "refs/heads/main") {
  const payload = example("push", undefined);
  payload.ref = ref;
  payload.after = BASE_SHA;
  payload.deleted = false;
  payload.repository.default_branch = "main";
  payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified: paths }];
  return payload;
}

describe("push", () => {
  it("re-evaluates open pull requests against the new tip when the policy changes", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("push", pushPayload([".github/readiness.yml"]));
    const [list] = fake.called("GET", "/repos/acme/app/pulls");
    expect(list?.query.get("base")).toBe("main");
    expect(list?.query.get("state")).toBe("open");
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
  });

  it("ignores pushes that leave the policy alone or go to other branches", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("push", pushPayload(["README.md"]));
    await app.receive("push", pushPayload([".github/readiness.yml"], "refs/heads/feature"));
    expect(fake.calls).toEqual([]);
  });
});

describe("membership", () => {
  it("re-evaluates open pull requests that already have a Readiness gate run", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    expect(fake.checkRuns).toHaveLength(1);

    fake.scenario.teams = { ...TEAMS, "acme/ai-compliance": [] };
    const payload = example("membership", "removed");
    payload.organization.login = OWNER;
    await app.receive("membership", payload);
    expect(fake.called("GET", "/installation/repositories")).toHaveLength(1);
    const [update] = fake.called("PATCH", /check-runs/);
    expect(update?.body.conclusion).toBe("action_required");
  });

  it("skips pull requests the app never checked", async () => {
    const fake = github();
    const app = await createTestApp();
    const payload = example("membership", "removed");
    payload.organization.login = OWNER;
    await app.receive("membership", payload);
    // One GraphQL query looked for our run on every open PR's head; none, so nothing more.
    expect(fake.called("POST", "/graphql")).toHaveLength(1);
    expect(fake.called("POST", /check-runs/)).toEqual([]);
    expect(fake.unhandled).toEqual([]);
  });
});
