// The fetch the app gives Octokit (undici's `request` through an agent of the app's), against a
// real local HTTP server: what the app relies on from it (the token kept from other origins, a
// silent or lost connection failing the request, aborts not retried) and what Octokit reads back.

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { githubFetch, githubFetchWith } from "../../../src/app/github/http-fetch.js";
import { readinessOctokit } from "../../../src/app/github/octokit.js";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

interface Stand {
  url: string;
  received: Received[];
  connections: number;
}

const servers: Server[] = [];

/** A local server; the handler sees each request with its whole body already read. */
async function serve(handler: (request: Received, res: ServerResponse) => void): Promise<Stand> {
  const stand: Stand = { url: "", received: [], connections: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      stand.received.push(request);
      handler(request, res);
    });
  });
  server.on("connection", () => {
    stand.connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  stand.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stand;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A gzip body big enough to arrive in several pieces (random bytes do not compress). */
const bigGzip = () => gzipSync(randomBytes(256 * 1024).toString("base64"));

/** Sends the headers and part of a body (gzip or not), then loses the connection or goes silent. */
function partThen(then: "lost" | "silence", encoding?: "gzip") {
  return (_: Received, res: ServerResponse) => {
    if (encoding) {
      const zipped = bigGzip();
      res.writeHead(200, { "content-encoding": "gzip", "content-length": String(zipped.length) });
      res.write(zipped.subarray(0, zipped.length / 2));
    } else {
      res.writeHead(200, { "content-length": "100" });
      res.write("only the start");
    }
    if (then === "lost") setTimeout(() => res.socket?.destroy(), 20);
  };
}

type Failure = Error & { code?: string };

/** What a failed promise rejected with. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Failure,
  );

// Each test here would hang, not fail, if a body were left waiting: a short timeout turns that
// into a failure.
const HANG = 5000;

describe("githubFetch: what the app relies on", () => {
  it("decodes a deflate body, and a gzip error body", async () => {
    const stand = await serve((request, res) => {
      if (request.url === "/deflate")
        res.writeHead(200, { "content-encoding": "deflate" }).end(deflateSync("squeezed ✓"));
      else res.writeHead(404, { "content-encoding": "gzip" }).end(gzipSync('{"message":"Not Found"}'));
    });

    expect(await (await githubFetch(`${stand.url}/deflate`)).text()).toBe("squeezed ✓");
    expect(await (await githubFetch(`${stand.url}/missing`)).json()).toEqual({ message: "Not Found" });
  });

  it("asks for compression and decodes a gzip body", async () => {
    const text = JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => ({ i, name: `item ${i}` })) });
    const stand = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(text));
    });

    expect(await (await githubFetch(stand.url)).text()).toBe(text);
    expect(stand.received[0]?.headers["accept-encoding"]).toContain("gzip");
  });

  it("answers status, url, ok and headers read case-insensitively, iterated in lowercase", async () => {
    const stand = await serve((_, res) => {
      res.statusCode = 404;
      res.setHeader("X-RateLimit-Remaining", "42");
      res.setHeader("Content-Type", "application/json");
      res.end('{"message":"Not Found"}');
    });

    const response = await githubFetch(`${stand.url}/things?x=1`);

    expect(response.status).toBe(404);
    expect(response.statusText).toBe("Not Found");
    expect(response.ok).toBe(false);
    expect(response.url).toBe(`${stand.url}/things?x=1`);
    expect(response.headers.get("X-RATELIMIT-REMAINING")).toBe("42");
    expect(Object.fromEntries(response.headers)).toMatchObject({ "x-ratelimit-remaining": "42" });
    expect(await response.json()).toEqual({ message: "Not Found" });
  });

  it("reuses kept-alive connections for sequential requests", async () => {
    const stand = await serve((_, res) => {
      res.end("same socket");
    });

    for (let i = 0; i < 6; i++)
      expect(await (await githubFetch(`${stand.url}/${i}`)).text()).toBe("same socket");

    expect(stand.received).toHaveLength(6);
    // undici may open a second connection while the first is being released, never one a request.
    expect(stand.connections).toBeLessThanOrEqual(2);
  });

  it("does not send the token or cookies on a redirect to another origin", async () => {
    const other = await serve((request, res) => {
      res.end(JSON.stringify(request.headers));
    });
    const stand = await serve((_, res) => {
      // Same host by another name: another origin.
      res.writeHead(302, { location: `${other.url.replace("127.0.0.1", "localhost")}/download` }).end();
    });

    const response = await githubFetch(`${stand.url}/archive`, {
      headers: {
        Authorization: "token secret",
        cookie: "c=1",
        "proxy-authorization": "p",
        accept: "application/vnd.github+json",
      },
    });
    const headers = JSON.parse(await response.text()) as Record<string, string>;

    expect(stand.received[0]?.headers.authorization).toBe("token secret");
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers["proxy-authorization"]).toBeUndefined();
    expect(headers.accept).toBe("application/vnd.github+json");
  });

  it("follows a redirect and reports the final url", async () => {
    const stand = await serve((request, res) => {
      if (request.url === "/from") res.writeHead(301, { location: "/to" }).end("moved");
      else res.end(request.url);
    });

    const response = await githubFetch(`${stand.url}/from`);

    expect(response.status).toBe(200);
    expect(response.url).toBe(`${stand.url}/to`);
    expect(await response.text()).toBe("/to");
  });

  it.each([
    [303, "GET", ""],
    [307, "POST", "payload ✓"],
  ])("after a %i, sends a %s with body %j", async (status, method, body) => {
    const stand = await serve((request, res) => {
      if (request.url === "/from") res.writeHead(status, { location: "/to" }).end();
      else res.end(`${request.method} ${request.body.toString()}`);
    });

    const response = await githubFetch(`${stand.url}/from`, { method: "POST", body: "payload ✓" });

    expect(await response.text()).toBe(`${method} ${body}`);
  });

  it("keeps the token on a redirect within the origin", async () => {
    const stand = await serve((request, res) => {
      if (request.url === "/old") res.writeHead(301, { location: "/new" }).end();
      else res.end(String(request.headers.authorization));
    });

    const response = await githubFetch(`${stand.url}/old`, { headers: { authorization: "token secret" } });

    expect(await response.text()).toBe("token secret");
  });

  it("rejects a refused connection with its code", async () => {
    const stand = await serve(() => {});
    const [server] = servers.splice(0);
    await new Promise<void>((resolve) => server?.close(() => resolve()));

    expect(await failureOf(githubFetch(stand.url))).toMatchObject({ code: "ECONNREFUSED" });
  });

  it.each([
    ["plain", undefined],
    ["gzip", "gzip"],
  ] as const)(
    "rejects reading a %s body whose connection is lost midway",
    async (_, encoding) => {
      const stand = await serve(partThen("lost", encoding));

      const response = await githubFetch(stand.url);

      expect(response.status).toBe(200);
      expect(await failureOf(response.text())).toBeInstanceOf(Error);
    },
    HANG,
  );

  it(
    "rejects with an AbortError when the signal is aborted while waiting for the answer",
    async () => {
      const stand = await serve(() => {
        // Never answers.
      });
      const controller = new AbortController();

      const pending = githubFetch(stand.url, { signal: controller.signal });
      await vi.waitFor(() => expect(stand.received).toHaveLength(1));
      controller.abort();

      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    },
    HANG,
  );

  it(
    "rejects reading a body with the signal's reason when it is aborted midway",
    async () => {
      const stand = await serve(partThen("silence", "gzip"));
      const controller = new AbortController();
      const reason = new Error("evaluation cancelled");

      const response = await githubFetch(stand.url, { signal: controller.signal });
      const reading = response.text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort(reason);

      await expect(reading).rejects.toBe(reason);
    },
    HANG,
  );
});

describe("githubFetch: a silent server", () => {
  // The app's idle timeout is a minute; the same fetch with a quarter of a second shows it fire.
  const IDLE_MS = 250;
  const fetchIdle = githubFetchWith(IDLE_MS);

  it(
    "fails a request that gets no answer within the idle timeout",
    async () => {
      const stand = await serve(() => {
        // Never answers.
      });

      expect(await failureOf(fetchIdle(stand.url))).toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT" });
    },
    HANG,
  );

  it(
    "fails reading a body that goes silent midway",
    async () => {
      const stand = await serve(partThen("silence"));

      const response = await fetchIdle(stand.url);
      expect(await failureOf(response.text())).toMatchObject({ code: "UND_ERR_BODY_TIMEOUT" });
    },
    HANG,
  );

  it(
    "does not fail a slow answer that keeps sending",
    async () => {
      const stand = await serve((_, res) => {
        let sent = 0;
        const tick = setInterval(() => {
          if (++sent < 16) res.write(`${sent},`);
          else {
            clearInterval(tick);
            res.end("done");
          }
        }, IDLE_MS / 10);
      });

      // Longer than the idle timeout in all, but never silent for long.
      expect(await (await fetchIdle(stand.url)).text()).toBe("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,done");
    },
    HANG,
  );
});

describe("readinessOctokit over githubFetch", () => {
  function octokitFor(baseUrl: string) {
    const Octokit = readinessOctokit({ sleep: async () => {} });
    const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    return new Octokit({ auth: { token: "t0ken", installationId: 1 }, baseUrl, log });
  }

  it("parses a JSON 200 and sends the token", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "x-ratelimit-remaining": "4999",
      });
      res.end(JSON.stringify({ number: 7, title: "Ready ✓", user: { login: "dana" } }));
    });

    const response = await octokitFor(stand.url).rest.pulls.get({
      owner: "acme",
      repo: "app",
      pull_number: 7,
    });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ number: 7, title: "Ready ✓", user: { login: "dana" } });
    expect(response.headers["x-ratelimit-remaining"]).toBe("4999");
    expect(stand.received[0]?.url).toBe("/repos/acme/app/pulls/7");
    expect(stand.received[0]?.headers.authorization).toBe("token t0ken");
  });

  it("surfaces a 404 as a RequestError with status 404 and GitHub's message", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
      res.end(
        JSON.stringify({
          message: "Not Found",
          documentation_url: "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
        }),
      );
    });

    const failure = await failureOf(
      octokitFor(stand.url).rest.pulls.get({ owner: "acme", repo: "app", pull_number: 8 }),
    );

    expect(failure).toMatchObject({
      name: "HttpError",
      status: 404,
      message: "Not Found - https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
      response: { status: 404, data: { message: "Not Found" } },
    });
    expect(stand.received).toHaveLength(1);
  });

  it("posts a JSON body that the server reads back intact", async () => {
    const stand = await serve((request, res) => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(request.body);
    });

    const { data } = await octokitFor(stand.url).request("POST /repos/{owner}/{repo}/check-runs", {
      owner: "acme",
      repo: "app",
      name: "Readiness — ✓",
      head_sha: "c".repeat(40),
    });

    expect(data).toEqual({ name: "Readiness — ✓", head_sha: "c".repeat(40) });
    expect(stand.received[0]?.headers["content-type"]).toContain("application/json");
  });

  it("gives an unparsed answer (requestJson's) as a body read to its end with for await", async () => {
    const text = JSON.stringify({ data: { big: randomBytes(64 * 1024).toString("base64") } });
    const stand = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(text));
    });

    const { data } = await octokitFor(stand.url).request("POST /graphql", {
      data: "{}",
      request: { parseSuccessResponseBody: false },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of data as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));

    expect(Buffer.concat(chunks).toString("utf8")).toBe(text);
  });

  it("retries a request whose connection was lost before the answer, as a server error", async () => {
    const stand = await serve((_, res) => {
      if (stand.received.length === 1) res.socket?.destroy();
      else res.writeHead(200, { "content-type": "application/json" }).end('{"id":1}');
    });

    const { data } = await octokitFor(stand.url).request("GET /app");

    expect(data).toEqual({ id: 1 });
    expect(stand.received).toHaveLength(2);
  });

  it(
    "rejects an aborted request with an AbortError and does not retry it",
    async () => {
      const stand = await serve(() => {
        // Never answers.
      });
      const controller = new AbortController();

      const pending = octokitFor(stand.url).request("GET /app", { request: { signal: controller.signal } });
      await vi.waitFor(() => expect(stand.received).toHaveLength(1));
      controller.abort();

      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stand.received).toHaveLength(1);
    },
    HANG,
  );
});
