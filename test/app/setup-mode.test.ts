// The first run, before the app is registered: with no APP_ID, `npm start` serves Probot's setup
// page, whose form posts app.yml to GitHub as the app's manifest. Probot writes that JSON into an
// HTML attribute quoted with `'`, unescaped: the manifest must reach GitHub whole and equal to
// app.yml. The operational routes answer there too.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { NOT_REGISTERED } from "../../src/app/startup.js";
import { type RunningApp, startWith } from "./start.js";

const appYml = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));
const UNREGISTERED = { APP_ID: "", PRIVATE_KEY: "", PRIVATE_KEY_PATH: "", WEBHOOK_PROXY_URL: "" };

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.app.stop();
  running = undefined;
  vi.unstubAllEnvs();
});

/** The manifest field of the setup page's form, read as a browser reads the attribute. */
function postedManifest(html: string): string {
  const button = /<button\b[^>]*\bname="manifest"[^>]*>/.exec(html)?.[0];
  if (!button) throw new Error("the setup page has no manifest button");
  // A `'`-quoted attribute value ends at the next `'`; a browser would also read `&…;` references.
  const value = /\bvalue='([^']*)'/.exec(button)?.[1];
  if (value === undefined) throw new Error(`no single-quoted value in ${button.slice(0, 200)}`);
  return value;
}

describe("setup mode (no APP_ID)", () => {
  it("offers to register the app with a manifest equal to app.yml", async () => {
    running = await startWith(UNREGISTERED);
    expect(running.app.registered).toBe(false);
    const page = await fetch(running.url("/probot"));
    expect(page.status).toBe(200);
    const manifest = postedManifest(await page.text());

    expect(manifest).not.toContain("&"); // no character reference for the browser to rewrite
    const base = running.url("");
    expect(JSON.parse(manifest)).toEqual({
      ...appYml,
      // What Probot adds: where GitHub sends webhooks and returns after registering.
      hook_attributes: { url: `${base}/` },
      redirect_url: `${base}/probot/setup`,
      version: "v1",
    });
  });

  it("answers /healthz, says on /readyz that the app is not registered, and serves /metrics", async () => {
    running = await startWith(UNREGISTERED);

    const health = await fetch(running.url("/healthz"));
    expect([health.status, await health.text()]).toEqual([200, "ok"]);
    const ready = await fetch(running.url("/readyz"));
    expect([ready.status, await ready.text()]).toEqual([503, `not ready: ${NOT_REGISTERED}`]);
    const metrics = await fetch(running.url("/metrics"));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("# TYPE readiness_evaluations_total");
    // Probot's own pages are still there.
    expect((await fetch(running.url("/"), { redirect: "manual" })).headers.get("location")).toBe("/probot");
  });
});
