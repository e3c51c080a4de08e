// When GitHub says an installation must wait (a secondary rate limit's `retry-after`, or a primary
// limit used up until `x-ratelimit-reset`), every request of that installation waits, not only
// the one that was told. With `REDIS_URL` the pause is published to every replica, so a fleet
// backs off together: this is the "shared rate limiting across replicas" of the contract.
//
// Requests never wait on Redis: each replica keeps the pauses it knows in memory and learns new
// ones by subscription. If Redis is down, a replica still honours the pauses it hit itself; it
// logs the outage once and carries on. A replica that starts during a pause learns it from its
// own first limited answer.
import { Redis } from "ioredis";
import type { Logger } from "pino";

/** A rate-limit resource (`core`, `graphql`, `search`…), or `*` for a pause of every request. */
export type Resource = string;

export interface RateLimitPauses {
  /** Epoch ms until which this installation's requests for `resource` must wait; 0 when none. */
  until(installation: string, resource: Resource): number;
  /** Records (and, with Redis, tells every replica) that `installation` must wait until `untilMs`. */
  pause(installation: string, resource: Resource, untilMs: number): void;
  close(): Promise<void>;
}

const ALL: Resource = "*";

/** The pauses this process knows; expired ones are dropped as they are read. */
class KnownPauses {
  readonly #until = new Map<string, number>();
  constructor(private readonly now: () => number) {}

  until(installation: string, resource: Resource): number {
    return Math.max(
      this.#read(`${installation} ${ALL}`),
      resource === ALL ? 0 : this.#read(`${installation} ${resource}`),
    );
  }

  record(installation: string, resource: Resource, untilMs: number): void {
    const key = `${installation} ${resource}`;
    if (untilMs > (this.#until.get(key) ?? 0)) this.#until.set(key, untilMs);
  }

  #read(key: string): number {
    const until = this.#until.get(key);
    if (until === undefined) return 0;
    if (until > this.now()) return until;
    this.#until.delete(key);
    return 0;
  }
}

/** Pauses known to this process only (no `REDIS_URL`). */
export function localPauses(now: () => number = Date.now): RateLimitPauses {
  const known = new KnownPauses(now);
  return {
    until: (installation, resource) => known.until(installation, resource),
    pause: (installation, resource, untilMs) => known.record(installation, resource, untilMs),
    close: async () => {},
  };
}

export const PAUSES_CHANNEL = "readiness-gate:rate-limit-pauses";

interface PauseMessage {
  installation: string;
  resource: Resource;
  until: number;
}

/**
 * Pauses shared through Redis pub/sub. Resolves once subscribed; rejects when Redis cannot be
 * reached at start, so a misconfigured `REDIS_URL` stops the start instead of going unnoticed.
 */
export async function redisPauses(
  url: string,
  log: Logger,
  now: () => number = Date.now,
): Promise<RateLimitPauses> {
  const known = new KnownPauses(now);
  // No offline queue: a publish during an outage fails at once instead of piling up.
  const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  const subscriber = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  // Each connection is watched on its own: pauses are shared only while both are up.
  const down = new Set<Redis>();
  let lastError: Error | undefined;
  let closing = false;
  const wentDown = (client: Redis, error?: Error) => {
    lastError = error ?? lastError;
    if (closing || down.has(client)) return;
    if (down.size === 0) {
      log.warn(
        `Redis unreachable (${lastError?.message ?? "connection closed"}): rate-limit pauses are not shared until it is back`,
      );
    }
    down.add(client);
  };
  const cameBack = (client: Redis) => {
    if (down.delete(client) && down.size === 0)
      log.info("Redis reachable again: rate-limit pauses are shared");
  };
  for (const client of [publisher, subscriber]) {
    client.on("error", (error: Error) => wentDown(client, error));
    client.on("close", () => wentDown(client));
    client.on("ready", () => cameBack(client));
  }
  subscriber.on("message", (_channel: string, text: string) => {
    const message = parsePause(text);
    if (message) known.record(message.installation, message.resource, message.until);
  });
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(PAUSES_CHANNEL);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    // ioredis reports a refused connection as "Connection is closed": name the cause it logged.
    const cause = lastError ?? (error instanceof Error ? error : new Error(String(error)));
    throw new Error(`REDIS_URL: cannot reach Redis: ${cause.message}`, { cause });
  }
  return {
    until: (installation, resource) => known.until(installation, resource),
    pause: (installation, resource, until) => {
      known.record(installation, resource, until);
      const message: PauseMessage = { installation, resource, until };
      publisher
        .publish(PAUSES_CHANNEL, JSON.stringify(message))
        .catch((error: Error) => wentDown(publisher, error));
    },
    close: async () => {
      closing = true;
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

function parsePause(text: string): PauseMessage | undefined {
  try {
    const value = JSON.parse(text) as Partial<PauseMessage>;
    if (
      typeof value.installation === "string" &&
      typeof value.resource === "string" &&
      Number.isFinite(value.until)
    ) {
      return value as PauseMessage;
    }
  } catch {
    // Not ours, or garbled: ignored.
  }
  return undefined;
}
