// Rate-limit pauses: in memory, and shared between replicas through a real Redis (TEST_REDIS_URL,
// see test/support/services.ts). Installations are named per test, so tests never see each
// other's pauses on the shared channel.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import nock from "nock";
import type { Logger } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readinessOctokit } from "../../../src/app/github/octokit.js";
import {
  localPauses,
  PAUSES_CHANNEL,
  type RateLimitPauses,
  redisPauses,
} from "../../../src/app/github/rate-limit-pauses.js";
import { testService } from "../../support/services.js";

// nock intercepts Node's http client and global fetch, not undici's own connections: here the app's
// Octokit sends through the global fetch (http-fetch.test.ts tests the real one on a local server).
vi.mock("../../../src/app/github/http-fetch.js", () => ({
  githubFetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
}));

const redisService = await testService("redis");
const REDIS_URL = redisService.url;
const START = Date.UTC(2026, 10, 21, 12, 0, 0);

function recordingLog() {
  const warnings: string[] = [];
  const infos: string[] = [];
  const log = {
    warn: (message: string) => {
      warnings.push(message);
    },
    info: (message: string) => {
      infos.push(message);
    },
    debug: () => {},
    error: () => {},
  } as unknown as Logger;
  return { log, warnings, infos };
}

function installation(): string {
  return `installation test-${randomUUID()}`;
}

describe("localPauses", () => {
  it("reports no pause for an installation that was never paused", () => {
    expect(localPauses(() => START).until(installation(), "core")).toBe(0);
  });

  it("holds a pause until its time and forgets it after", () => {
    let now = START;
    const pauses = localPauses(() => now);
    pauses.pause("installation 1", "core", START + 5000);

    expect(pauses.until("installation 1", "core")).toBe(START + 5000);
    now = START + 4999;
    expect(pauses.until("installation 1", "core")).toBe(START + 5000);
    now = START + 5000;
    expect(pauses.until("installation 1", "core")).toBe(0);
    // Still over when the clock is read again later.
    now = START + 10_000;
    expect(pauses.until("installation 1", "core")).toBe(0);
  });

  it("covers every resource of the installation with a `*` pause", () => {
    const pauses = localPauses(() => START);
    pauses.pause("installation 1", "*", START + 3000);

    for (const resource of ["core", "graphql", "search", "*"]) {
      expect(pauses.until("installation 1", resource)).toBe(START + 3000);
    }
    expect(pauses.until("installation 2", "core")).toBe(0);
  });

  it("covers only its own resource with a resource pause", () => {
    const pauses = localPauses(() => START);
    pauses.pause("installation 1", "graphql", START + 3000);

    expect(pauses.until("installation 1", "graphql")).toBe(START + 3000);
    expect(pauses.until("installation 1", "core")).toBe(0);
    expect(pauses.until("installation 1", "search")).toBe(0);
    // A resource pause is not a pause of everything.
    expect(pauses.until("installation 1", "*")).toBe(0);
  });

  it("answers the later end when a resource pause and a `*` pause overlap", () => {
    const pauses = localPauses(() => START);
    pauses.pause("installation 1", "core", START + 9000);
    pauses.pause("installation 1", "*", START + 2000);

    expect(pauses.until("installation 1", "core")).toBe(START + 9000);
    expect(pauses.until("installation 1", "graphql")).toBe(START + 2000);
  });

  it("does not let a later, shorter pause shorten a longer one", () => {
    const pauses = localPauses(() => START);
    pauses.pause("installation 1", "core", START + 60_000);
    pauses.pause("installation 1", "core", START + 1000);

    expect(pauses.until("installation 1", "core")).toBe(START + 60_000);
  });

  it("lengthens a pause with a later, longer one", () => {
    const pauses = localPauses(() => START);
    pauses.pause("installation 1", "core", START + 1000);
    pauses.pause("installation 1", "core", START + 60_000);

    expect(pauses.until("installation 1", "core")).toBe(START + 60_000);
  });

  it("ignores a pause that is already over", () => {
    const pauses = localPauses(() => START);
    pauses.pause("installation 1", "core", START - 1);

    expect(pauses.until("installation 1", "core")).toBe(0);
  });
});

