// Which result may stand on a head: never one from an evaluation that started before the one that
// wrote last. Each evaluation carries a stamp taken before its first read (`WriteOrder.stamp`),
// and a write whose stamp is older than the last write on that head is skipped.
//
// In one process the publisher serialises the writes of a head (KeyedMutex) and remembers the last
// stamp; the run's `external_id` carries the stamp too, so an evaluation that reads the run in its
// first query also sees a newer result another process wrote before that. Several replicas share
// Redis (REDIS_URL): then every write of a head happens in that head's turn, a Redis lock held
// across the replicas, and the last write's stamp and run are kept there, so no GitHub request is
// added; the stamps are then read from Redis's clock (TIME), one clock for every replica, so a
// replica whose clock runs ahead cannot outdate the evaluations of the others. When Redis cannot
// be reached the write goes ahead with a re-read of the run on GitHub instead (one request), the
// stamp comes from the local clock, and the outage is logged.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ExistingRun } from "./publish.js";

let lastStamp = 0;

/**
 * When an evaluation started, in microseconds since the epoch, strictly increasing within the
 * process (two evaluations started in the same millisecond are still ordered). Across replicas
 * the order is the clocks': keep them synchronised (NTP).
 */
export function evaluationStamp(): number {
  lastStamp = Math.max(Date.now() * 1000, lastStamp + 1);
  return lastStamp;
}

/** The last write on a head: its evaluation's stamp and the run it left. */
export interface LastWrite {
  stamp: number;
  run: ExistingRun;
}

export interface HeadTurn {
  /** The last write any replica made on this head, when known. */
  last?: LastWrite;
  /** The shared record could not be read: re-read the run on GitHub before writing. */
  reread: boolean;
}

export interface WriteOrder {
  /** A new evaluation's stamp: larger than any stamp taken before it. */
  stamp(): Promise<number>;
  /**
   * Runs `work` in the head's turn. `work` returns what it wrote (nothing when it skipped a stale
   * result), which becomes the head's last write.
   */
  turn<T>(key: string, work: (turn: HeadTurn) => Promise<{ value: T; wrote?: LastWrite }>): Promise<T>;
  close(): Promise<void>;
}

/** One process: the publisher's own mutex and memory order the writes. */
export const localOrder: WriteOrder = {
  stamp: async () => evaluationStamp(),
  turn: async (_key, work) => (await work({ reread: false })).value,
  close: async () => {},
};

const PREFIX = "readiness-gate:head:";
/** Longer than any write (a check run and its annotation batches, with GitHub's retries). */
const LOCK_MS = 120_000;
/** A head's last write is kept this long; later evaluations of an older head are rare. */
const KEEP_SECONDS = 7 * 24 * 3600;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * The order shared through Redis, connecting in the background (the app already refuses to start
 * when `REDIS_URL` cannot be reached, see github/rate-limit-pauses.ts). Until it is connected, and during
 * an outage, writes re-read the run on GitHub instead.
 */
export function redisOrder(url: string, log: Logger): WriteOrder & { ready(): Promise<void> } {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 });
  let down = false;
  let closing = false;
  const outage = (error: unknown) => {
    if (closing || down) return;
    down = true;
    log.warn(
      `Redis unreachable (${error instanceof Error ? error.message : String(error)}): each check-run write re-reads the run on GitHub until it is back`,
    );
  };
  redis.on("error", outage);
  redis.on("ready", () => {
    if (down) log.info("Redis reachable again: check-run writes are ordered across replicas");
    down = false;
  });
  const ready = new Promise<void>((resolve, reject) => {
    redis.once("ready", resolve);
    redis.once("error", reject);
  });
  ready.catch(() => undefined);

  const acquire = async (lock: string, token: string): Promise<void> => {
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      if ((await redis.set(lock, token, "PX", LOCK_MS, "NX")) === "OK") return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };

  let lastRedisStamp = 0;
  return {
    ready: () => ready,
    async stamp() {
      try {
        const [seconds, micros] = await redis.time();
        lastRedisStamp = Math.max(Number(seconds) * 1_000_000 + Number(micros), lastRedisStamp + 1);
        return lastRedisStamp;
      } catch (error) {
        outage(error);
        return evaluationStamp();
      }
    },
    async turn(key, work) {
      const lock = `${PREFIX}${key}:lock`;
      const record = `${PREFIX}${key}`;
      const token = randomBytes(12).toString("hex");
      let last: LastWrite | undefined;
      let locked = false;
      let reread = false;
      try {
        await acquire(lock, token);
        locked = true;
        last = parseLastWrite(await redis.get(record));
      } catch (error) {
        outage(error);
        reread = true;
      }
      try {
        const { value, wrote } = await work({ ...(last ? { last } : {}), reread });
        if (wrote) await redis.set(record, JSON.stringify(wrote), "EX", KEEP_SECONDS).catch(outage);
        return value;
      } finally {
        if (locked) await redis.eval(RELEASE, 1, lock, token).catch(outage);
      }
    },
    close: async () => {
      closing = true;
      await redis.quit().catch(() => undefined);
    },
  };
}

function parseLastWrite(text: string | null): LastWrite | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LastWrite>;
    const run = value.run;
    if (
      Number.isFinite(value.stamp) &&
      run &&
      Number.isInteger(run.id) &&
      (typeof run.externalId === "string" || run.externalId === null) &&
      Number.isInteger(run.annotationsCount)
    ) {
      return value as LastWrite;
    }
  } catch {
    // Not ours, or garbled: as if there were none.
  }
  return undefined;
}
