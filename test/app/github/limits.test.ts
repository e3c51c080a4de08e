// The Octokit plugin that honours GitHub's limits, driven through the app's own Octokit
// (`readinessOctokit`: Probot's Octokit, this plugin, Node's global fetch) against nock, with an
// injected clock and sleep so that no test waits for real.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { Probot } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { GitHubLimitsOptions } from "../../../src/app/github/limits.js";
import { readinessOctokit } from "../../../src/app/github/octokit.js";
import { localPauses, type RateLimitPauses } from "../../../src/app/github/rate-limit-pauses.js";

// nock intercepts Node's http client and global fetch, not undici's own connections: here the app's
// Octokit sends through the global fetch (http-fetch.test.ts tests the real one on a local server).
vi.mock("../../../src/app/github/http-fetch.js", () => ({
  githubFetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
}));

const GITHUB = "https://api.github.com";
/** A whole second, so that `x-ratelimit-reset` (in seconds) lands on exact millisecond waits. */
const START = Date.UTC(2026, 10, 21, 12, 0, 0);
const START_S = START / 1000;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

/** A clock that only moves when the plugin sleeps; every requested sleep is recorded. */
function fakeTime() {
  let now = START;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A sleep that holds until the test releases it, to look at what happens meanwhile. */
function heldSleep() {
  const held: { ms: number; release: () => void }[] = [];
  return {
    held,
    sleep: (ms: number) => new Promise<void>((release) => held.push({ ms, release })),
    releaseAll: () => {
      for (const h of held) h.release();
    },
  };
}

function recordingLog() {
  const warnings: string[] = [];
  const log = {
    debug: () => {},
    info: () => {},
    warn: (message: string) => {
      warnings.push(message);
    },
    error: () => {},
  };
  return { warnings, log };
}

interface Setup {
  pauses: RateLimitPauses;
  warnings: string[];
  /** An Octokit of one installation (or of the app itself, without an id), sharing the plugin's state. */
  client(installationId?: number, baseUrl?: string): InstanceType<ReturnType<typeof readinessOctokit>>;
}

function setup(options: Partial<GitHubLimitsOptions> = {}): Setup {
  const pauses = options.pauses ?? localPauses(options.now);
  const Octokit = readinessOctokit({ ...options, pauses });
  const { warnings, log } = recordingLog();
  return {
    pauses,
    warnings,
    client: (installationId, baseUrl = GITHUB) =>
      new Octokit({
        auth: installationId === undefined ? { token: "x" } : { token: "x", installationId },
        baseUrl,
        log,
      }),
  };
}

const secondaryLimit = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
};
const primaryLimit = {
  message: "API rate limit exceeded for installation ID 1.",
  documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
};

