// Starting the app (`npm start`, main.ts): the production guard, then Probot's `run`, which serves
// the webhooks or, while the app has no APP_ID and private key, Probot's setup flow that registers
// it on GitHub from app.yml. /healthz, /readyz and /metrics answer in both.
import type { Server as HttpServer } from "node:http";
import { type ApplicationFunction, run, Server } from "probot";
import { readinessOctokit } from "./github/octokit.js";
import { localPauses, redisPauses } from "./github/rate-limit-pauses.js";
import { httpRoutes } from "./http-routes.js";
import { createReadinessGate } from "./index.js";
import { createMetrics } from "./metrics.js";
import { probotLog } from "./probot-log.js";
import { checkDatabaseUrl, createAppRecorder, openStoreAtStart, recordingFromEnv } from "./recording.js";

// Refuses to start a production server that would accept forged webhooks: Probot falls back to
// the secret "development" when WEBHOOK_SECRET is unset.
export const DEVELOPMENT_SECRET = "development";

/** What /readyz says while Probot's setup flow runs. */
export const NOT_REGISTERED =
  "the app is not registered yet (no APP_ID and private key): open this server's home page to register it on GitHub, then restart";

/** Why the app must not start, or undefined. */
export function startupProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV !== "production") return undefined;
  const secret = env.WEBHOOK_SECRET;
  if (!secret)
    return "WEBHOOK_SECRET is not set. In production it is mandatory: set it to the webhook secret of the GitHub App.";
  if (secret === DEVELOPMENT_SECRET) {
    return `WEBHOOK_SECRET is Probot's development default "${DEVELOPMENT_SECRET}". Set it to the webhook secret of the GitHub App.`;
  }
  return undefined;
}

export interface StartedApp {
  server: Server;
  /** False in Probot's setup mode: the app is not registered yet. */
  registered: boolean;
  stop(): Promise<void>;
}

/**
 * Starts the app from process.env (Probot reads it too). `logTo` replaces standard output (tests).
 * Throws, saying why, when it must not start.
 */
export async function startApp(options: { logTo?: NodeJS.WritableStream } = {}): Promise<StartedApp> {
  const problem = startupProblem(process.env);
  if (problem) throw new Error(`refusing to start: ${problem}`);
  checkDatabaseUrl(process.env.DATABASE_URL); // neither form: refused, with the accepted forms
  const log = await probotLog(process.env, options.logTo);
  const metrics = createMetrics({ defaultMetrics: true });
  // The audit store is opened once, now: migrated by a newer app, the start is refused; unreachable,
  // the app still starts, says so and spools. The recorder keeps it, and /readyz asks it.
  const store = await openStoreAtStart(process.env.DATABASE_URL);
  const recorder = createAppRecorder(recordingFromEnv(process.env), log, metrics, store);
  let loaded = false;
  // REDIS_URL shares rate-limit pauses across replicas (github/rate-limit-pauses.ts). Probot would
  // use it for Octokit's Bottleneck cluster, which the app does not use, so Probot does not see it.
  const { REDIS_URL: redisUrl, ...probotEnv } = process.env;
  const app: ApplicationFunction = async (probot, appOptions) => {
    const publicUrl = process.env.PUBLIC_URL;
    await createReadinessGate({
      metrics,
      recorder,
      ...(publicUrl ? { publicUrl } : {}),
      ...(redisUrl ? { redisUrl } : {}),
    })(probot, appOptions);
    loaded = true;
  };
  const routes = httpRoutes({
    metrics: metrics.registry,
    notReady: async () => {
      if (!loaded) return NOT_REGISTERED;
      if (await recorder.reachable()) return undefined;
      return `the audit store (DATABASE_URL) cannot be reached; ${recorder.pending()} decisions wait in the spool`;
    },
  });
  const pauses = redisUrl
    ? await redisPauses(redisUrl, log.child({ name: "readiness-gate" }))
    : localPauses();
  const server = await withRoutes(routes, () =>
    run(app, { Octokit: readinessOctokit({ pauses }), env: probotEnv, log }),
  );
  return {
    server,
    registered: loaded,
    stop: async () => {
      await Promise.all([server.stop(), pauses.close()]);
      await recorder.close();
    },
  };
}

type Handler = Parameters<Server["addHandler"]>[0];

/**
 * Runs `start` with `routes` added to the Probot server it starts. In setup mode `run` loads no
 * app, so nothing else can add routes there: the server is made inside `run`. Probot exports the
 * Server class `run` uses, so its `start` is wrapped for the duration of the call.
 */
async function withRoutes(routes: Handler, start: () => Promise<Server>): Promise<Server> {
  const original = Server.prototype.start;
  Server.prototype.start = function (this: Server): Promise<HttpServer> {
    this.addHandler(routes);
    return original.call(this);
  };
  try {
    return await start();
  } finally {
    Server.prototype.start = original;
  }
}
