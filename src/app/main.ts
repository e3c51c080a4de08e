// `npm start`: Probot's `run` serves the webhooks (and, with no APP_ID, its setup flow that
// registers the app from app.yml), plus /healthz, /readyz and /metrics.
import { existsSync } from "node:fs";
import { type ApplicationFunction, run } from "probot";
import { httpRoutes } from "./http-routes.js";
import { createReadinessGate } from "./index.js";
import { createMetrics } from "./metrics.js";
import { ReadinessOctokit } from "./octokit.js";
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
    await createReadinessGate({ metrics, ...(publicUrl ? { publicUrl } : {}) })(probot, options);
    options.addHandler(httpRoutes({ metrics: metrics.registry, ready: async () => loaded }));
    loaded = true;
  };
  const server = await run(app, { Octokit: ReadinessOctokit });
  // Probot stops on SIGINT only; containers are stopped with SIGTERM.
  process.once("SIGTERM", () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  console.error(`readiness-gate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