describe("server errors", () => {
  it("retries a 502 once it passes and returns the answer", async () => {
    const time = fakeTime();
    const { client, warnings } = setup(time);
    const scope = nock(GITHUB)
      .get("/repos/acme/app")
      .reply(502, { message: "Bad Gateway" })
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const { status, data } = await client(1).request("GET /repos/{owner}/{repo}", {
      owner: "acme",
      repo: "app",
    });

    expect(status).toBe(200);
    expect(data).toEqual({ full_name: "acme/app" });
    expect(time.sleeps).toEqual([1000]);
    expect(scope.isDone()).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("GitHub answered 502 to GET /repos/{owner}/{repo}: retrying in 1 s");
  });

  it("waits 1, 2 and 4 seconds between retries and, after the third, throws the 502", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    const scope = nock(GITHUB).get("/repos/acme/app").times(4).reply(502, { message: "Bad Gateway" });

    const failure = await client(1)
      .request("GET /repos/acme/app")
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: "HttpError", status: 502, message: "Bad Gateway" });
    expect(time.sleeps).toEqual([1000, 2000, 4000]);
    expect(scope.isDone()).toBe(true);
  });

  it("does not send a fifth request after three retries", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    nock(GITHUB).get("/repos/acme/app").times(4).reply(502, { message: "Bad Gateway" });
    const fifth = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({ status: 502 });
    expect(fifth.isDone()).toBe(false);
  });

  it("scales the waits from serverErrorDelayMs and stops after serverErrorRetries", async () => {
    const time = fakeTime();
    const { client } = setup({ ...time, serverErrorDelayMs: 50, serverErrorRetries: 2 });
    const scope = nock(GITHUB).get("/repos/acme/app").times(3).reply(503, { message: "Unavailable" });

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({ status: 503 });
    expect(time.sleeps).toEqual([50, 100]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([500, 503, 504])("retries a %i", async (status) => {
    const time = fakeTime();
    const { client } = setup(time);
    nock(GITHUB).get("/rate_limit").reply(status, { message: "oops" }).get("/rate_limit").reply(200, {
      ok: true,
    });

    const { data } = await client(1).request("GET /rate_limit");

    expect(data).toEqual({ ok: true });
    expect(time.sleeps).toEqual([1000]);
  });

  it("retries a dropped connection, which Octokit reports as a 500", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    nock(GITHUB)
      .get("/repos/acme/app")
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const { data } = await client(1).request("GET /repos/acme/app");

    expect(data).toEqual({ full_name: "acme/app" });
    expect(time.sleeps).toEqual([1000]);
  });

  it.each([
    [400, { message: "Problems parsing JSON" }],
    [401, { message: "Bad credentials" }],
    [403, { message: "Resource not accessible by integration" }],
    [404, { message: "Not Found" }],
    [422, { message: "Validation Failed" }],
  ])("does not retry a %i: one request, and the error as GitHub gave it", async (status, body) => {
    const time = fakeTime();
    const { client, pauses, warnings } = setup(time);
    nock(GITHUB).get("/repos/acme/app").reply(status, body);
    const second = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({
      status,
      message: body.message,
    });
    expect(second.isDone()).toBe(false);
    expect(time.sleeps).toEqual([]);
    expect(warnings).toEqual([]);
    expect(pauses.until("installation 1", "core")).toBe(0);
  });

  it("does not retry a request whose AbortSignal was aborted", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    const scope = nock(GITHUB).get("/repos/acme/app").reply(200, {});
    const controller = new AbortController();
    controller.abort();

    await expect(
      client(1).request("GET /repos/acme/app", { request: { signal: controller.signal } }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(time.sleeps).toEqual([]);
    expect(scope.isDone()).toBe(false);
  });
});

describe("secondary rate limits", () => {
  it("retries a 403 with retry-after once the pause is over", async () => {
    const time = fakeTime();
    const { client, warnings } = setup(time);
    const scope = nock(GITHUB)
      .post("/repos/acme/app/issues")
      .reply(403, secondaryLimit, { "retry-after": "3" })
      .post("/repos/acme/app/issues", { title: "t" })
      .reply(201, { number: 9 });

    const { status, data } = await client(1).request("POST /repos/acme/app/issues", { title: "t" });

    expect(status).toBe(201);
    expect(data).toEqual({ number: 9 });
    expect(time.sleeps).toEqual([3000]);
    expect(scope.isDone()).toBe(true);
    expect(warnings[0]).toContain("GitHub answered 403 to POST /repos/acme/app/issues: retrying in 3 s");
  });

  it("retries a 429 with retry-after the same way", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    nock(GITHUB)
      .get("/repos/acme/app")
      .reply(429, { message: "Too Many Requests" }, { "retry-after": "5" })
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const { data } = await client(1).request("GET /repos/acme/app");

    expect(data).toEqual({ full_name: "acme/app" });
    expect(time.sleeps).toEqual([5000]);
  });

  it("pauses every request of that installation meanwhile, but not another installation's", async () => {
    const now = () => START;
    const time = heldSleep();
    const { client, pauses } = setup({ now, sleep: time.sleep });
    const limited = nock(GITHUB)
      .get("/repos/acme/app")
      .reply(403, secondaryLimit, { "retry-after": "3" })
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });
    const sameInstallation = nock(GITHUB).get("/repos/acme/other").reply(200, { full_name: "acme/other" });
    const otherInstallation = nock(GITHUB).get("/repos/zeta/app").reply(200, { full_name: "zeta/app" });

    const first = client(1).request("GET /repos/acme/app");
    await vi.waitFor(() => expect(time.held).toHaveLength(1));
    expect(time.held[0]?.ms).toBe(3000);
    // The pause covers every resource of installation 1, and nothing of installation 2.
    expect(pauses.until("installation 1", "core")).toBe(START + 3000);
    expect(pauses.until("installation 1", "graphql")).toBe(START + 3000);
    expect(pauses.until("installation 2", "core")).toBe(0);

    // Installation 2 goes straight through while installation 1 waits.
    const other = await client(2).request("GET /repos/zeta/app");
    expect(other.data).toEqual({ full_name: "zeta/app" });
    expect(otherInstallation.isDone()).toBe(true);
    expect(time.held).toHaveLength(1);

    // Another request of installation 1 (even from another Octokit of it) waits for the same pause.
    const second = client(1).request("GET /repos/acme/other");
    await vi.waitFor(() => expect(time.held).toHaveLength(2));
    expect(time.held[1]?.ms).toBe(3000);
    expect(sameInstallation.isDone()).toBe(false);

    time.releaseAll();
    expect((await first).data).toEqual({ full_name: "acme/app" });
    expect((await second).data).toEqual({ full_name: "acme/other" });
    expect(limited.isDone()).toBe(true);
    expect(sameInstallation.isDone()).toBe(true);
  });

  it("waits a minute when the message names a secondary rate limit but there is no retry-after", async () => {
    const sleeps: number[] = [];
    const pausedDuringSleep: number[] = [];
    const { client, pauses } = setup({
      now: () => START,
      sleep: async (ms) => {
        sleeps.push(ms);
        // The minute is recorded for the whole installation, whatever the resource.
        pausedDuringSleep.push(pauses.until("installation 1", "search"));
      },
    });
    nock(GITHUB)
      .get("/repos/acme/app")
      .reply(403, secondaryLimit)
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const { data } = await client(1).request("GET /repos/acme/app");

    expect(data).toEqual({ full_name: "acme/app" });
    expect(sleeps).toEqual([60_000]);
    expect(pausedDuringSleep).toEqual([START + 60_000]);
  });

  it("does not retry a secondary limit without retry-after when maxWaitMs is under a minute", async () => {
    const time = fakeTime();
    const { client } = setup({ ...time, maxWaitMs: 30_000 });
    nock(GITHUB).get("/repos/acme/app").reply(403, secondaryLimit);
    const retry = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("secondary rate limit"),
    });
    expect(retry.isDone()).toBe(false);
    expect(time.sleeps).toEqual([]);
  });

  it("does not retry when retry-after is longer than maxWaitMs", async () => {
    const time = fakeTime();
    const { client } = setup({ ...time, maxWaitMs: 10_000 });
    nock(GITHUB).get("/repos/acme/app").reply(403, secondaryLimit, { "retry-after": "120" });
    const retry = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({ status: 403 });
    expect(retry.isDone()).toBe(false);
    expect(time.sleeps).toEqual([]);
  });

  it("gives up after two rate-limit retries and throws the last 403", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    const scope = nock(GITHUB)
      .get("/repos/acme/app")
      .times(3)
      .reply(403, secondaryLimit, { "retry-after": "1" });
    const fourth = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({ status: 403 });
    expect(scope.isDone()).toBe(true);
    expect(fourth.isDone()).toBe(false);
    expect(time.sleeps).toEqual([1000, 1000]);
  });

  it("with rateLimitRetries 0, does not retry a rate limit at all", async () => {
    const time = fakeTime();
    const { client, pauses } = setup({ ...time, rateLimitRetries: 0 });
    nock(GITHUB).get("/repos/acme/app").reply(403, secondaryLimit, { "retry-after": "1" });
    const retry = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({ status: 403 });
    expect(retry.isDone()).toBe(false);
    // The installation is paused all the same.
    expect(pauses.until("installation 1", "core")).toBe(START + 1000);
  });

  it("keys the app's own requests (no installation) apart from installations", async () => {
    const time = heldSleep();
    const { client, pauses } = setup({ now: () => START, sleep: time.sleep });
    nock(GITHUB)
      .get("/app")
      .reply(403, secondaryLimit, { "retry-after": "2" })
      .get("/app")
      .reply(200, { slug: "readiness-gate" })
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const app = client().request("GET /app");
    await vi.waitFor(() => expect(time.held).toHaveLength(1));
    expect(time.held[0]?.ms).toBe(2000);
    expect(pauses.until("app", "core")).toBe(START + 2000);
    expect(pauses.until("installation 1", "core")).toBe(0);
    // An installation's request is not held by the app's pause.
    expect((await client(1).request("GET /repos/acme/app")).data).toEqual({ full_name: "acme/app" });

    time.releaseAll();
    expect((await app).data).toEqual({ slug: "readiness-gate" });
  });
});

