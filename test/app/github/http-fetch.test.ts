// The fetch the app gives Octokit, against a real local HTTP server: what Octokit reads back
// (status, headers, bodies), redirects, failures, aborts and connection reuse.

import { randomBytes } from "node:crypto";
import {
  ClientRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { nodeHttpFetch } from "../../../src/app/github/http-fetch.js";
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
  server: Server;
}

const servers: Server[] = [];

/** A local server; the handler sees each request with its whole body already read. */
async function serve(handler: (request: Received, res: ServerResponse) => void): Promise<Stand> {
  const stand = { received: [] as Received[], connections: 0 } as Stand;
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
  stand.server = server;
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

describe("nodeHttpFetch: answers", () => {
  it("returns the status, status text, url and ok", async () => {
    const stand = await serve((_, res) => {
      res.statusCode = 201;
      res.statusMessage = "Created Here";
      res.end("made");
    });

    const response = await nodeHttpFetch(`${stand.url}/things?x=1`);

    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Created Here");
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${stand.url}/things?x=1`);
    expect(await response.text()).toBe("made");
  });

  it("is not ok for a 404, and still gives its body", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
    });

    const response = await nodeHttpFetch(stand.url);

    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(await response.json()).toEqual({ message: "Not Found" });
  });

  it("reads headers case-insensitively and iterates them as lowercase name/value pairs", async () => {
    const stand = await serve((_, res) => {
      res.setHeader("X-RateLimit-Remaining", "42");
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.end("{}");
    });

    const response = await nodeHttpFetch(stand.url);

    expect(response.headers.get("x-ratelimit-remaining")).toBe("42");
    expect(response.headers.get("X-RATELIMIT-REMAINING")).toBe("42");
    expect(response.headers.has("X-RateLimit-Remaining")).toBe(true);
    expect(response.headers.get("x-missing")).toBeNull();
    expect(response.headers.has("x-missing")).toBe(false);
    expect(response.headers.get("set-cookie")).toBe("a=1, b=2");
    const pairs = [...response.headers];
    for (const [name] of pairs) expect(name).toBe(name.toLowerCase());
    expect(Object.fromEntries(pairs)).toMatchObject({
      "x-ratelimit-remaining": "42",
      "content-type": "application/json; charset=utf-8",
      "set-cookie": "a=1, b=2",
    });
    await response.text();
  });

  it("gives the body as text, decoding UTF-8", async () => {
    const stand = await serve((_, res) => {
      res.end(Buffer.from("héllo wörld ✓ 🚀", "utf8"));
    });

    expect(await (await nodeHttpFetch(stand.url)).text()).toBe("héllo wörld ✓ 🚀");
  });

  it("gives the body as JSON", async () => {
    const stand = await serve((_, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ login: "dana", ids: [1, 2, 3], nested: { ok: true } }));
    });

    expect(await (await nodeHttpFetch(stand.url)).json()).toEqual({
      login: "dana",
      ids: [1, 2, 3],
      nested: { ok: true },
    });
  });

  it("rejects json() of a body that is not JSON", async () => {
    const stand = await serve((_, res) => {
      res.end("<html>");
    });

    await expect((await nodeHttpFetch(stand.url)).json()).rejects.toThrow(SyntaxError);
  });

  it("gives a binary body as an ArrayBuffer of exactly its bytes", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const stand = await serve((_, res) => {
      res.setHeader("content-type", "application/octet-stream");
      res.end(bytes);
    });

    const buffer = await (await nodeHttpFetch(stand.url)).arrayBuffer();

    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(buffer.byteLength).toBe(256);
    expect(Buffer.from(buffer).equals(bytes)).toBe(true);
  });

  it("assembles a body sent in many chunks", async () => {
    const parts = Array.from({ length: 50 }, (_, i) => `part ${i};`);
    const stand = await serve((_, res) => {
      for (const part of parts) res.write(part);
      res.end();
    });

    expect(await (await nodeHttpFetch(stand.url)).text()).toBe(parts.join(""));
  });

  it("gives the same body to text() when asked twice", async () => {
    const stand = await serve((_, res) => {
      res.end("once");
    });
    const response = await nodeHttpFetch(stand.url);

    expect(await response.text()).toBe("once");
    expect(await response.text()).toBe("once");
  });

  it("asks for compression and decodes a gzip-encoded body", async () => {
    const text = JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => ({ i, name: `item ${i}` })) });
    const stand = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(text));
    });

    const response = await nodeHttpFetch(stand.url);

    expect(await response.text()).toBe(text);
    expect(stand.received[0]?.headers["accept-encoding"]).toBe("gzip, deflate");
  });

  it("decodes a deflate-encoded body", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(200, { "content-encoding": "deflate" });
      res.end(deflateSync("squeezed ✓"));
    });

    expect(await (await nodeHttpFetch(stand.url)).text()).toBe("squeezed ✓");
  });

  it("offers the body as a Node Readable to read with for await", async () => {
    const stand = await serve((_, res) => {
      res.write("first,");
      setTimeout(() => res.end("second"), 20);
    });

    const response = (await nodeHttpFetch(stand.url)) as Awaited<ReturnType<typeof nodeHttpFetch>> & {
      body: Readable;
    };
    const chunks: string[] = [];
    for await (const chunk of response.body) chunks.push(String(chunk));

    expect(chunks.join("")).toBe("first,second");
  });

  it("offers a gzip body as a decoded Readable", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync("unzipped stream"));
    });

    const response = (await nodeHttpFetch(stand.url)) as Awaited<ReturnType<typeof nodeHttpFetch>> & {
      body: Readable;
    };
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);

    expect(Buffer.concat(chunks).toString()).toBe("unzipped stream");
  });

  it("rejects reading a body whose connection drops before its end", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("only part");
      setTimeout(() => res.socket?.destroy(), 20);
    });

    const response = await nodeHttpFetch(stand.url);

    await expect(response.text()).rejects.toThrow(TypeError);
  });
});

describe("nodeHttpFetch: requests", () => {
  it("sends the method, headers and a UTF-8 body with its length in bytes", async () => {
    const stand = await serve((_, res) => {
      res.end("ok");
    });
    const body = JSON.stringify({ title: "Ünïcödé — ✓ 🚀 日本語" });

    await (
      await nodeHttpFetch(`${stand.url}/repos/acme/app/issues`, {
        method: "post",
        body,
        headers: { "content-type": "application/json; charset=utf-8", authorization: "token x" },
      })
    ).text();

    const [received] = stand.received;
    expect(received?.method).toBe("POST");
    expect(received?.url).toBe("/repos/acme/app/issues");
    expect(received?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(received?.headers.authorization).toBe("token x");
    expect(received?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(received?.body.toString("utf8")).toBe(body);
  });

  it("sends a Uint8Array body byte for byte", async () => {
    const stand = await serve((_, res) => {
      res.end();
    });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    await (await nodeHttpFetch(stand.url, { method: "PUT", body: bytes })).text();

    expect(stand.received[0]?.headers["content-length"]).toBe("5");
    expect([...(stand.received[0]?.body ?? [])]).toEqual([0, 1, 2, 250, 255]);
  });

  it("sends a GET without a body or content-length", async () => {
    const stand = await serve((_, res) => {
      res.end();
    });

    await (await nodeHttpFetch(stand.url, { body: null })).text();

    expect(stand.received[0]?.method).toBe("GET");
    expect(stand.received[0]?.headers["content-length"]).toBeUndefined();
    expect(stand.received[0]?.body.length).toBe(0);
  });

  it("reuses one kept-alive connection for sequential requests", async () => {
    const stand = await serve((_, res) => {
      res.end("same socket");
    });

    for (let i = 0; i < 3; i++)
      expect(await (await nodeHttpFetch(`${stand.url}/${i}`)).text()).toBe("same socket");

    expect(stand.received).toHaveLength(3);
    expect(stand.connections).toBe(1);
  });
});

describe("nodeHttpFetch: redirects", () => {
  /** `/from` answers `status` with Location `/to`, `/to` answers what it was sent. */
  async function redirecting(status: number, location = "/to") {
    return serve((request, res) => {
      if (request.url === "/from") {
        res.writeHead(status, { location }).end("moved");
      } else {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ at: request.url, method: request.method, body: request.body.toString() }));
      }
    });
  }

  it("follows a 301 for a GET and reports the final url", async () => {
    const stand = await redirecting(301);

    const response = await nodeHttpFetch(`${stand.url}/from`);

    expect(response.status).toBe(200);
    expect(response.url).toBe(`${stand.url}/to`);
    expect(await response.json()).toEqual({ at: "/to", method: "GET", body: "" });
  });

  it.each([302, 303])("turns a POST into a GET without a body after a %i", async (status) => {
    const stand = await redirecting(status);

    const response = await nodeHttpFetch(`${stand.url}/from`, { method: "POST", body: "payload" });

    expect(await response.json()).toEqual({ at: "/to", method: "GET", body: "" });
    expect(stand.received[1]?.headers["content-length"]).toBeUndefined();
  });

  it.each([307, 308])("keeps the method and the body after a %i", async (status) => {
    const stand = await redirecting(status);

    const response = await nodeHttpFetch(`${stand.url}/from`, { method: "POST", body: "payload ✓" });

    expect(await response.json()).toEqual({ at: "/to", method: "POST", body: "payload ✓" });
    expect(stand.received[1]?.headers["content-length"]).toBe(String(Buffer.byteLength("payload ✓")));
  });

  it("resolves a relative location against the current url", async () => {
    const stand = await serve((request, res) => {
      if (request.url === "/a/b/from") res.writeHead(302, { location: "../to?q=1" }).end();
      else res.end(request.url);
    });

    expect(await (await nodeHttpFetch(`${stand.url}/a/b/from`)).text()).toBe("/a/to?q=1");
  });

  it("returns the 3xx itself with redirect: manual", async () => {
    const stand = await redirecting(302);

    const response = await nodeHttpFetch(`${stand.url}/from`, { redirect: "manual" });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/to");
    expect(await response.text()).toBe("moved");
    expect(stand.received).toHaveLength(1);
  });

  it("rejects a redirect with redirect: error", async () => {
    const stand = await redirecting(302);

    await expect(nodeHttpFetch(`${stand.url}/from`, { redirect: "error" })).rejects.toThrow(
      new TypeError("fetch failed"),
    );
    expect(stand.received).toHaveLength(1);
  });

  it("returns a 3xx without a location as it is", async () => {
    const stand = await serve((_, res) => {
      res.writeHead(304).end();
    });

    expect((await nodeHttpFetch(stand.url)).status).toBe(304);
  });

  it("gives up after 20 redirects with TypeError fetch failed", async () => {
    let hops = 0;
    const stand = await serve((_, res) => {
      res.writeHead(302, { location: `/loop/${++hops}` }).end();
    });

    const failure = await nodeHttpFetch(`${stand.url}/loop/0`).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe("fetch failed");
    expect((failure as TypeError).cause).toBeInstanceOf(Error);
    // The first request and 20 redirects followed; the 21st is refused.
    expect(stand.received).toHaveLength(21);
  });

  it("does not send the authorization to another origin", async () => {
    const other = await serve((request, res) => {
      res.end(JSON.stringify(request.headers));
    });
    const stand = await serve((_, res) => {
      // Same host by another name: another origin.
      res.writeHead(302, { location: `${other.url.replace("127.0.0.1", "localhost")}/download` }).end();
    });

    const response = await nodeHttpFetch(`${stand.url}/archive`, {
      headers: { Authorization: "token secret", cookie: "c=1", accept: "application/vnd.github+json" },
    });
    const headers = JSON.parse(await response.text()) as Record<string, string>;

    expect(stand.received[0]?.headers.authorization).toBe("token secret");
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers.accept).toBe("application/vnd.github+json");
  });

  it("keeps the authorization on a redirect within the origin", async () => {
    const stand = await serve((request, res) => {
      if (request.url === "/old") res.writeHead(301, { location: "/new" }).end();
      else res.end(String(request.headers.authorization));
    });

    const response = await nodeHttpFetch(`${stand.url}/old`, { headers: { authorization: "token secret" } });

    expect(await response.text()).toBe("token secret");
  });
});

describe("nodeHttpFetch: failures", () => {
  it("rejects a refused connection with TypeError fetch failed and the cause", async () => {
    const stand = await serve(() => {});
    const { url } = stand;
    await new Promise<void>((resolve) => stand.server.close(() => resolve()));

    const failure = await nodeHttpFetch(url).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe("fetch failed");
    expect((failure as TypeError).cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("rejects an unsupported protocol with a TypeError", async () => {
    await expect(nodeHttpFetch("ftp://127.0.0.1/file")).rejects.toThrow(TypeError);
  });

  it("rejects with an AbortError when the signal is aborted while waiting for the answer", async () => {
    const stand = await serve(() => {
      // Never answers.
    });
    const controller = new AbortController();

    const pending = nodeHttpFetch(stand.url, { signal: controller.signal });
    await vi.waitFor(() => expect(stand.received).toHaveLength(1));
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects with the signal's reason when it is an Error", async () => {
    const stand = await serve(() => {});
    const controller = new AbortController();
    const reason = new Error("evaluation cancelled");

    const pending = nodeHttpFetch(stand.url, { signal: controller.signal });
    await vi.waitFor(() => expect(stand.received).toHaveLength(1));
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
  });

  it("does not send a request whose signal is already aborted", async () => {
    const stand = await serve((_, res) => {
      res.end();
    });

    await expect(nodeHttpFetch(stand.url, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(stand.received).toHaveLength(0);
  });

  it("keeps working for the next request after an aborted one", async () => {
    let answer = false;
    const stand = await serve((_, res) => {
      if (answer) res.end("fine");
    });
    const controller = new AbortController();
    const pending = nodeHttpFetch(stand.url, { signal: controller.signal });
    await vi.waitFor(() => expect(stand.received).toHaveLength(1));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });

    answer = true;
    expect(await (await nodeHttpFetch(stand.url)).text()).toBe("fine");
  });
});

/** The body read to its end with `for await`, as Octokit's unparsed GraphQL answers are read. */
async function readBody(response: Awaited<ReturnType<typeof nodeHttpFetch>>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (response as unknown as { body: Readable }).body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A gzip body big enough to arrive in several pieces (random bytes do not compress). */
const bigGzip = () => gzipSync(randomBytes(256 * 1024).toString("base64"));

/** Sends the headers and the first half of a gzip body, then loses the connection. */
function halfGzipThenLost(_: Received, res: ServerResponse): void {
  const zipped = bigGzip();
  res.writeHead(200, { "content-encoding": "gzip", "content-length": String(zipped.length) });
  res.write(zipped.subarray(0, zipped.length / 2));
  setTimeout(() => res.socket?.destroy(), 20);
}

/** Sends the headers and part of a body (gzip or not), then goes silent. */
function partThenSilence(encoding?: "gzip") {
  return (_: Received, res: ServerResponse) => {
    if (encoding) {
      const zipped = bigGzip();
      res.writeHead(200, { "content-encoding": "gzip", "content-length": String(zipped.length) });
      res.write(zipped.subarray(0, zipped.length / 2));
    } else {
      res.writeHead(200, { "content-length": "100" });
      res.write("only the start");
    }
  };
}

// Each test here would hang, not fail, if the body were left waiting: a short timeout turns that
// into a failure.
const HANG = 5000;

describe("nodeHttpFetch: a body cut short", () => {
  it(
    "rejects text() of a gzip body whose connection is lost midway",
    async () => {
      const stand = await serve(halfGzipThenLost);

      const response = await nodeHttpFetch(stand.url);

      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow(new TypeError("fetch failed"));
    },
    HANG,
  );

  it(
    "rejects reading a gzip body with for await when its connection is lost midway",
    async () => {
      const stand = await serve(halfGzipThenLost);

      const response = await nodeHttpFetch(stand.url);

      await expect(readBody(response)).rejects.toThrow();
    },
    HANG,
  );

  it(
    "rejects reading a plain body with for await when its connection is lost midway",
    async () => {
      const stand = await serve((_, res) => {
        res.writeHead(200, { "content-length": "100" });
        res.write("only part");
        setTimeout(() => res.socket?.destroy(), 20);
      });

      const response = await nodeHttpFetch(stand.url);

      await expect(readBody(response)).rejects.toThrow();
    },
    HANG,
  );

  it.each([
    ["plain", undefined],
    ["gzip", "gzip"],
  ] as const)(
    "rejects text() of a %s body with an AbortError when the signal is aborted while it is read",
    async (_, encoding) => {
      const stand = await serve(partThenSilence(encoding));
      const controller = new AbortController();

      const response = await nodeHttpFetch(stand.url, { signal: controller.signal });
      const reading = response.text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();

      await expect(reading).rejects.toMatchObject({ name: "AbortError" });
    },
    HANG,
  );

  it(
    "rejects text() with the signal's reason when it is an Error, aborted while the body is read",
    async () => {
      const stand = await serve(partThenSilence());
      const controller = new AbortController();
      const reason = new Error("evaluation cancelled");

      const response = await nodeHttpFetch(stand.url, { signal: controller.signal });
      const reading = response.text();
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort(reason);

      await expect(reading).rejects.toBe(reason);
    },
    HANG,
  );

  it(
    "rejects reading the body with for await when the signal is aborted while it is read",
    async () => {
      const stand = await serve(partThenSilence("gzip"));
      const controller = new AbortController();

      const response = await nodeHttpFetch(stand.url, { signal: controller.signal });
      const reading = readBody(response);
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();

      await expect(reading).rejects.toThrow();
    },
    HANG,
  );
});

describe("nodeHttpFetch: a silent server", () => {
  const IDLE_MS = 250;
  // The idle timeout is a minute. The requests here ask for it as usual; the spy records what
  // they asked for and arms Node's own socket timeout with IDLE_MS instead, so the real timeout
  // path runs without a minute's wait (fake timers do not reach sockets' timers).
  function shortIdleTimeout() {
    const asked: number[] = [];
    const setTimeout = ClientRequest.prototype.setTimeout;
    const spy = vi.spyOn(ClientRequest.prototype, "setTimeout").mockImplementation(function (
      this: ClientRequest,
      ms: number,
      callback?: () => void,
    ) {
      asked.push(ms);
      return setTimeout.call(this, IDLE_MS, callback);
    });
    return { asked, restore: () => spy.mockRestore() };
  }

  it(
    "fails a request that gets no answer within the idle timeout with TypeError fetch failed naming the host",
    async () => {
      const stand = await serve(() => {
        // Never answers.
      });
      const idle = shortIdleTimeout();
      try {
        const failure = await nodeHttpFetch(stand.url).catch((error: unknown) => error);

        expect(idle.asked).toEqual([60_000]);
        expect(failure).toBeInstanceOf(TypeError);
        expect((failure as TypeError).message).toBe("fetch failed");
        const host = new URL(stand.url).host;
        expect(((failure as TypeError).cause as Error).message).toBe(`no answer from ${host} in 60 s`);
      } finally {
        idle.restore();
      }
    },
    HANG,
  );

  it(
    "fails text() of a body that goes silent midway",
    async () => {
      const stand = await serve(partThenSilence());
      const idle = shortIdleTimeout();
      try {
        const response = await nodeHttpFetch(stand.url);

        await expect(response.text()).rejects.toThrow(new TypeError("fetch failed"));
      } finally {
        idle.restore();
      }
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
      const idle = shortIdleTimeout();
      try {
        // Longer than the idle timeout in all, but never silent for long.
        expect(await (await nodeHttpFetch(stand.url)).text()).toBe(
          "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,done",
        );
      } finally {
        idle.restore();
      }
    },
    HANG,
  );
});

describe("readinessOctokit over nodeHttpFetch", () => {
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

    const failure = await octokitFor(stand.url)
      .rest.pulls.get({ owner: "acme", repo: "app", pull_number: 8 })
      .catch((error: unknown) => error);

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
});
