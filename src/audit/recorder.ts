// The app's side of the audit trail: every decision goes to the spool (fsync'd) BEFORE its check
// run is published, and is appended to the store, in spool order, once it is published. So a
// crash between publishing and recording loses nothing (the decision is on disk and is appended at
// the next start), and a store that is down only makes the spool longer: it is drained, with
// backoff, when the store is back. Recording never decides anything and never fails an evaluation.
//
// A decision whose publish failed, or was not written because a later evaluation had already
// published on the head, is withdrawn: GitHub never showed it. One that was held when the process
// died is appended at the next start: the decision was made, even if its run may not have posted.

import { Spool, type SpoolLog } from "./spool.js";
import type { AuditRecord, AuditStore, Decision, RecordFilter } from "./types.js";

export interface RecorderLog extends SpoolLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** What the recorder reports to /metrics. */
export interface RecorderGauges {
  /** Decisions spooled and not yet in the store. */
  pending(count: number): void;
  /** Records the store appended (a repeat of a held `sameAs` is not one). */
  appended(): void;
}

export interface Held {
  /** The check run was published: the decisions may go to the store. */
  release(): void;
  /** GitHub never showed these decisions: they are not recorded. */
  withdraw(): void;
}

export interface Recorder {
  /** Spools the decisions of one evaluation (on disk when this returns); never throws. */
  hold(decisions: readonly Decision[]): Promise<Held>;
  /** Decisions not yet in the store. */
  pending(): number;
  /** Opens the store now; when it cannot, says so in the log (the error names DATABASE_URL) and retries. */
  start(): Promise<void>;
  /** Whether the store answers now. */
  reachable(): Promise<boolean>;
  /** Appends what waits, now; resolves when done or when the store failed (a retry is then due). */
  drain(): Promise<void>;
  /**
   * The records the store holds that match `filter`, after appending what waits (a decision made
   * a moment ago counts). Throws when the store cannot be reached: the caller fails closed.
   */
  read(filter: RecordFilter): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export interface RecorderOptions {
  /** Opens the store; called again after a failure, until it succeeds. */
  connect: () => Promise<AuditStore>;
  spoolPath: string;
  log: RecorderLog;
  gauges?: RecorderGauges;
  /** Backoff between attempts while the store is down (ms): doubling from `min` up to `max`. */
  retry?: { min: number; max: number };
}

interface Entry {
  decision: Decision;
  state: "held" | "released" | "withdrawn";
}

const NO_GAUGES: RecorderGauges = { pending: () => undefined, appended: () => undefined };

export function createRecorder(options: RecorderOptions): Recorder {
  const { log } = options;
  const gauges = options.gauges ?? NO_GAUGES;
  const retry = options.retry ?? { min: 1_000, max: 60_000 };
  const spool = Spool.open(options.spoolPath, log);
  // What the spool file holds, in its order (entries the disk refused are only here).
  const queue: Entry[] = spool.leftOver.map((decision) => ({ decision, state: "released" }));
  if (queue.length > 0)
    log.info(
      { spool: spool.path, pending: queue.length },
      "audit: decisions left in the spool will be appended",
    );
  const waiting = () => queue.filter((e) => e.state !== "withdrawn").length;
  gauges.pending(waiting());

  let store: Promise<AuditStore> | undefined;
  let draining: Promise<void> | undefined;
  let again = false;
  let delay = retry.min;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const connected = (): Promise<AuditStore> => {
    if (!store) {
      const opening = options.connect();
      store = opening;
      // A failed open is forgotten (the next attempt opens afresh), unless a newer one replaced it.
      opening.catch(() => {
        if (store === opening) store = undefined;
      });
    }
    return store;
  };

  const scheduleRetry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, retry.max);
  };

  const appendWaiting = async () => {
    while (queue[0] && queue[0].state !== "held") {
      const entry = queue[0];
      if (entry.state === "released") {
        const { appended } = await (await connected()).append(entry.decision);
        if (appended) gauges.appended();
      }
      queue.shift();
      gauges.pending(waiting());
    }
    if (queue.length === 0) await spool.clear(() => queue.length === 0);
  };

  const drain = (): Promise<void> => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      try {
        do {
          again = false;
          await appendWaiting();
        } while (again && !closed);
        delay = retry.min;
      } catch (error) {
        // The next attempt opens the store afresh (a server restarted, a connection lost).
        const lost = store;
        store = undefined;
        lost?.then((s) => s.close()).catch(() => undefined);
        log.error(
          { error: errorMessage(error), pending: waiting(), retryInMs: delay },
          "audit: the store could not take the record; it waits in the spool",
        );
        scheduleRetry();
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  };

  // What a previous process left is appended at start.
  if (queue.length > 0) void drain();

  return {
    async hold(decisions) {
      const entries: Entry[] = [];
      const written: Promise<void>[] = [];
      for (const decision of decisions) {
        // In the queue before it is on disk: the spool is never emptied under a line being written.
        const entry: Entry = { decision, state: "held" };
        queue.push(entry);
        entries.push(entry);
        // Added together, in order: they reach the disk in one write (Spool.add).
        written.push(
          spool
            .add(decision)
            .catch((error: unknown) =>
              log.error(
                { spool: spool.path, error: errorMessage(error) },
                "audit: the spool cannot be written; the decision is kept in memory only",
              ),
            ),
        );
      }
      await Promise.all(written);
      gauges.pending(waiting());
      const settle = (state: Entry["state"]) => {
        for (const entry of entries) if (entry.state === "held") entry.state = state;
        gauges.pending(waiting());
        void drain();
      };
      return { release: () => settle("released"), withdraw: () => settle("withdrawn") };
    },
    pending: waiting,
    async start() {
      try {
        await connected();
      } catch (error) {
        log.error(
          { error: errorMessage(error), pending: waiting(), retryInMs: delay },
          "audit: the store cannot be reached; decisions wait in the spool until it can",
        );
        scheduleRetry();
      }
    },
    async reachable() {
      try {
        await (await connected()).ping();
        return true;
      } catch {
        return false;
      }
    },
    drain,
    async read(filter) {
      await drain();
      const found: AuditRecord[] = [];
      for await (const record of (await connected()).records(filter)) found.push(record);
      return found;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await draining;
      await spool.close();
      const open = store;
      store = undefined;
      if (open) await (await open.catch(() => undefined))?.close();
    },
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