describe("primary rate limits", () => {
  it("waits for x-ratelimit-reset when it is near, then retries", async () => {
    const time = fakeTime();
    const { client, pauses } = setup(time);
    const scope = nock(GITHUB)
      .get("/repos/acme/app")
      .reply(403, primaryLimit, {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(START_S + 30),
        "x-ratelimit-resource": "core",
      })
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const { data } = await client(1).request("GET /repos/acme/app");

    expect(data).toEqual({ full_name: "acme/app" });
    expect(time.sleeps).toEqual([30_000]);
    expect(scope.isDone()).toBe(true);
    // The pause was for core only.
    expect(pauses.until("installation 1", "graphql")).toBe(0);
  });

  it("treats a 429 with x-ratelimit-remaining 0 as a primary limit", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    nock(GITHUB)
      .get("/repos/acme/app")
      .reply(429, primaryLimit, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(START_S + 10) })
      .get("/repos/acme/app")
      .reply(200, { full_name: "acme/app" });

    const { data } = await client(1).request("GET /repos/acme/app");

    expect(data).toEqual({ full_name: "acme/app" });
    expect(time.sleeps).toEqual([10_000]);
  });

  it("does not wait for a reset beyond maxWaitMs, and then refuses that installation's requests without sending them", async () => {
    const time = fakeTime();
    const { client } = setup(time);
    const resetS = START_S + 3600;
    nock(GITHUB)
      .get("/repos/acme/app")
      .reply(403, primaryLimit, {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(resetS),
        "x-ratelimit-resource": "core",
      });
    const retry = nock(GITHUB).get("/repos/acme/app").reply(200, {});

    // The error stands, as GitHub gave it.
    const first = await client(1)
      .request("GET /repos/acme/app")
      .catch((error: unknown) => error);
    expect(first).toMatchObject({
      name: "HttpError",
      status: 403,
      message: expect.stringContaining("API rate limit exceeded"),
    });
    expect(retry.isDone()).toBe(false);

    // The next request of installation 1 fails at once, saying until when, and never reaches GitHub.
    const next = await client(1)
      .request("GET /repos/acme/app")
      .catch((error: unknown) => error);
    expect(next).toBeInstanceOf(Error);
    expect(next).toMatchObject({ name: "RateLimitedError", status: 403 });
    expect((next as Error).message).toContain(new Date(resetS * 1000).toISOString());
    expect((next as Error).message).toContain("2026-11-21T13:00:00.000Z");
    expect(retry.isDone()).toBe(false);
    expect(time.sleeps).toEqual([]);

    // Installation 2 is not concerned.
    const { data } = await client(2).request("GET /repos/acme/app");
    expect(data).toEqual({});
    expect(retry.isDone()).toBe(true);
  });

  it("sends the installation's requests again once the reset has passed", async () => {
    let now = START;
    const { client } = setup({ now: () => now, sleep: async () => {} });
    nock(GITHUB)
      .get("/repos/acme/app")
      .reply(403, primaryLimit, {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(START_S + 3600),
      });
    const later = nock(GITHUB).get("/repos/acme/app").reply(200, { full_name: "acme/app" });

    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({ status: 403 });
    await expect(client(1).request("GET /repos/acme/app")).rejects.toMatchObject({
      name: "RateLimitedError",
    });
    now = START + 3600_000;

    const { data } = await client(1).request("GET /repos/acme/app");
    expect(data).toEqual({ full_name: "acme/app" });
    expect(later.isDone()).toBe(true);
  });

  it("holds the next graphql requests after a 200 that used up the graphql budget, and lets core through", async () => {
    const time = fakeTime();
    const { client, pauses } = setup({ ...time, maxWaitMs: 300_000 });
    nock(GITHUB)
      .post("/graphql")
      .reply(
        200,
        { data: { viewer: { login: "bot" } } },
        {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(START_S + 120),
          "x-ratelimit-resource": "graphql",
        },
      );
    const core = nock(GITHUB).get("/repos/acme/app").reply(200, { full_name: "acme/app" });
    const graphql = nock(GITHUB)
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "bot" } } });
    const octokit = client(1);

    // The answer that used the budget up is returned as usual.
    expect(await octokit.graphql("{ viewer { login } }")).toEqual({ viewer: { login: "bot" } });
    expect(time.sleeps).toEqual([]);
    expect(pauses.until("installation 1", "graphql")).toBe((START_S + 120) * 1000);
    expect(pauses.until("installation 1", "core")).toBe(0);

    await octokit.request("GET /repos/acme/app");
    expect(core.isDone()).toBe(true);
    expect(time.sleeps).toEqual([]);

    await octokit.graphql("{ viewer { login } }");
    expect(time.sleeps).toEqual([120_000]);
    expect(graphql.isDone()).toBe(true);
  });

  it("counts a used-up budget against the request's own resource when GitHub does not name one", async () => {
    const time = fakeTime();
    const { client, pauses } = setup(time);
    nock(GITHUB)
      .get("/search/issues")
      .query(true)
      .reply(200, { items: [] }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(START_S + 20) })
      .get("/repos/acme/app")
      .reply(200, {})
      .get("/search/issues")
      .query(true)
      .reply(200, { items: [] });
    const octokit = client(1);

    await octokit.request("GET /search/issues", { q: "is:pr" });
    expect(pauses.until("installation 1", "search")).toBe((START_S + 20) * 1000);

    await octokit.request("GET /repos/acme/app");
    expect(time.sleeps).toEqual([]);
    await octokit.request("GET /search/issues", { q: "is:pr" });
    expect(time.sleeps).toEqual([20_000]);
  });

  it("does not pause anything after a 200 with budget left", async () => {
    const time = fakeTime();
    const { client, pauses } = setup(time);
    nock(GITHUB)
      .get("/repos/acme/app")
      .twice()
      .reply(
        200,
        {},
        {
          "x-ratelimit-remaining": "1",
          "x-ratelimit-reset": String(START_S + 20),
          "x-ratelimit-resource": "core",
        },
      );
    const octokit = client(1);

    await octokit.request("GET /repos/acme/app");
    await octokit.request("GET /repos/acme/app");

    expect(pauses.until("installation 1", "core")).toBe(0);
    expect(time.sleeps).toEqual([]);
  });
});

