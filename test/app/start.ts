// Starting the app in this process as `npm start` does (startApp, Probot's `run`), on a free
// port of 127.0.0.1, with its log kept for the test.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { vi } from "vitest";
import { type StartedApp, startApp } from "../../src/app/startup.js";

export interface RunningApp {
  app: StartedApp;
  url: (path: string) => string;
  /** The log lines so far (LOG_FORMAT=json: one JSON object a line). */
  log: () => Array<Record<string, unknown>>;
  /** The log as written. */
  logText: () => string;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the app with `env` over the current environment (restored by vi.unstubAllEnvs). */
export async function startWith(env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "readiness-app-"));
  const settings: Record<string, string> = {
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    NODE_ENV: "test",
    // Probot's setup flow would otherwise open a smee.io channel over the network.
    NO_SMEE_SETUP: "true",
    // Each start its own audit store and spool, never the checkout's ./data.
    DATABASE_URL: `sqlite:${join(dataDir, "readiness.sqlite")}`,
    AUDIT_SPOOL_PATH: join(dataDir, "audit-spool.jsonl"),
    ...env,
  };
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  let text = "";
  const logTo = new PassThrough();
  logTo.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const app = await startApp({ logTo });
  return {
    app,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    logText: () => text,
    log: () =>
      text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
