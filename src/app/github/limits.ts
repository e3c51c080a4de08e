// How the app behaves toward GitHub's limits: an Octokit plugin that, for each request,
// 1. waits while the installation is paused (a rate limit hit by this or, with Redis, another
//    replica), and fails at once, saying until when, if the pause is longer than `maxWaitMs`;
// 2. keeps at most `maxConcurrent` requests of one installation in flight (GitHub asks clients not
//    to hammer it with concurrent requests; Octokit's own cap is 10);
// 3. retries what GitHub asks to retry: a secondary rate limit after its `retry-after` (pausing
//    the installation meanwhile), a used-up primary limit when it resets within `maxWaitMs`, and
//    a server error or dropped connection (500, 502, 503, 504) after 1, 2 and 4 seconds.
//
// These are the rules of Octokit's throttling and retry plugins, minus their one-second spacing
// of writes, with no queue in front of every request (docs/decisions.md, "Talking to GitHub").
import type { Octokit } from "@octokit/core";
import type { Logger } from "pino";
import type { RateLimitPauses } from "./rate-limit-pauses.js";

export interface GitHubLimitsOptions {
  pauses: RateLimitPauses;
  /** Concurrent requests per installation in this process. */
  maxConcurrent?: number;
  /** The longest wait for a rate limit; a longer one fails the request (and the evaluation). */
  maxWaitMs?: number;
  /** Retries of a server error; each waits `serverErrorDelayMs` × 2^n. */
  serverErrorRetries?: number;
  serverErrorDelayMs?: number;
  /** Retries of a rate limit (secondary or primary). */
  rateLimitRetries?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
/** GitHub's advice when a secondary limit comes without `retry-after`: wait at least a minute. */
const SECONDARY_DEFAULT_MS = 60_000;
const ALL = "*";

interface RequestOptions {
  method: string;
  url: string;
  request?: { signal?: AbortSignal | null };
  [key: string]: unknown;
}

interface Failure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** What a failed request calls for: a retry after a server error, or a rate-limit pause. */
type Decision = { kind: "server" } | { kind: "limit"; resource: string; until: number } | undefined;

/** The Octokit plugin; `octokit.log` receives a warning per retry. */
export function githubLimits(options: GitHubLimitsOptions) {
  const settings = {
    maxConcurrent: options.maxConcurrent ?? 10,
    maxWaitMs: options.maxWaitMs ?? 60_000,
    serverErrorRetries: options.serverErrorRetries ?? 3,
    serverErrorDelayMs: options.serverErrorDelayMs ?? 1000,
    rateLimitRetries: options.rateLimitRetries ?? 2,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
  };
  const { pauses } = options;
  const slots = new InstallationSlots(settings.maxConcurrent);

  return (octokit: Octokit, octokitOptions: { auth?: unknown }) => {
    const installation = installationOf(octokitOptions.auth);
    const log = octokit.log as unknown as Pick<Logger, "warn">;

    octokit.hook.wrap("request", async (request, requestOptions) => {
      const options = requestOptions as unknown as RequestOptions;
      // The installation token is fetched by Octokit's auth from INSIDE another request of this
      // installation (which holds a slot), through the same hooks: it must not queue for a slot,
      // or ten requests waiting for their token would wait forever.
      if (isTokenRequest(options)) return request(requestOptions);
      const resource = resourceOf(options);
      let serverRetries = 0;
      let limitRetries = 0;
      for (;;) {
        await waitForPause(installation, resource);
        const release = await slots.acquire(installation);
        let failure: unknown;
        try {
          const response = await request(requestOptions);
          pauseWhenUsedUp(response.headers as Record<string, unknown>, resource);
          return response;
        } catch (error) {
          failure = error;
        } finally {
          release();
        }
        // An aborted request was given up by its caller: Octokit reports it with status 500, but
        // retrying it would only fail again after the server-error waits.
        if (options.request?.signal?.aborted) throw failure;
        const decision = decide(failure as Failure, resource);
        if (!decision) throw failure;
        let afterMs: number;
        if (decision.kind === "server") {
          if (++serverRetries > settings.serverErrorRetries) throw failure;
          afterMs = settings.serverErrorDelayMs * 2 ** (serverRetries - 1);
        } else {
          // Every request of the installation waits, retried or not.
          pauses.pause(installation, decision.resource, decision.until);
          afterMs = decision.until - settings.now();
          if (++limitRetries > settings.rateLimitRetries || afterMs > settings.maxWaitMs) throw failure;
        }
        log.warn(
          `GitHub answered ${statusOf(failure as Failure)} to ${options.method} ${options.url}: retrying in ${Math.max(0, Math.ceil(afterMs / 1000))} s`,
        );
        // A rate limit's wait is the pause itself, honoured at the top of the loop.
        if (decision.kind === "server") await settings.sleep(afterMs);
      }
    });

    /** The last request of the budget succeeded: the next would be refused, so hold them until the reset. */
    function pauseWhenUsedUp(headers: Record<string, unknown>, resource: string): void {
      if (String(headers["x-ratelimit-remaining"]) !== "0") return;
      const reset = Number(headers["x-ratelimit-reset"]) * 1000;
      if (Number.isFinite(reset))
        pauses.pause(installation, String(headers["x-ratelimit-resource"] ?? resource), reset);
    }

    async function waitForPause(installation: string, resource: string): Promise<void> {
      let until = pauses.until(installation, resource);
      // Waited again only if the pause grew meanwhile (another answer, another replica).
      for (let waited = 0; until > settings.now() && waited < 3; waited++) {
        if (until - settings.now() > settings.maxWaitMs) {
          throw Object.assign(
            new Error(
              `GitHub's rate limit for this installation is used up until ${new Date(until).toISOString()}; the request was not sent`,
            ),
            { status: 403, name: "RateLimitedError" },
          );
        }
        await settings.sleep(until - settings.now());
        const later = pauses.until(installation, resource);
        if (later <= until) return;
        until = later;
      }
    }
  };

  function decide(failure: Failure, resource: string): Decision {
    const status = statusOf(failure);
    const headers = failure?.response?.headers ?? {};
    if (status === 403 || status === 429) {
      const retryAfter = headers["retry-after"];
      if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) {
        return {
          kind: "limit",
          resource: ALL,
          until: settings.now() + Math.max(0, Number(retryAfter)) * 1000,
        };
      }
      if (String(headers["x-ratelimit-remaining"]) === "0") {
        const reset = Number(headers["x-ratelimit-reset"]) * 1000;
        return {
          kind: "limit",
          resource: String(headers["x-ratelimit-resource"] ?? resource),
          until: Number.isFinite(reset) ? reset : settings.now() + SECONDARY_DEFAULT_MS,
        };
      }
      if (/secondary rate limit/i.test(failure.message ?? "")) {
        return { kind: "limit", resource: ALL, until: settings.now() + SECONDARY_DEFAULT_MS };
      }
      return undefined;
    }
    return status !== undefined && RETRIED_STATUSES.has(status) ? { kind: "server" } : undefined;
  }
}