describe("concurrency per installation", () => {
  /** A stand-in GitHub that holds every request until the test answers it. */
  async function holdingServer() {
    const held: { path: string; res: ServerResponse }[] = [];
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const installation = String(req.headers["x-test-installation"]);
      const count = (inFlight.get(installation) ?? 0) + 1;
      inFlight.set(installation, count);
      most.set(installation, Math.max(most.get(installation) ?? 0, count));
      res.on("finish", () => inFlight.set(installation, (inFlight.get(installation) ?? 1) - 1));
      held.push({ path: req.url ?? "", res });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const answer = (index = 0) => {
      const [entry] = held.splice(index, 1);
      entry?.res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ path: entry.path }));
    };
    return {
      held,
      most,
      answer,
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  it("keeps at most maxConcurrent requests of one installation in flight and completes them all", async () => {
    const stand = await holdingServer();
    try {
      const { client } = setup({ maxConcurrent: 2 });
      const octokit = client(1, stand.baseUrl);
      const requests = [1, 2, 3, 4, 5].map((n) =>
        octokit.request("GET /items/{n}", { n, headers: { "x-test-installation": "1" } }),
      );

      await vi.waitFor(() => expect(stand.held).toHaveLength(2));
      // Give a third request every chance to slip through before answering any.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stand.held).toHaveLength(2);

      for (let answered = 0; answered < 5; answered++) {
        await vi.waitFor(() => expect(stand.held.length).toBeGreaterThan(0));
        stand.answer();
      }
      const results = await Promise.all(requests);

      expect(results.map((r) => r.data.path).sort()).toEqual([
        "/items/1",
        "/items/2",
        "/items/3",
        "/items/4",
        "/items/5",
      ]);
      expect(stand.most.get("1")).toBe(2);
    } finally {
      await stand.close();
    }
  });

  it("does not hold back another installation's requests behind a busy one", async () => {
    const stand = await holdingServer();
    try {
      const { client } = setup({ maxConcurrent: 2 });
      const busy = client(1, stand.baseUrl);
      const waiting = [1, 2, 3, 4].map((n) =>
        busy.request("GET /items/{n}", { n, headers: { "x-test-installation": "1" } }),
      );
      await vi.waitFor(() => expect(stand.held).toHaveLength(2));

      const other = client(2, stand.baseUrl).request("GET /other", {
        headers: { "x-test-installation": "2" },
      });
      await vi.waitFor(() => expect(stand.held).toHaveLength(3));
      stand.answer(stand.held.findIndex((h) => h.path === "/other"));
      expect((await other).data).toEqual({ path: "/other" });
      // Installation 1 still has two in flight and two queued.
      expect(stand.held).toHaveLength(2);

      for (let answered = 0; answered < 4; answered++) {
        await vi.waitFor(() => expect(stand.held.length).toBeGreaterThan(0));
        stand.answer();
      }
      expect(await Promise.all(waiting)).toHaveLength(4);
      expect(stand.most.get("1")).toBe(2);
    } finally {
      await stand.close();
    }
  });

  it("frees the slot of a failed request for the next one", async () => {
    const time = fakeTime();
    const { client } = setup({ ...time, maxConcurrent: 1 });
    nock(GITHUB)
      .get("/repos/acme/a")
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/b")
      .reply(200, { full_name: "acme/b" });
    const octokit = client(1);

    const [a, b] = await Promise.allSettled([
      octokit.request("GET /repos/acme/a"),
      octokit.request("GET /repos/acme/b"),
    ]);

    expect(a).toMatchObject({ status: "rejected", reason: { status: 404 } });
    expect(b).toMatchObject({ status: "fulfilled", value: { data: { full_name: "acme/b" } } });
  });
});

