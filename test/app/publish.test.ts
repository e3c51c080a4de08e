import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { KeyedMutex } from "../../src/app/keyed-mutex.js";
import { annotationsFingerprint, createPublisher, stampOf } from "../../src/app/publish.js";
import type { Annotation, CheckRunOutput } from "../../src/report/index.js";
import { APP_ID, FakeGitHub, HEAD_SHA, OWNER, REPO } from "./fake-github.js";
import { createTestApp } from "./harness.js";
import { baseFiles } from "./repository.js";

afterEach(() => {
  nock.cleanAll();
});

const target = { owner: OWNER, repo: REPO, headSha: HEAD_SHA, appId: APP_ID };

function annotations(count: number, path = "models/churn/eval/results.json"): Annotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path,
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "failure" as const,
    message: `problem ${i + 1}`,
    title: "Readiness: evaluation fails for models/churn",
  }));
}

function content(list: Annotation[]): CheckRunOutput {
  return { conclusion: "failure", title: "Blocked", summary: "summary", annotations: list, actions: [] };
}

async function setup() {
  const fake = new FakeGitHub({ base: baseFiles(), head: baseFiles() });
  const app = await createTestApp();
  return { fake, octokit: await app.probot.auth(1) };
}

describe("publish", () => {
  it("sends 50 annotations with the first write and the rest in further updates", async () => {
    const { fake, octokit } = await setup();
    await createPublisher().publish(octokit, target, content(annotations(120)));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    const updates = fake.called("PATCH", /check-runs/);
    expect(create?.body.output.annotations).toHaveLength(50);
    expect(updates.map((u) => u.body.output.annotations.length)).toEqual([50, 20]);
    expect(updates[1]?.body.output).toMatchObject({ title: "Blocked", summary: "summary" });
    expect(fake.checkRuns[0]?.annotations).toHaveLength(120);
  });

  it("adds annotations to a run that has none, in place", async () => {
    const { fake, octokit } = await setup();
    const publisher = createPublisher();
    await publisher.publish(octokit, target, content([]));
    await publisher.publish(octokit, target, content(annotations(3)));
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]?.annotations).toHaveLength(3);
  });

  it("starts a fresh run when the findings on the same head changed, since GitHub cannot remove annotations", async () => {
    const { fake, octokit } = await setup();
    const publisher = createPublisher();
    await publisher.publish(octokit, target, content(annotations(2)));
    await publisher.publish(octokit, target, content(annotations(1, "models/churn/ROLLBACK.md")));
    expect(fake.checkRuns.map((r) => r.annotations.length)).toEqual([2, 1]);
    // The next evaluation finds the newest run and updates it.
    await publisher.publish(octokit, target, content(annotations(1, "models/churn/ROLLBACK.md")));
    expect(fake.checkRuns).toHaveLength(2);
    expect(fake.called("PATCH", /check-runs/).map((c) => c.path)).toEqual([
      `/repos/acme/app/check-runs/${fake.checkRuns[1]?.id}`,
    ]);
  });

  it("carries the evaluation's stamp beside the annotations' fingerprint, and updates an older version's run", async () => {
    const { fake, octokit } = await setup();
    fake.checkRuns.push({
      id: 1,
      head_sha: HEAD_SHA,
      name: "Readiness gate",
      external_id: annotationsFingerprint([]), // written before runs carried stamps
      app: { id: APP_ID },
      annotations: [],
      body: {},
    });
    expect(stampOf(fake.checkRuns[0]?.external_id ?? null)).toBe(0);
    const outcome = await createPublisher().publish(octokit, target, content([]), {
      stamp: 1_700_000_000_000_000,
    });
    expect(outcome).toEqual({ written: true, id: 1, created: false });
    expect(fake.checkRuns[0]?.external_id).toBe(
      `${annotationsFingerprint([])}@${(1_700_000_000_000_000).toString(36)}`,
    );
    expect(stampOf(fake.checkRuns[0]?.external_id ?? null)).toBe(1_700_000_000_000_000);
  });

  it("ignores another app's run of the same name", async () => {
    const { fake, octokit } = await setup();
    fake.checkRuns.push({
      id: 1,
      head_sha: HEAD_SHA,
      name: "Readiness gate",
      external_id: null,
      app: { id: 99 },
      annotations: [],
      body: {},
    });
    await createPublisher().publish(octokit, target, content([]));
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
  });
});

describe("KeyedMutex", () => {
  it("runs work for one key one at a time, other keys in parallel, and survives failures", async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}:end`);
      if (name === "a1") throw new Error("boom");
      return name;
    };
    const results = await Promise.allSettled([
      mutex.run("a", step("a1", 20)),
      mutex.run("a", step("a2", 1)),
      mutex.run("b", step("b1", 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(order.indexOf("a2:start")).toBeGreaterThan(order.indexOf("a1:end"));
    expect(order.indexOf("b1:end")).toBeLessThan(order.indexOf("a1:end"));
  });
});