function statusOf(failure: Failure): number | undefined {
  return typeof failure?.status === "number" ? failure.status : undefined;
}

/** Probot builds one Octokit per installation, with the id in its auth options. */
function installationOf(auth: unknown): string {
  const id = (auth as { installationId?: unknown } | undefined)?.installationId;
  return id === undefined ? "app" : `installation ${String(id)}`;
}

function isTokenRequest(options: RequestOptions): boolean {
  return /\/app\/installations\/[^/]+\/access_tokens$/.test(String(options.url));
}

/** GitHub's rate-limit resource a request counts against. */
function resourceOf(options: RequestOptions): string {
  const url = String(options.url);
  if (url === "/graphql" || url.endsWith("/graphql")) return "graphql";
  if (url.startsWith("/search/")) return "search";
  return "core";
}

/** A counting semaphore per installation; an idle installation leaves nothing behind. */
class InstallationSlots {
  readonly #busy = new Map<string, { active: number; waiting: Array<() => void> }>();
  constructor(private readonly max: number) {}

  async acquire(installation: string): Promise<() => void> {
    let slot = this.#busy.get(installation);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.#busy.set(installation, slot);
    }
    if (slot.active >= this.max) {
      const current = slot;
      await new Promise<void>((resolve) => current.waiting.push(resolve));
    } else {
      slot.active++;
    }
    const held = slot;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = held.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else if (--held.active === 0) this.#busy.delete(installation);
    };
  }
}