describe("the installation token", () => {
  // Without the bypass the requests wait for each other forever: a deadlock must fail, not hang.
  const DEADLOCK_TIMEOUT_MS = 5000;

  it(
    "is fetched without a slot: twelve first requests of a fresh installation, two slots, all complete",
    async () => {
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      // As in the app: Probot's app auth, whose installation Octokits fetch their token on their first
      // request, from inside that request's hooks (so through this plugin too).
      const probot = new Probot({
        appId: 1,
        privateKey,
        Octokit: readinessOctokit({ maxConcurrent: 2, sleep: async () => {} }),
        logLevel: "fatal",
      });
      const tokens = nock(GITHUB).persist().post("/app/installations/42/access_tokens").reply(201, {
        token: "ghs_installation_42",
        expires_at: "2099-01-01T00:00:00Z",
        permissions: {},
        repository_selection: "all",
      });
      const items = nock(GITHUB)
        .matchHeader("authorization", "token ghs_installation_42")
        .get(/^\/repos\/acme\/app\/issues\/\d+$/)
        .times(12)
        .reply(200, (uri) => ({ url: uri }));

      const octokit = await probot.auth(42);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
            owner: "acme",
            repo: "app",
            issue_number: i + 1,
          }),
        ),
      );

      expect(answers.map((a) => a.data.url)).toEqual(
        Array.from({ length: 12 }, (_, i) => `/repos/acme/app/issues/${i + 1}`),
      );
      expect(items.isDone()).toBe(true);
      expect(tokens.isDone()).toBe(true);
    },
    DEADLOCK_TIMEOUT_MS,
  );
});
