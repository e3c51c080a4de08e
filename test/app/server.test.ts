// The HTTP side: operational routes next to Probot's webhook route, the production guard, and how
// a forged webhook is logged.
import { createHmac, generateKeyPairSync } from "node:crypto";
import pino from "pino";
import { Probot, Server } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { httpRoutes } from "../../src/app/http-routes.js";
import { createReadinessGate } from "../../src/app/index.js";
import { createMetrics } from "../../src/app/metrics.js";
import { BAD_SIGNATURE_WARNING } from "../../src/app/probot-log.js";
import { startupProblem } from "../../src/app/startup.js";
import { type RunningApp, startWith } from "./start.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let server: Server | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("server", () => {
  it("serves /healthz, /readyz and /metrics beside the webhook route", async () => {
    const metrics = createMetrics();
    let ready = false;
    server = new Server({
      host: "127.0.0.1",
      port: 0,
      log: pino({ level: "silent" }),
      Probot: Probot.defaults({ appId: 1, privateKey, secret: "s3cret" }),
    });
    await server.load(async (app, options) => {
      await createReadinessGate({ metrics })(app, options);
      options.addHandler(
        httpRoutes({ metrics: metrics.registry, notReady: async () => (ready ? undefined : "loading") }),
      );
    });
    await server.start();
    const url = (path: string) => `http://127.0.0.1:${server?.port}${path}`;

    expect(await (await fetch(url("/healthz"))).text()).toBe("ok");
    expect((await fetch(url("/readyz"))).status).toBe(503);
    ready = true;
    expect((await fetch(url("/readyz"))).status).toBe(200);
    const exposition = await (await fetch(url("/metrics"))).text();
    for (const name of [
      "readiness_evaluations_total",
      "readiness_evaluation_seconds",
      "readiness_webhook_seconds",
      "readiness_github_requests_total",
    ]) {
      expect(exposition).toContain(`# TYPE ${name}`);
    }
    // An unsigned delivery is refused by Probot's webhook route.
    const forged = await fetch(url("/api/github/webhooks"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "1" },
      body: "{}",
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(url("/nope"))).status).toBe(404);
  });
});

describe("startupProblem", () => {
  it("refuses production without a real webhook secret", () => {
    expect(startupProblem({ NODE_ENV: "production" })).toMatch(/WEBHOOK_SECRET is not set/);
    expect(startupProblem({ NODE_ENV: "production", WEBHOOK_SECRET: "development" })).toMatch(
      /development default/,
    );
    expect(startupProblem({ NODE_ENV: "production", WEBHOOK_SECRET: "s3cret" })).toBeUndefined();
    expect(startupProblem({ NODE_ENV: "development" })).toBeUndefined();
  });
});

describe("a webhook with a bad signature", () => {
  afterEach(async () => {
    await running?.app.stop();
    running = undefined;
    vi.unstubAllEnvs();
  });
  let running: RunningApp | undefined;

  it("is refused with one warning line: no error, no stack, none of the payload", async () => {
    running = await startWith({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s3cret" });
    const payload = JSON.stringify({ zen: "payload-text-not-to-log" });
    const response = await fetch(running.url("/api/github/webhooks"), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "delivery-1",
        "x-hub-signature-256": `sha256=${createHmac("sha256", "not-the-secret").update(payload).digest("hex")}`,
      },
      body: payload,
    });
    expect(response.status).toBe(400);

    const log = running.log();
    const loud = log.filter((line) => Number(line.level) >= 40);
    expect(loud).toEqual([
      expect.objectContaining({
        level: 40,
        msg: BAD_SIGNATURE_WARNING,
        event: "ping",
        delivery: "delivery-1",
      }),
    ]);
    expect(running.logText()).not.toMatch(/stack|payload-text-not-to-log/);
  });

  it("still lets a correctly signed one through", async () => {
    running = await startWith({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s3cret" });
    const payload = JSON.stringify({ zen: "hello", hook_id: 1 });
    const response = await fetch(running.url("/api/github/webhooks"), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "delivery-2",
        "x-hub-signature-256": `sha256=${createHmac("sha256", "s3cret").update(payload).digest("hex")}`,
      },
      body: payload,
    });
    expect(response.status).toBe(200);
    expect(running.log().filter((line) => Number(line.level) >= 40)).toEqual([]);
  });
});
