// The app's recorder, from the environment: the audit store DATABASE_URL names (unset: the
// embedded SQLite file) and the spool at AUDIT_SPOOL_PATH (default ./data/audit-spool.jsonl).
// A store that cannot be opened at start is no reason not to start: the error is logged (it names
// DATABASE_URL), decisions wait in the spool, /readyz says not ready, and the store is tried again
// with backoff. A DATABASE_URL of neither form is refused before anything starts (startup).
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { NewerStoreError, openAuditStore, storeLocation } from "../audit/open-store.js";
import { createRecorder, type Recorder } from "../audit/recorder.js";
import { DEFAULT_SPOOL_PATH } from "../audit/spool.js";
import type { AuditStore } from "../audit/types.js";
import type { Metrics } from "./metrics.js";

export interface RecordingOptions {
  /** DATABASE_URL; unset: ./data/readiness.sqlite. */
  databaseUrl?: string;
  /** AUDIT_SPOOL_PATH. */
  spoolPath?: string;
  /** Backoff while the store is down (ms); the default doubles from 1 s to a minute. */
  retry?: { min: number; max: number };
}

/** Throws (naming DATABASE_URL and the accepted forms) when the value is neither form. */
export function checkDatabaseUrl(databaseUrl: string | undefined): void {
  storeLocation(databaseUrl);
}

/** The store as opened at start: its opening, for the recorder to keep (or to log why it failed). */
export interface StoreAtStart {
  opening: Promise<AuditStore>;
}

/**
 * Opens the store once at start, for the recorder to keep. Throws when the store was migrated by a
 * newer app: writing to it could break a chain this version does not understand, so the app does
 * not start. Any other failure to open is left to the recorder (logged, spooled, retried): its
 * first connection attempt is this one.
 */
export async function openStoreAtStart(databaseUrl: string | undefined): Promise<StoreAtStart> {
  const opening = openAuditStore(databaseUrl);
  const failed = await opening.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (failed instanceof NewerStoreError) throw failed;
  return { opening };
}

export function recordingFromEnv(env: NodeJS.ProcessEnv): RecordingOptions {
  const { DATABASE_URL: databaseUrl, AUDIT_SPOOL_PATH: spoolPath } = env;
  return { ...(databaseUrl ? { databaseUrl } : {}), ...(spoolPath ? { spoolPath } : {}) };
}

/**
 * The recorder of the store `options` name. `opened` is the store already opened at start
 * (`openStoreAtStart`): the recorder's first connection, so the store is opened once; later ones
 * (after a failure) open it afresh.
 */
export function createAppRecorder(
  options: RecordingOptions,
  log: Logger,
  metrics: Metrics,
  opened?: StoreAtStart,
): Recorder {
  checkDatabaseUrl(options.databaseUrl);
  let first = opened?.opening;
  const recorder = createRecorder({
    connect: () => {
      const opening = first ?? openAuditStore(options.databaseUrl);
      first = undefined;
      return opening;
    },
    spoolPath: options.spoolPath ?? DEFAULT_SPOOL_PATH,
    log: {
      info: (details, message) => log.info(details, message),
      warn: (details, message) => log.warn(details, message),
      error: (details, message) => log.error(details, message),
    },
    gauges: {
      pending: (count) => metrics.auditPending.set(count),
      appended: () => metrics.auditAppended.inc(),
    },
    ...(options.retry ? { retry: options.retry } : {}),
  });
  // Opened now, so a store that cannot be reached is said at start, not at the first event.
  void recorder.start();
  return recorder;
}

/** The app's version, as package.json says (src/app and dist/app both sit two levels below it). */
export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "unknown";
}
