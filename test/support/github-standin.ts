// A local HTTP stand-in for the GitHub API, for end-to-end tests of the app.
//
// Start the app with GHE_HOST=<standIn.url> GHE_PROTOCOL=http APP_ID=<standIn.app.id>
// PRIVATE_KEY=<standIn.appPrivateKey>: Probot then sends REST calls to
// http://127.0.0.1:<port>/api/v3/... (probot/lib/create-probot.js builds
// `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`) and @octokit/graphql rewrites that base to
// http://127.0.0.1:<port>/api/graphql. Paths without the /api/v3 prefix, /graphql, and release
// uploads under /api/uploads/... are served too.
//
// Every REST request is matched to an operation of GitHub's OpenAPI description and validated
// (see github-standin/openapi.ts); requests GitHub would reject land in `violations`. GraphQL
// requests are validated against GitHub's published schema and executed by graphql-js
// (github-standin/graphql.ts, objects in graphql-model.ts); invalid queries are violations too.
// The state model and its builders are in github-standin/state.ts, the REST handlers in
// github-standin/routes.ts.
//
// One installation reaches every account, unless an account installs the app for itself
// (`addInstallation`): its tokens then reach that account alone, as on GitHub. Every request
// records the installation whose token sent it and what it asked about; a question beyond the
// token's reach answers Not Found, as GitHub does, and is a violation.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  verify,
} from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { executeGraphQL } from "./github-standin/graphql.js";
import { checkRunLimits, OpenApiValidator } from "./github-standin/openapi.js";
import { Renderer } from "./github-standin/render.js";
import { HttpError, type RouteResult, routes } from "./github-standin/routes.js";
import { GitHubState } from "./github-standin/state.js";

export type { FileContent } from "./github-standin/git.js";
export { blobSha } from "./github-standin/git.js";
export type * from "./github-standin/state.js";
export { GitHubState } from "./github-standin/state.js";

export interface StandInOptions {
  /** Port to listen on (default: a free one). The stand-in always binds 127.0.0.1. */
  port?: number;
  /** Default 1. */
  appId?: number;
  /** Default "readiness-gate"; issues and comments the app creates are by `<slug>[bot]`. */
  appSlug?: string;
  /**
   * The default installation, reaching every account without one of its own (`addInstallation`).
   * Default 1.
   */
  installationId?: number;
  /** PEM private key of the app, used to verify its JWTs. Default: a fresh 2048-bit RSA key (PKCS#1). */
  appPrivateKey?: string;
  /**
   * "strict" (default): /app/* needs a valid app JWT (RS256, signed with the app key, `iss` = app
   * id, at most 10 minutes long); everything else needs an installation token the stand-in issued
   * (`installationToken`, or one from POST /app/installations/{id}/access_tokens). "off": no checks.
   */
  auth?: "strict" | "off";
  /** Validate requests against the OpenAPI description (default true). */
  validate?: boolean;
  /** Clock for timestamps (reviews, check runs, commits). */
  now?: () => Date;
}

export interface RequestRecord {
  method: string;
  /** Decoded path without the /api/v3 (or /api/uploads) prefix, e.g. /repos/o/r/contents/a/b.yml. */
  path: string;
  /** The OpenAPI operation, e.g. "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", or "POST /graphql". */
  route?: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** For POST /graphql: the points of GitHub's GraphQL rate limit the query would cost. */
  graphqlCost?: number;
  /** The installation whose token sent the request (none for the app's JWT, or with auth off). */
  installation?: number;
  /**
   * What the request asked about, first mention first: repositories as `owner/name`,
   * organisations by login (a REST path's `{owner}/{repo}` or `{org}`; a GraphQL query's
   * `repository`, `organization` and `user.organization` fields).
   */
  about?: string[];
}

export interface Violation {
  method: string;
  path: string;
  route?: string;
  status: number;
  reason: string;
}

export interface FailureSpec {
  /** 403 answers as a secondary rate limit (with `retry-after`); 429 as a primary one. */
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** `retry-after` seconds for 403/429 (default 1). */
  retryAfter?: number;
  /** Only requests whose JSON body matches, e.g. a GraphQL query that reads one file. */
  body?: RegExp;
}

