// What a pull request shows when it is opened, pushed to, reopened or retargeted: the check run
// GitHub shows on its head, on the GitHub stand-in.
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/app/metrics.js";
import type { ServiceOptions } from "../../src/app/services.js";
import type { PullRequestRecord } from "../support/github-standin/records.js";
import { expectAccepted, openPull, REPO, type Sample, sample, writes } from "./on-standin.js";
import { baseFiles, headFiles, POLICY, results } from "./repository.js";

let current: Sample | undefined;

afterEach(async () => {
  await current?.gh.close();
  current = undefined;
});

/** The sample repository (or `base`) with a PR by dana changing `files`, not yet evaluated. */
async function github(
  files: Record<string, string | null>,
  options: { base?: Record<string, string>; app?: ServiceOptions } = {},
): Promise<Sample & { pr: PullRequestRecord }> {
  current = await sample(options.base ?? baseFiles(), options.app);
  return { ...current, pr: openPull(current.gh, { files }) };
}

/** dana's PR, delivered as `action`. */
function deliver({ app, pr }: Sample & { pr: PullRequestRecord }, action: string): Promise<void> {
  return app.receive("pull_request", app.hooks.pullRequest(REPO, pr.number, action));
}

const blocked = { "models/churn/model.py": "weights = 2\n", "models/churn/ROLLBACK.md": null };
const complete = {
  "models/churn/model.py": "weights = 2\n",
  "models/churn/eval/results.json": results(0.95),
};
const withoutPolicy = () => headFiles({ ".github/readiness.yml": undefined });

const CREATE = "POST /repos/{owner}/{repo}/check-runs";
const UPDATE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";

