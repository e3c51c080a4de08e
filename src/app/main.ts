// `npm start`: startup.ts starts the app (Probot's `run`: the webhooks, or with no APP_ID its setup
// flow that registers the app from app.yml), plus /healthz, /readyz and /metrics.
import { existsSync } from "node:fs";
import { startApp } from "./startup.js";

async function main(): Promise<void> {
  // Probot reads .env inside `run`; read it first so the secret check sees the same environment.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const app = await startApp();
  // Probot stops on SIGINT only; containers are stopped with SIGTERM.
  process.once("SIGTERM", () => {
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  console.error(`readiness-gate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
