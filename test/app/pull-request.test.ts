import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { BASE_SHA, FakeGitHub, HEAD_SHA, type Scenario } from "./fake-github.js";
import { createTestApp, pullRequestPayload } from "./harness.js";
import { baseFiles, headFiles, POLICY, results, TEAMS } from "./repository.js";

afterEach(() => {
  nock.cleanAll();
});

function github(scenario: Partial<Scenario>): FakeGitHub {
  return new FakeGitHub({ base: baseFiles(), head: baseFiles(), teams: TEAMS, ...scenario });
}

const blockedHead = () =>
  headFiles({ "models/churn/model.py": "weights = 2\n", "models/churn/ROLLBACK.md": undefined });
const completeHead = () =>
  headFiles({ "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) });

describe("pull_request", () => {
  it("posts nothing at all where neither the repository nor the org has a policy", async () => {
    const base = headFiles({ ".github/readiness.yml": undefined });
    const fake = github({ base, head: { ...base, "models/churn/model.py": "weights = 2\n" } });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    expect(fake.called("GET", /check-runs/)).toEqual([]);
    expect(fake.called("POST", /check-runs|comments|issues/)).toEqual([]);
    expect(fake.unhandled).toEqual([]);
  });

  it("passes a pull request that touches only files no policy governs", async () => {
    const fake = github({ head: headFiles({ "README.md": "# app, documented\n" }) });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({
      name: "Readiness gate",
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "success",
      output: { title: "No governed artifacts changed" },
    });
    expect(create?.body.output.annotations).toBeUndefined();
    expect(fake.unhandled).toEqual([]);
  });

  it("fails on missing evidence, with an annotation on each evidence file", async () => {
    const fake = github({ head: blockedHead() });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body.conclusion).toBe("failure");
    expect(create?.body.output.title).toBe("Blocked: 2 items to fix in 1 artifact");
    expect(create?.body.output.summary).toContain("models/churn/ROLLBACK.md does not exist");
    const annotations = create?.body.output.annotations as {
      path: string;
      start_line: number;
      annotation_level: string;
    }[];
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ["models/churn/eval/results.json", 1, "failure"],
      ["models/churn/ROLLBACK.md", 1, "failure"],
    ]);
    expect(create?.body.details_url).toBe("https://github.com/acme/app/pull/7");
    expect(fake.unhandled).toEqual([]);
  });

  it("annotates the failing line of the evidence", async () => {
    const fake = github({
      head: headFiles({
        "models/churn/model.py": "weights = 2\n",
        "models/churn/eval/results.json": results(0.85),
      }),
    });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("synchronize"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body.conclusion).toBe("failure");
    const [annotation] = create?.body.output.annotations ?? [];
    expect(annotation).toMatchObject({
      path: "models/churn/eval/results.json",
      start_line: 3,
      annotation_level: "failure",
    });
    expect(annotation.message).toContain("0.85");
  });

  it("asks for approvals when the evidence holds and approvals are missing", async () => {
    const fake = github({ head: completeHead() });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({
      conclusion: "action_required",
      output: { title: "Awaiting 1 approval" },
    });
    expect(create?.body.actions.map((a: { identifier: string }) => a.identifier)).toEqual([
      "recheck",
      "request_reviews",
    ]);
    expect(create?.body.output.annotations).toBeUndefined();
  });

  it("passes once a compliance team member approved the head", async () => {
    const fake = github({
      head: completeHead(),
      reviews: [{ user: "carol", state: "APPROVED", commit_id: HEAD_SHA }],
    });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("reopened"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({ conclusion: "success", output: { title: "Ready" } });
  });

  it("reads the org policy when the repository has none", async () => {
    const base = headFiles({ ".github/readiness.yml": undefined });
    const fake = github({
      orgPolicy: POLICY,
      base,
      head: { ...base, "models/churn/model.py": "weights = 2\n" },
    });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body.conclusion).toBe("failure");
    expect(create?.body.output.summary).toContain("acme/.github:.github/readiness.yml");
  });

  it("posts a failure saying why when GitHub fails, so no earlier success stands", async () => {
    // The evidence is read after the policy: GitHub fails those reads.
    const fake = github({ head: completeHead(), failingFields: ["object"] });
    const app = await createTestApp();
    await expect(app.receive("pull_request", pullRequestPayload("synchronize"))).rejects.toThrow();
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({
      head_sha: HEAD_SHA,
      conclusion: "failure",
      actions: [{ identifier: "recheck" }],
    });
    expect(create?.body.output.title).toMatch(/^Readiness could not be evaluated: /);
    expect(await app.metrics.registry.getSingleMetricAsString("readiness_evaluations_total")).toContain(
      'readiness_evaluations_total{verdict="error"} 1',
    );
  });

  it("updates the run of a redelivered event in place, without repeating its annotations", async () => {
    const fake = github({ head: blockedHead() });
    const app = await createTestApp();
    const payload = pullRequestPayload("opened");
    await app.receive("pull_request", payload);
    await app.receive("pull_request", payload);
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
    const [update] = fake.called("PATCH", /^\/repos\/acme\/app\/check-runs\/\d+$/);
    expect(update?.path).toBe(`/repos/acme/app/check-runs/${fake.checkRuns[0]?.id}`);
    expect(update?.body).toMatchObject({
      conclusion: "failure",
      output: { title: "Blocked: 2 items to fix in 1 artifact" },
    });
    expect(update?.body.output.annotations).toBeUndefined();
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]?.annotations).toHaveLength(2);
  });

  it("serialises concurrent deliveries for the same head into one run", async () => {
    const fake = github({ head: blockedHead() });
    const app = await createTestApp();
    await Promise.all([
      app.receive("pull_request", pullRequestPayload("synchronize")),
      app.receive("pull_request", pullRequestPayload("synchronize")),
    ]);
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });

  it("ignores an edit that does not change the base", async () => {
    const fake = github({ head: blockedHead() });
    const app = await createTestApp();
    const payload = pullRequestPayload("edited");
    payload.changes = { title: { from: "old title" } };
    await app.receive("pull_request", payload);
    expect(fake.calls).toEqual([]);
  });

  it("re-evaluates a retargeted pull request", async () => {
    const fake = github({ head: blockedHead() });
    const app = await createTestApp();
    const payload = pullRequestPayload("edited");
    payload.changes = { base: { ref: { from: "release" }, sha: { from: BASE_SHA } } };
    await app.receive("pull_request", payload);
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
  });

  it("links the app's details page under PUBLIC_URL", async () => {
    const fake = github({ head: blockedHead() });
    const app = await createTestApp({ publicUrl: "https://readiness.example.com/" });
    await app.receive("pull_request", pullRequestPayload("ready_for_review"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body.details_url).toBe("https://readiness.example.com/pulls/acme/app/7");
  });

  it("counts evaluations and GitHub requests for /metrics", async () => {
    github({ head: blockedHead() });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    const text = await app.metrics.registry.metrics();
    expect(text).toContain('readiness_evaluations_total{verdict="blocked"} 1');
    expect(text).toMatch(/readiness_github_requests_total\{status="2xx"\} \d+/);
    expect(text).toContain('readiness_webhook_seconds_count{event="pull_request.opened"} 1');
    expect(text).toContain('readiness_evaluation_seconds_count{verdict="blocked"} 1');
  });
});