describe("pull_request", () => {
  it("posts nothing at all where neither the repository nor the org has a policy", async () => {
    const s = await github({ "models/churn/model.py": "weights = 2\n" }, { base: withoutPolicy() });
    await deliver(s, "opened");
    expect(s.gh.requests.filter((r) => r.path.includes("/check-runs"))).toEqual([]);
    expect(writes(s.gh)).toEqual([]);
    expectAccepted(s.gh);
  });

  it("passes a pull request that touches only files no policy governs", async () => {
    const s = await github({ "README.md": "# app, documented\n" });
    await deliver(s, "opened");
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run).toMatchObject({
      name: "Readiness gate",
      head_sha: s.pr.head.sha,
      status: "completed",
      conclusion: "success",
      output: { title: "No governed artifacts changed", annotations: [] },
    });
    expectAccepted(s.gh);
  });

  it("fails on missing evidence, with an annotation on each evidence file", async () => {
    const s = await github(blocked);
    await deliver(s, "opened");
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Blocked: 2 items to fix in 1 artifact");
    expect(run.output.summary).toContain("models/churn/ROLLBACK.md does not exist");
    expect(run.output.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ["models/churn/eval/results.json", 1, "failure"],
      ["models/churn/ROLLBACK.md", 1, "failure"],
    ]);
    expect(run.details_url).toBe(`${s.gh.render.web}/acme/app/pull/${s.pr.number}`);
    expectAccepted(s.gh);
  });

  it("annotates the failing line of the evidence", async () => {
    const s = await github({
      "models/churn/model.py": "weights = 2\n",
      "models/churn/eval/results.json": results(0.85),
    });
    await deliver(s, "synchronize");
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run.conclusion).toBe("failure");
    const [annotation] = run.output.annotations;
    expect(annotation).toMatchObject({
      path: "models/churn/eval/results.json",
      start_line: 3,
      annotation_level: "failure",
    });
    expect(annotation?.message).toContain("0.85");
  });

  it("asks for approvals when the evidence holds and approvals are missing", async () => {
    const s = await github(complete);
    await deliver(s, "opened");
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run).toMatchObject({
      conclusion: "action_required",
      output: { title: "Awaiting 1 approval", annotations: [] },
    });
    expect(run.actions.map((a) => a.identifier)).toEqual(["recheck", "request_reviews"]);
  });

  it("passes once a compliance team member approved the head", async () => {
    const s = await github(complete);
    s.gh.addReview(REPO, s.pr.number, { user: "carol", state: "APPROVED" });
    await deliver(s, "reopened");
    expect(s.app.shown(REPO, s.pr.head.sha)).toMatchObject({
      conclusion: "success",
      output: { title: "Ready" },
    });
  });

  it("reads the org policy when the repository has none", async () => {
    const s = await github({ "models/churn/model.py": "weights = 2\n" }, { base: withoutPolicy() });
    s.gh.addRepo("acme/.github", { files: { ".github/readiness.yml": POLICY }, author: "gina" });
    await deliver(s, "opened");
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("acme/.github:.github/readiness.yml");
  });

  it("posts a failure saying why when GitHub fails, so no earlier success stands", async () => {
    const metrics = createMetrics();
    const s = await github(complete, { app: { metrics } });
    // The evidence is read after the policy: GitHub fails that read.
    s.gh.failNext("POST", "/graphql", { status: 502, body: /eval\/results\.json/ });
    await expect(deliver(s, "synchronize")).rejects.toThrow();
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run).toMatchObject({ head_sha: s.pr.head.sha, conclusion: "failure" });
    expect(run.actions.map((a) => a.identifier)).toEqual(["recheck"]);
    expect(run.output.title).toMatch(/^Readiness could not be evaluated: /);
    expect(await metrics.registry.getSingleMetricAsString("readiness_evaluations_total")).toContain(
      'readiness_evaluations_total{verdict="error"} 1',
    );
  });

  it("updates the run of a redelivered event in place, without repeating its annotations", async () => {
    const s = await github(blocked);
    const payload = s.app.hooks.pullRequest(REPO, s.pr.number, "opened");
    await s.app.receive("pull_request", payload);
    await s.app.receive("pull_request", payload);
    expect(s.gh.requestsTo(CREATE)).toHaveLength(1);
    const [update] = s.gh.requestsTo(UPDATE);
    const [run] = s.app.runs(REPO, s.pr.head.sha);
    expect(update?.path).toBe(`/repos/acme/app/check-runs/${run?.id}`);
    expect(update?.body).toMatchObject({
      conclusion: "failure",
      output: { title: "Blocked: 2 items to fix in 1 artifact" },
    });
    expect(update?.body).not.toHaveProperty("output.annotations");
    expect(s.app.runs(REPO, s.pr.head.sha)).toHaveLength(1);
    expect(run?.output.annotations).toHaveLength(2);
  });

  it("serialises concurrent deliveries for the same head into one run", async () => {
    const s = await github(blocked);
    await Promise.all([deliver(s, "synchronize"), deliver(s, "synchronize")]);
    expect(s.gh.requestsTo(CREATE)).toHaveLength(1);
    expect(s.app.runs(REPO, s.pr.head.sha)).toHaveLength(1);
  });

  it("ignores an edit that does not change the base", async () => {
    const s = await github(blocked);
    const payload = {
      ...s.app.hooks.pullRequest(REPO, s.pr.number, "edited"),
      changes: { title: { from: "old" } },
    };
    await s.app.receive("pull_request", payload);
    expect(s.gh.requests).toEqual([]);
  });

  it("re-evaluates a retargeted pull request", async () => {
    const s = await github(blocked);
    s.gh.setBranch(REPO, "release", s.pr.base.sha);
    await s.app.receive("pull_request", s.app.hooks.retarget(REPO, s.pr.number, "release"));
    expect(s.gh.requestsTo(CREATE)).toHaveLength(1);
    expect(s.app.runs(REPO, s.pr.head.sha)).toHaveLength(1);
    expectAccepted(s.gh);
  });

  it("links the app's details page under PUBLIC_URL", async () => {
    const s = await github(blocked, { app: { publicUrl: "https://readiness.example.com/" } });
    await deliver(s, "ready_for_review");
    expect(s.app.shown(REPO, s.pr.head.sha).details_url).toBe(
      `https://readiness.example.com/pulls/acme/app/${s.pr.number}`,
    );
  });

  it("counts evaluations and GitHub requests for /metrics", async () => {
    const metrics = createMetrics();
    const s = await github(blocked, { app: { metrics } });
    await deliver(s, "opened");
    const text = await metrics.registry.metrics();
    expect(text).toContain('readiness_evaluations_total{verdict="blocked"} 1');
    expect(text).toMatch(/readiness_github_requests_total\{status="2xx"\} \d+/);
    expect(text).toContain('readiness_webhook_seconds_count{event="pull_request.opened"} 1');
    expect(text).toContain('readiness_evaluation_seconds_count{verdict="blocked"} 1');
  });
});
