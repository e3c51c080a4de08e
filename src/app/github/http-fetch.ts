// The `fetch` the app gives Octokit: undici's `request` (the library behind Node's own fetch)
// through a keep-alive Agent of the app's, answered in the shape Octokit reads (status, url,
// headers, text/json/arrayBuffer, body). Redirects and timeouts are undici's: its redirect
// interceptor does not send the token or cookies on to another origin, and a network failure or
// timeout rejects with undici's error, which Octokit reports as a 500 that limits.ts retries. An
// aborted request rejects with the signal's reason (an AbortError unless the caller gave one),
// which limits.ts does not retry.
//
// Not undici's `fetch`: its WHATWG Request/Response/Streams layer cost about a quarter more CPU
// per evaluation in the app bench (docs/decisions.md).
import { STATUS_CODES } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { arrayBuffer, json, text } from "node:stream/consumers";
import { createGunzip, createInflate } from "node:zlib";
import { Agent, interceptors, request } from "undici";

/**
 * A minute without a byte fails the request (and frees its slot) for a retry: GitHub answers
 * within 10 s or not at all, and undici's default waits 300 s, for the headers and again for
 * each pause in the body.
 */
export const IDLE_TIMEOUT_MS = 60_000;
/** Idle connections stay open this long between webhooks (a server's own keep-alive hint wins). */
const KEEP_ALIVE_MS = 30_000;
const MAX_REDIRECTS = 20; // fetch's own limit

interface FetchInit {
  method?: string;
  body?: string | Uint8Array | null;
  headers?: Record<string, string>;
  signal?: AbortSignal | null;
}

/** A fetch over undici's `request` through an agent of its own, as Octokit calls it. */
export function githubFetchWith(idleTimeoutMs: number): typeof globalThis.fetch {
  const agent = new Agent({
    headersTimeout: idleTimeoutMs,
    bodyTimeout: idleTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_MS,
  }).compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS }));
  const githubFetch = async (input: string | URL, init: FetchInit = {}) => {
    const answer = await request(input, {
      method: (init.method?.toUpperCase() ?? "GET") as "GET",
      headers: { "accept-encoding": "gzip, deflate", ...init.headers },
      body: init.body ?? null,
      signal: init.signal ?? undefined,
      dispatcher: agent,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : [value])
        if (one !== undefined) headers.append(name, one);
    }
    const history = (answer.context as { history?: readonly URL[] } | undefined)?.history;
    const status = answer.statusCode;
    const body = decoded(answer.body, headers.get("content-encoding"));
    return {
      status,
      statusText: STATUS_CODES[status] ?? "",
      ok: status >= 200 && status < 300,
      url: String(history?.at(-1) ?? input),
      headers,
      body,
      text: () => text(body),
      json: () => json(body),
      arrayBuffer: () => arrayBuffer(body),
    };
  };
  return githubFetch as unknown as typeof globalThis.fetch;
}

export const githubFetch = githubFetchWith(IDLE_TIMEOUT_MS);

/** The body with GitHub's compression undone (undici's own decoder is still experimental). */
function decoded(body: Readable, encoding: string | null): Readable {
  const decoder = encoding === "gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : undefined;
  if (!decoder) return body;
  // pipeline, not pipe: a connection lost or aborted mid-body fails the decoded stream too.
  pipeline(body, decoder, () => {});
  return decoder;
}