describe("redisPauses, when its Redis cannot be reached", () => {
  it("rejects at once, naming REDIS_URL, when Redis cannot be reached", async () => {
    const { log } = recordingLog();
    const started = redisPauses("redis://127.0.0.1:1", log);
    const outcome = await Promise.race([
      started.then(
        async (pauses) => {
          await pauses.close();
          return "started";
        },
        (error: unknown) => error,
      ),
      new Promise((resolve) => setTimeout(() => resolve("still waiting after 10 s"), 10_000)),
    ]);

    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/^REDIS_URL: cannot reach Redis/);
  });
});

describe.runIf(redisService.available)("redisPauses", () => {
  const opened: RateLimitPauses[] = [];
  let redis: Redis;

  async function replica(now: () => number = Date.now, log = recordingLog().log): Promise<RateLimitPauses> {
    const pauses = await redisPauses(REDIS_URL, log, now);
    opened.push(pauses);
    return pauses;
  }

  async function subscribers(): Promise<number> {
    const [, count] = (await redis.pubsub("NUMSUB", PAUSES_CHANNEL)) as [string, number];
    return Number(count);
  }

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("records its own pause at once", async () => {
    const a = await replica(() => START);
    const id = installation();
    a.pause(id, "core", START + 5000);

    expect(a.until(id, "core")).toBe(START + 5000);
    expect(a.until(id, "graphql")).toBe(0);
  });

  it("tells another replica of a pause shortly after", async () => {
    const a = await replica(() => START);
    const b = await replica(() => START);
    const id = installation();

    a.pause(id, "*", START + 30_000);
    a.pause(id, "graphql", START + 90_000);

    await vi.waitFor(() => expect(b.until(id, "graphql")).toBe(START + 90_000));
    expect(b.until(id, "core")).toBe(START + 30_000);
    expect(b.until(installation(), "core")).toBe(0);
  });

  it("lets each replica expire a shared pause by its own clock", async () => {
    let now = START;
    const a = await replica(() => START);
    const b = await replica(() => now);
    const id = installation();

    a.pause(id, "core", START + 2000);
    await vi.waitFor(() => expect(b.until(id, "core")).toBe(START + 2000));
    now = START + 2000;
    expect(b.until(id, "core")).toBe(0);
  });

  it("does not shorten a replica's longer pause with a shorter one from another", async () => {
    const a = await replica(() => START);
    const b = await replica(() => START);
    const id = installation();

    b.pause(id, "core", START + 60_000);
    a.pause(id, "core", START + 1000);
    a.pause(id, "search", START + 1000); // a marker that a's messages have arrived

    await vi.waitFor(() => expect(b.until(id, "search")).toBe(START + 1000));
    expect(b.until(id, "core")).toBe(START + 60_000);
  });

  it("ignores garbled and foreign messages on the channel and keeps listening", async () => {
    const { log, warnings } = recordingLog();
    const b = await replica(() => START, log);
    const id = installation();
    const garbled = [
      "not json",
      "{",
      "null",
      "42",
      '"a string"',
      "[]",
      "{}",
      JSON.stringify({ installation: id, resource: "core" }),
      JSON.stringify({ installation: id, resource: "core", until: "soon" }),
      JSON.stringify({ installation: id, resource: "core", until: null }),
      JSON.stringify({ installation: 7, resource: "core", until: START + 5000 }),
      JSON.stringify({ installation: id, resource: ["core"], until: START + 5000 }),
    ];
    for (const message of garbled) await redis.publish(PAUSES_CHANNEL, message);
    // Messages on one channel arrive in order: once this one is seen, the garbled ones were handled.
    await redis.publish(
      PAUSES_CHANNEL,
      JSON.stringify({ installation: id, resource: "graphql", until: START + 7000 }),
    );

    await vi.waitFor(() => expect(b.until(id, "graphql")).toBe(START + 7000));
    expect(b.until(id, "core")).toBe(0);
    expect(b.until(id, "*")).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("subscribes on start and unsubscribes on close", async () => {
    const before = await subscribers();
    const a = await redisPauses(REDIS_URL, recordingLog().log);
    expect(await subscribers()).toBe(before + 1);

    await a.close();
    await vi.waitFor(async () => expect(await subscribers()).toBe(before));
  });

  it("closes quietly even when paused after closing", async () => {
    const { log, warnings } = recordingLog();
    const a = await redisPauses(REDIS_URL, log, () => START);
    await a.close();
    const id = installation();

    expect(() => a.pause(id, "core", START + 1000)).not.toThrow();
    // Still honoured by this replica; the others are not told, and a replica shutting down
    // does not report that as a Redis outage.
    expect(a.until(id, "core")).toBe(START + 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warnings.join("\n")).not.toContain("Redis unreachable");
  });

  it("keeps honouring its own pauses when its Redis connections drop, and shares again once reconnected", async () => {
    const a = await replica(() => START);
    const idsBefore = await clientIds();
    const b = await replica(() => START);
    const idsOfB = (await clientIds()).filter((id) => !idsBefore.includes(id));
    expect(idsOfB).toHaveLength(2); // its publisher and its subscriber
    const id = installation();

    for (const clientId of idsOfB) await redis.client("KILL", "ID", clientId);
    b.pause(id, "core", START + 4000);
    expect(b.until(id, "core")).toBe(START + 4000);

    // Resubscribed: a's pauses reach b again, and b's reach a.
    await vi.waitFor(
      () => {
        a.pause(id, "graphql", START + 8000);
        expect(b.until(id, "graphql")).toBe(START + 8000);
      },
      { timeout: 10_000, interval: 100 },
    );
    await vi.waitFor(
      () => {
        b.pause(id, "search", START + 9000);
        expect(a.until(id, "search")).toBe(START + 9000);
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  async function clientIds(): Promise<string[]> {
    const list = (await redis.client("LIST")) as string;
    return list
      .split("\n")
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
  }
});

describe.runIf(redisService.available)("pauses shared by two replicas' Octokits", () => {
  const GITHUB = "https://api.github.com";
  const opened: RateLimitPauses[] = [];

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
  });
  afterEach(async () => {
    nock.cleanAll();
    await Promise.all(opened.splice(0).map((p) => p.close()));
  });
  afterAll(() => {
    nock.enableNetConnect();
  });

  it("makes replica B wait for a secondary rate limit that replica A was given", async () => {
    const now = () => START;
    const pausesA = await redisPauses(REDIS_URL, recordingLog().log, now);
    const pausesB = await redisPauses(REDIS_URL, recordingLog().log, now);
    opened.push(pausesA, pausesB);
    // An installation id of this test only, as Probot passes it.
    const installationId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const key = `installation ${installationId}`;
    const sleepsA: number[] = [];
    const sleepsB: number[] = [];
    const OctokitA = readinessOctokit({
      pauses: pausesA,
      now,
      sleep: async (ms) => {
        sleepsA.push(ms);
      },
    });
    const OctokitB = readinessOctokit({
      pauses: pausesB,
      now,
      sleep: async (ms) => {
        sleepsB.push(ms);
      },
    });
    const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const a = new OctokitA({ auth: { token: "x", installationId }, log });
    const b = new OctokitB({ auth: { token: "x", installationId }, log });
    const bOtherInstallation = new OctokitB({
      auth: { token: "x", installationId: installationId + 1 },
      log,
    });
    const scope = nock(GITHUB)
      .get("/repos/acme/app")
      .reply(
        403,
        { message: "You have exceeded a secondary rate limit." },
        {
          "retry-after": "2",
        },
      )
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" })
      .get("/repos/acme/other")
      .twice()
      .reply(200, { full_name: "acme/other" });

    expect((await a.request("GET /repos/acme/app")).data).toEqual({ full_name: "acme/app" });
    expect(sleepsA).toEqual([2000]);

    // B never saw GitHub's answer; it learns the pause from A through Redis.
    await vi.waitFor(() => expect(pausesB.until(key, "core")).toBe(START + 2000));
    expect((await b.request("GET /repos/acme/other")).data).toEqual({ full_name: "acme/other" });
    expect(sleepsB).toEqual([2000]);

    // Another installation on B is not held.
    await bOtherInstallation.request("GET /repos/acme/other");
    expect(sleepsB).toEqual([2000]);
    expect(scope.isDone()).toBe(true);
  });
});
