// End to end with REDIS_URL: the built app (`node dist/app/main.js`) shares GitHub's rate-limit
// pauses with its other replicas through a real Redis (TEST_REDIS_URL, see
// test/support/services.ts), and refuses to start when the Redis it was given cannot be reached (a
// typo must not silently leave replicas unshared).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAUSES_CHANNEL } from "../../src/app/github/rate-limit-pauses.js";
import { testService } from "../support/services.js";
import { baseFiles, results } from "./fixtures.js";
import { buildApp, E2E, waitFor } from "./harness.js";

const redis = await testService("redis");
const REDIS_URL = redis.url;

beforeAll(() => buildApp(), 120_000);

describe.runIf(redis.available)("with REDIS_URL", () => {
  let e2e: E2E;
  let replica: Redis; // stands for another replica, listening for pauses
  const heard: Array<{ installation: string; resource: string; until: number }> = [];

  beforeAll(async () => {
    replica = new Redis(REDIS_URL);
    replica.on("message", (_channel: string, text: string) => heard.push(JSON.parse(text)));
    await replica.subscribe(PAUSES_CHANNEL);
    e2e = await E2E.start({ REDIS_URL });
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
    await replica?.quit();
  });

  it("evaluates, and tells the other replicas when GitHub asks the installation to wait", async () => {
    const repo = "acme/redis-shared";
    e2e.gh.addRepo(repo, { files: baseFiles(), author: "alice" });
    const pr = e2e.gh.openPullRequest(repo, {
      head: "retrain",
      user: "alice",
      files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
    });
    e2e.gh.failNext("POST", "/graphql", { status: 403, retryAfter: 1 });
    const sentAt = Date.now();
    await e2e.pullRequestEvent(repo, pr.number);

    const run = await e2e.waitForRun(repo, pr.number, (r) => r.conclusion !== null, 30_000);
    expect(run.output.title ?? "").not.toMatch(/could not be evaluated/i);
    // The secondary limit paused every request of the installation, and every replica heard it.
    await waitFor("a pause on Redis", () => heard.length > 0, 5_000);
    expect(heard).toContainEqual({
      installation: `installation ${e2e.gh.installationId}`,
      resource: "*",
      until: expect.any(Number),
    });
    expect(heard[0]?.until).toBeGreaterThanOrEqual(sentAt + 1000);
    await e2e.settle();
    expect(e2e.gh.violations).toEqual([]);
  }, 60_000);
});

describe("with an unreachable REDIS_URL", () => {
  it("refuses to start and says why", async () => {
    await expect(E2E.start({ REDIS_URL: "redis://127.0.0.1:1" })).rejects.toThrow(
      /app exited with 1[\s\S]*REDIS_URL: cannot reach Redis/,
    );
  }, 60_000);
});