interface Fault {
  method: string;
  pattern: RegExp;
  spec: FailureSpec;
  left: number;
}

interface Delay {
  method: string;
  pattern: RegExp;
  body?: RegExp;
  ms: number;
}

interface Token {
  installationId: number;
  expiresAt: number;
}

// The description is parsed once per process, even across stand-ins.
let validatorPromise: Promise<OpenApiValidator> | undefined;

function patternToRegExp(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const source = pattern
    .split(/(\*\*|\*|\{[^}]+\})/)
    .map((part) =>
      part === "**"
        ? ".*"
        : part === "*" || /^\{[^}]+\}$/.test(part)
          ? "[^/]+"
          : part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`);
}

function base64UrlJson(part: string | undefined): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export class GitHubStandIn extends GitHubState {
  /** The GHE_HOST value: `127.0.0.1:<port>`. */
  url = "";
  /** REST base URL for Octokit: `http://127.0.0.1:<port>/api/v3`. */
  baseUrl = "";
  /** `http://127.0.0.1:<port>/api/graphql`. */
  graphqlUrl = "";
  /** Every request, in order of arrival. */
  readonly requests: RequestRecord[] = [];
  /** Requests GitHub would reject (unknown operation, invalid parameters or body, bad auth, 422s). */
  readonly violations: Violation[] = [];
  /** Valid GitHub operations (REST, or GraphQL fields) the stand-in does not implement (REST answers 404). */
  readonly unhandled: RequestRecord[] = [];
  readonly appPrivateKey: string;
  /** A pre-issued installation token, for tests that call the stand-in directly. */
  readonly installationToken: string;
  readonly render: Renderer;
  private readonly publicKey: KeyObject;
  private readonly tokens = new Map<string, Token>();
  private readonly faults: Fault[] = [];
  private readonly delays: Delay[] = [];
  private server = createServer((req, res) => {
    void this.handle(req, res);
  });

  constructor(
    private readonly options: StandInOptions,
    private readonly validator: OpenApiValidator,
  ) {
    super({
      appId: options.appId ?? 1,
      appSlug: options.appSlug ?? "readiness-gate",
      installationId: options.installationId ?? 1,
      ...(options.now ? { now: options.now } : {}),
    });
    this.appPrivateKey =
      options.appPrivateKey ??
      generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
      }).privateKey;
    this.publicKey = createPublicKey(createPrivateKey(this.appPrivateKey));
    this.installationToken = this.issueToken(this.installationId).token;
    this.render = new Renderer(this, "", "");
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    const { port: actual } = this.server.address() as AddressInfo;
    this.url = `127.0.0.1:${actual}`;
    this.baseUrl = `http://${this.url}/api/v3`;
    this.graphqlUrl = `http://${this.url}/api/graphql`;
    this.render.api = this.baseUrl;
    this.render.web = `http://${this.url}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Makes the next `times` requests matching `method` ("*" for any) and `path` fail with
   * `status` (GitHub failing mid-way, e.g. `failNext("POST", "/repos/{o}/{r}/releases/{id}/assets",
   * { status: 502 })` for a release asset upload). The failed request is logged with its route and
   * status, changes nothing in the state, and is no violation. A string path matches the decoded path without /api/v3, whole: `{name}` and `*`
   * match one segment, `**` any run of characters (`/repos/{o}/{r}/pulls/*\/files`, `/graphql`).
   */
  failNext(method: string, path: string | RegExp, spec: FailureSpec): void {
    this.faults.push({
      method: method.toUpperCase(),
      pattern: patternToRegExp(path),
      spec,
      left: spec.times ?? 1,
    });
  }

  /** Drops every fault `failNext` (and delay `delayNext`) set up that has not fired yet. */
  clearFaults(): void {
    this.faults.length = 0;
    this.delays.length = 0;
  }

  /**
   * A slow read: the next request matching `method`, `path` (as `failNext`) and, if given, `body`
   * (tested against the JSON request body, e.g. a GraphQL query's text) is answered from the state
   * as it is when the request arrives, but the answer is sent `ms` later.
   */
  delayNext(method: string, path: string | RegExp, ms: number, options: { body?: RegExp } = {}): void {
    this.delays.push({
      method: method.toUpperCase(),
      pattern: patternToRegExp(path),
      ms,
      ...(options.body ? { body: options.body } : {}),
    });
  }

  /** Requests to one operation ("GET /repos/{owner}/{repo}/contents/{path}"). */
  requestsTo(route: string): RequestRecord[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Forgets logged requests, violations and unhandled requests (state is kept). */
  clearLog(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.unhandled.length = 0;
  }

  issueToken(installationId: number): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    const expiresAt = Date.now() + 3600_000;
    this.tokens.set(token, { installationId, expiresAt });
    return { token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z") };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? this.url}`);
    let rawPath = url.pathname;
    let graphql = false;
    if (rawPath === "/api/graphql" || rawPath === "/graphql") graphql = true;
    else if (rawPath.startsWith("/api/v3/") || rawPath === "/api/v3") rawPath = rawPath.slice(7) || "/";
    else if (rawPath.startsWith("/api/uploads/")) rawPath = rawPath.slice(12);
    const path = safeDecode(rawPath);
    const query = Object.fromEntries(url.searchParams);
    let parsed: { ok: true; value: unknown } | { ok: false } = { ok: true, value: undefined };
    if (rawBody.byteLength > 0) {
      try {
        parsed = { ok: true, value: JSON.parse(rawBody.toString("utf8")) };
      } catch {
        parsed = { ok: false };
      }
    }
    const record: RequestRecord = {
      method,
      path,
      query,
      body: parsed.ok && parsed.value !== undefined ? parsed.value : describeBytes(rawBody),
      status: 0,
    };
    if (graphql) record.route = "POST /graphql";
    this.requests.push(record);

    const sendNow = (result: RouteResult) => {
      record.status = result.status;
      const headers: Record<string, string> = {
        "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
        "x-github-media-type": "github.v3; format=json",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-used": "1",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        "x-ratelimit-resource": graphql ? "graphql" : "core",
        ...result.headers,
      };
      if (result.raw) {
        res.writeHead(result.status, {
          ...headers,
          "content-type": result.contentType ?? "application/octet-stream",
        });
        res.end(result.raw);
      } else if (result.json !== undefined) {
        res.writeHead(result.status, { ...headers, "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(result.json));
      } else {
        res.writeHead(result.status, headers);
        res.end();
      }
    };
    // A slow read (`delayNext`): answered from the state as it is now, sent later.
    const delay = this.takeDelay(method, path, graphql, record.body);
    const send = (result: RouteResult) => {
      if (delay > 0) setTimeout(() => sendNow(result), delay);
      else sendNow(result);
    };
    const reject = (status: number, reason: string, body: Record<string, unknown>) => {
      this.violations.push({
        method,
        path,
        ...(record.route ? { route: record.route } : {}),
        status,
        reason,
      });
      send({
        status,
        json: { ...body, documentation_url: "https://docs.github.com/rest", status: String(status) },
      });
    };

    try {
      // The operation is named before any injected failure, so a failed request is found by its
      // route (`requestsTo`) like any other.
      let matched: ReturnType<OpenApiValidator["match"]>;
      if (!graphql) {
        matched = this.validator.match(method, rawPath);
        if (matched) record.route = `${method} ${matched.operation.template}`;
      }

      const fault = this.faults.find(
        (f) =>
          (f.method === "*" || f.method === method) &&
          (f.pattern.test(path) || (graphql && f.pattern.test("/graphql"))) &&
          (!f.spec.body || f.spec.body.test(JSON.stringify(record.body ?? ""))),
      );
      if (fault) {
        fault.left -= 1;
        if (fault.left <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
        send(this.faultResponse(fault.spec));
        return;
      }

      const authProblem = this.checkAuth(req, path, graphql);
      if (authProblem) {
        reject(401, authProblem, {
          message: authProblem.startsWith("Requires") ? "Requires authentication" : "Bad credentials",
        });
        return;
      }
      const installation = this.installationOfToken(req);
      if (installation !== undefined) record.installation = installation;

      const rawUpload = matched?.operation.rawBody ?? false;
      if (rawUpload) record.body = describeBytes(rawBody);
      else if (!parsed.ok) {
        reject(400, "request body is not valid JSON", { message: "Problems parsing JSON" });
        return;
      }
      const body = rawUpload || !parsed.ok ? undefined : parsed.value;

      if (graphql) {
        if (method !== "POST") {
          reject(404, "GraphQL accepts POST only", { message: "Not Found" });
          return;
        }
        // GitHub answers every GraphQL request with 200; queries it would reject become violations.
        const outcome = executeGraphQL(this, body, this.render, installation);
        if (outcome.cost > 0) record.graphqlCost = outcome.cost;
        if (outcome.about.length > 0) record.about = outcome.about;
        for (const reason of outcome.violations) {
          this.violations.push({ method, path, route: "POST /graphql", status: 200, reason });
        }
        if (outcome.unimplemented.length > 0) this.unhandled.push(record);
        send({ status: 200, json: outcome.response });
        return;
      }

      if (!matched) {
        reject(404, `no operation ${method} ${path} in GitHub's REST API`, { message: "Not Found" });
        return;
      }
      const account = matched.params.owner ?? matched.params.org;
      if (account !== undefined) {
        const about = matched.params.repo === undefined ? account : `${account}/${matched.params.repo}`;
        record.about = [about];
        // GitHub answers 404 for what the token's installation does not reach, as for what is not there.
        const reaching = this.installationOf(account);
        if (installation !== undefined && reaching !== installation) {
          reject(
            404,
            `installation ${installation}'s token asked about ${about}, which installation ${reaching} reaches`,
            {
              message: "Not Found",
            },
          );
          return;
        }
      }
      const coerced: Record<string, unknown> = { ...query };
      if (this.options.validate !== false) {
        const problem = this.validator.validate(matched, coerced, body);
        if (problem) {
          const message =
            problem.status === 400
              ? "Problems parsing JSON"
              : problem.status === 404
                ? "Not Found"
                : `Invalid request.\n\n${problem.reason}`;
          reject(problem.status, problem.reason, { message });
          return;
        }
        const template = matched.operation.template;
        if (
          /^\/repos\/\{owner\}\/\{repo\}\/check-runs(\/\{check_run_id\})?$/.test(template) &&
          method !== "GET"
        ) {
          const limits = checkRunLimits(body);
          if (limits.length > 0) {
            reject(422, limits.join("; "), { message: `Invalid request.\n\n${limits.join("\n")}` });
            return;
          }
        }
      }

      const handler = routes[record.route ?? ""];
      if (!handler) {
        this.unhandled.push(record);
        send({ status: 404, json: { message: `Not implemented by the GitHub stand-in: ${record.route}` } });
        return;
      }
      try {
        send(
          handler({
            state: this,
            render: this.render,
            params: matched.params,
            query: coerced,
            body,
            rawBody,
            accept: String(req.headers.accept ?? ""),
            contentType: String(req.headers["content-type"] ?? ""),
            url,
            issueToken: (id) => this.issueToken(id),
            ...(installation !== undefined ? { installation } : {}),
          }),
        );
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        if (error.status === 404) send({ status: 404, json: error.body });
        else {
          this.violations.push({
            method,
            path,
            route: record.route,
            status: error.status,
            reason: error.message,
          });
          send({ status: error.status, json: error.body });
        }
      }
    } catch (error) {
      record.status = 500;
      this.violations.push({ method, path, status: 500, reason: `stand-in error: ${String(error)}` });
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `stand-in error: ${String(error)}` }));
      }
    }
  }

  /** The delay `delayNext` set up for this request, consumed; 0 when none. */
  private takeDelay(method: string, path: string, graphql: boolean, body: unknown): number {
    const text = body === undefined ? "" : JSON.stringify(body);
    const delay = this.delays.find(
      (d) =>
        (d.method === "*" || d.method === method) &&
        (d.pattern.test(path) || (graphql && d.pattern.test("/graphql"))) &&
        (!d.body || d.body.test(text)),
    );
    if (!delay) return 0;
    this.delays.splice(this.delays.indexOf(delay), 1);
    return delay.ms;
  }

  private faultResponse(spec: FailureSpec): RouteResult {
    const retryAfter = String(spec.retryAfter ?? 1);
    if (spec.status === 403) {
      return {
        status: 403,
        headers: { "retry-after": retryAfter },
        json: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
          documentation_url:
            "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          status: "403",
        },
      };
    }
    if (spec.status === 429) {
      return {
        status: 429,
        headers: {
          "retry-after": retryAfter,
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + Number(retryAfter)),
        },
        json: { message: "API rate limit exceeded", status: "429" },
      };
    }
    if (spec.status === 502) return { status: 502, json: { message: "Server Error" } };
    return { status: spec.status, json: { message: "Internal Server Error", status: String(spec.status) } };
  }

  /** A reason to reject the request's credentials, or undefined. */
  private checkAuth(req: IncomingMessage, path: string, graphql: boolean): string | undefined {
    if (this.options.auth === "off") return undefined;
    const header = String(req.headers.authorization ?? "");
    const m = /^(token|bearer)\s+(\S+)$/i.exec(header);
    if (!m) return "Requires authentication: no Authorization header";
    const credential = m[2] as string;
    const isJwt = credential.split(".").length === 3;
    // The app's own endpoints, and where it asks which installation reaches an account.
    const appEndpoint =
      !graphql &&
      (path === "/app" ||
        path.startsWith("/app/") ||
        /^\/(repos\/[^/]+\/[^/]+|orgs\/[^/]+|users\/[^/]+)\/installation$/.test(path));
    if (appEndpoint) {
      if (!isJwt) return `${path} needs the app's JWT, not an installation token`;
      return this.checkJwt(credential);
    }
    if (isJwt) return `${path} needs an installation token, not the app's JWT`;
    const token = this.tokens.get(credential);
    if (!token) return "unknown token (not issued by this stand-in)";
    if (token.expiresAt < Date.now()) return "installation token expired";
    return undefined;
  }

  /** The installation of the request's installation token, if it carries one this stand-in issued. */
  private installationOfToken(req: IncomingMessage): number | undefined {
    const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
    return credential === undefined ? undefined : this.tokens.get(credential)?.installationId;
  }

  private checkJwt(jwt: string): string | undefined {
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const header = base64UrlJson(h);
    const payload = base64UrlJson(p);
    if (!header || !payload) return "A JSON web token could not be decoded";
    if (header.alg !== "RS256") return `JWT alg must be RS256, got ${String(header.alg)}`;
    if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, "base64url"))) {
      return "JWT signature does not verify with the app's key";
    }
    if (String(payload.iss) !== String(this.app.id))
      return `JWT iss ${String(payload.iss)} is not the app id ${this.app.id}`;
    const now = Math.floor(Date.now() / 1000);
    const iat = Number(payload.iat);
    const exp = Number(payload.exp);
    if (!Number.isFinite(iat) || iat > now + 60)
      return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
    if (!Number.isFinite(exp) || exp < now) return "'Expiration time' claim ('exp') is too far in the past";
    if (exp - iat > 600 + 60 || exp > now + 600 + 60)
      return "'Expiration time' claim ('exp') is too far in the future";
    return undefined;
  }
}

function describeBytes(bytes: Buffer): string | undefined {
  return bytes.byteLength > 0 ? `<${bytes.byteLength} bytes>` : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Starts a stand-in on 127.0.0.1 (loading GitHub's OpenAPI description on first use, ~1 s). */
export async function startGitHubStandIn(options: StandInOptions = {}): Promise<GitHubStandIn> {
  validatorPromise ??= OpenApiValidator.load();
  const standIn = new GitHubStandIn(options, await validatorPromise);
  await standIn.listen(options.port ?? 0);
  return standIn;
}

export type StandIn = GitHubStandIn;
