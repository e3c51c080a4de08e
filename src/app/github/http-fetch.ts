// The `fetch` the app gives Octokit: Node's own http/https client with keep-alive connections,
// without the WHATWG Fetch and Streams machinery Octokit does not need (docs/decisions.md).
//
// Octokit calls `fetch` for every request and reads back only a status, headers and a body, so
// this answers what Octokit's `fetch-wrapper` reads: `status`, `statusText`, `url`,
// `headers` (`get`, iteration), `text()`, `arrayBuffer()`; it follows redirects like fetch's
// default, honours an AbortSignal, and rejects a network failure with fetch's
// `TypeError("fetch failed", { cause })`, which Octokit turns into a 500 that limits.ts retries.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { pipeline, type Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";

export interface FetchInit {
  method?: string;
  body?: string | Uint8Array | null;
  headers?: Record<string, string>;
  signal?: AbortSignal | null;
  redirect?: "follow" | "manual" | "error";
}

/** The part of a fetch `Response` that Octokit reads. */
export interface FetchResponse {
  status: number;
  statusText: string;
  url: string;
  ok: boolean;
  headers: ResponseHeaders;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
}

const MAX_REDIRECTS = 20; // fetch's own limit
const IDLE_TIMEOUT_MS = 60_000;
const agents = {
  "http:": new HttpAgent({ keepAlive: true }),
  "https:": new HttpsAgent({ keepAlive: true }),
};

export async function nodeHttpFetch(input: string | URL, init: FetchInit = {}): Promise<FetchResponse> {
  let url = new URL(input);
  let method = (init.method ?? "GET").toUpperCase();
  let body: string | Uint8Array | undefined = init.body ?? undefined;
  let headers = init.headers ?? {};
  for (let redirects = 0; ; redirects++) {
    const response = await send(url, method, body, headers, init.signal);
    const location = response.headers.location;
    if (
      init.redirect === "manual" ||
      !location ||
      ![301, 302, 303, 307, 308].includes(response.statusCode ?? 0)
    ) {
      return new NodeResponse(url.href, response, init.signal ?? undefined);
    }
    response.resume(); // a redirect's body is not read
    if (init.redirect === "error") throw new TypeError("fetch failed", { cause: new Error("redirect") });
    if (redirects >= MAX_REDIRECTS)
      throw new TypeError("fetch failed", { cause: new Error("too many redirects") });
    // As fetch does: 303, and 301/302 after a POST, become a GET without a body.
    if (
      response.statusCode === 303 ||
      (method === "POST" && response.statusCode !== 307 && response.statusCode !== 308)
    ) {
      method = "GET";
      body = undefined;
    }
    const next = new URL(String(location), url);
    // As fetch does: credentials are not sent on to another origin (GitHub's token to a CDN).
    if (next.origin !== url.origin) headers = withoutCredentials(headers);
    url = next;
  }
}

const CREDENTIALS = new Set(["authorization", "proxy-authorization", "cookie"]);

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIALS.has(name.toLowerCase())));
}

function send(
  url: URL,
  method: string,
  body: string | Uint8Array | undefined,
  requestHeaders: Record<string, string>,
  signal: AbortSignal | null | undefined,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const https = url.protocol === "https:";
    if (!https && url.protocol !== "http:")
      return reject(new TypeError(`fetch failed: unsupported ${url.protocol}`));
    const headers: Record<string, string | number> = {
      "accept-encoding": "gzip, deflate",
      ...requestHeaders,
    };
    if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
    const request = (https ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: agents[https ? "https:" : "http:"],
      ...(signal ? { signal } : {}),
    });
    // Node's fetch gave up on a silent server after 300 s; GitHub answers within 10 s or not at
    // all, so a minute without a byte fails the request (and frees its slot) for a retry.
    request.setTimeout(IDLE_TIMEOUT_MS, () =>
      request.destroy(new Error(`no answer from ${url.host} in ${IDLE_TIMEOUT_MS / 1000} s`)),
    );
    request.once("response", resolve);
    request.once("error", (error) =>
      reject(signal?.aborted ? abortError(signal) : new TypeError("fetch failed", { cause: error })),
    );
    request.end(body);
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("This operation was aborted", "AbortError");
}

class ResponseHeaders {
  readonly #headers: IncomingMessage["headers"];
  constructor(headers: IncomingMessage["headers"]) {
    this.#headers = headers;
  }
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.#headers[name.toLowerCase()] !== undefined;
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.#headers).sort()) yield [name, this.get(name) as string];
  }
}

class NodeResponse implements FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: ResponseHeaders;
  #stream: Readable | undefined;
  #bytes: Promise<Buffer> | undefined;
  constructor(
    readonly url: string,
    private readonly message: IncomingMessage,
    private readonly signal?: AbortSignal,
  ) {
    this.status = message.statusCode ?? 0;
    this.statusText = message.statusMessage ?? "";
    this.headers = new ResponseHeaders(message.headers);
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  async text(): Promise<string> {
    return (await this.bytes()).toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  /** The body as a Node stream (Octokit hands it over when told not to parse it). */
  get body(): Readable {
    this.#stream ??= decoded(this.message);
    return this.#stream;
  }
  private bytes(): Promise<Buffer> {
    this.#bytes ??= readAll(this.body, this.message, this.signal);
    return this.#bytes;
  }
}

function decoded(message: IncomingMessage): Readable {
  const encoding = message.headers["content-encoding"];
  const decoder = encoding === "gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : undefined;
  if (!decoder) return message;
  // pipeline, not pipe: a connection lost mid-body must fail the decoded stream too.
  pipeline(message, decoder, () => {});
  return decoder;
}

function readAll(
  stream: Readable,
  message: IncomingMessage,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const fail = (cause: Error) =>
      reject(signal?.aborted ? abortError(signal) : new TypeError("fetch failed", { cause }));
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    stream.once("error", fail);
    message.once("aborted", () => fail(new Error("response aborted")));
  });
}
