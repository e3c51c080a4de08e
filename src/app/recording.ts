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

/**
 * Throws when the store was migrated by a newer app: writing to it could break a chain this
 * version does not understand, so the app does not start. Any other failure to open is left to
 * the recorder (logged, spooled, retried).
 */
export async function refuseNewerStore(databaseUrl: string | undefined): Promise<void> {
  const opened = await openAuditStore(databaseUrl).then(
    (store) => store.close(),
    (error: unknown) => error,
  );
  if (opened instanceof NewerStoreError) throw opened;
}

export function recordingFromEnv(env: NodeJS.ProcessEnv): RecordingOptions {
  const { DATABASE_URL: databaseUrl, AUDIT_SPOOL_PATH: spoolPath } = env;
  return { ...(databaseUrl ? { databaseUrl } : {}), ...(spoolPath ? { spoolPath } : {}) };
}

export function createAppRecorder(options: RecordingOptions, log: Logger, metrics: Metrics): Recorder {
  checkDatabaseUrl(options.databaseUrl);
  const recorder = createRecorder({
    connect: () => openAuditStore(options.databaseUrl),
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
