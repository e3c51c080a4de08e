// `npm start`: Probot's `run` serves the webhooks (and, with no APP_ID, its setup flow that
// registers the app from app.yml), plus /healthz, /readyz and /metrics.
import { existsSync } from "node:fs";
import { pino } from "pino";
import { type ApplicationFunction, run } from "probot";
import { readinessOctokit } from "./github/octokit.js";
import { localPauses, redisPauses } from "./github/rate-limit-pauses.js";
import { httpRoutes } from "./http-routes.js";
import { createReadinessGate } from "./index.js";
import { createMetrics } from "./metrics.js";
import { startupProblem } from "./startup.js";

async function main(): Promise<void> {
  // Probot reads .env inside `run`; read it first so the secret check sees the same environment.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const problem = startupProblem(process.env);
  if (problem) {
    console.error(`readiness-gate: refusing to start: ${problem}`);
    process.exit(1);
  }
  const metrics = createMetrics({ defaultMetrics: true });
  let loaded = false;
  const app: ApplicationFunction = async (probot, options) => {
    const publicUrl = process.env.PUBLIC_URL;
    await createReadinessGate({
      metrics,
      ...(publicUrl ? { publicUrl } : {}),
      ...(redisUrl ? { redisUrl } : {}),
    })(probot, options);
    options.addHandler(httpRoutes({ metrics: metrics.registry, ready: async () => loaded }));
    loaded = true;
  };
  // REDIS_URL shares rate-limit pauses across replicas (github/rate-limit-pauses.ts). Probot would
  // use it for Octokit's Bottleneck cluster, which the app does not use, so Probot does not see it.
  const { REDIS_URL: redisUrl, ...probotEnv } = process.env;
  const pauses = redisUrl
    ? await redisPauses(redisUrl, pino({ name: "readiness-gate", level: process.env.LOG_LEVEL ?? "info" }))
    : localPauses();
  const server = await run(app, { Octokit: readinessOctokit({ pauses }), env: probotEnv });
  // Probot stops on SIGINT only; containers are stopped with SIGTERM.
  process.once("SIGTERM", () => {
    Promise.all([server.stop(), pauses.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  console.error(`readiness-gate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
