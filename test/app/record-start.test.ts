// The audit store at start (startApp, as `npm start`): a DATABASE_URL of neither form is refused;
// an unreachable store is said in the log, naming DATABASE_URL, and /readyz fails until it answers;
// the store is opened once, and /readyz asks it over the connection the app keeps.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openAuditStore } from "../../src/audit/open-store.js";
import { testService } from "../support/services.js";
import { type RunningApp, startWith } from "./start.js";

const postgres = await testService("postgres");

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const REGISTERED = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s3cret" };

let running: RunningApp | undefined;
let dir: string | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await running?.app.stop();
  running = undefined;
  proxy?.close();
  proxy = undefined;
  vi.unstubAllEnvs();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("the audit store at start", () => {
  it("refuses a DATABASE_URL of neither form, listing the accepted ones", async () => {
    await expect(startWith({ ...REGISTERED, DATABASE_URL: "mysql://db/readiness" })).rejects.toThrow(
      /DATABASE_URL "mysql:\/\/db\/readiness" is not a store this app knows: use sqlite:PATH .* postgres:\/\//,
    );
  });

  it("starts without a reachable store: the log names DATABASE_URL, /readyz fails, /metrics shows the backlog", async () => {
    running = await startWith({ ...REGISTERED, DATABASE_URL: "postgres://postgres@127.0.0.1:1/test" });
    const readyz = await fetch(running.url("/readyz"));
    expect(readyz.status).toBe(503);
    expect(await readyz.text()).toBe(
      "not ready: the audit store (DATABASE_URL) cannot be reached; 0 decisions wait in the spool",
    );
    await vi.waitFor(() => expect(running?.log().some((line) => Number(line.level) >= 50)).toBe(true));
    const errors = running.log().filter((line) => Number(line.level) >= 50);
    expect(errors).toContainEqual(
      expect.objectContaining({
        msg: "audit: the store cannot be reached; decisions wait in the spool until it can",
        error: expect.stringContaining("DATABASE_URL=postgres://postgres@127.0.0.1:1/test"),
      }),
    );
    const metrics = await (await fetch(running.url("/metrics"))).text();
    expect(metrics).toContain("readiness_audit_pending 0");
    expect(metrics).toContain("# TYPE readiness_audit_appended_total counter");
  });

  it("refuses to start on a store a newer app has migrated, saying so", async () => {
    dir = mkdtempSync(join(tmpdir(), "record-start-"));
    const file = join(dir, "audit.sqlite");
    await (await openAuditStore(`sqlite:${file}`)).close();
    const db = new Database(file);
    db.prepare("insert into audit_migration (name, timestamp) values (?, ?)").run(
      "0002_from_the_future",
      "2030-01-01T00:00:00.000Z",
    );
    db.close();
    await expect(startWith({ ...REGISTERED, DATABASE_URL: `sqlite:${file}` })).rejects.toThrow(
      /DATABASE_URL.*migrated by a newer Readiness Gate/,
    );
  });

  it("is ready once the store answers", async () => {
    dir = mkdtempSync(join(tmpdir(), "record-start-"));
    running = await startWith({ ...REGISTERED, DATABASE_URL: `sqlite:${join(dir, "audit.sqlite")}` });
    const readyz = await fetch(running.url("/readyz"));
    expect([readyz.status, await readyz.text()]).toEqual([200, "ready"]);
  });

  it.runIf(postgres.available)(
    "opens the PostgreSQL store once at start, and /readyz asks it without a connection of its own",
    async () => {
      // The app reaches PostgreSQL through a proxy that counts the connections opened.
      let opened = 0;
      const target = new URL(postgres.url);
      proxy = createServer((client) => {
        opened++;
        const server = connect(Number(target.port || 5432), target.hostname);
        client.pipe(server).pipe(client);
        client.on("error", () => server.destroy());
        server.on("error", () => client.destroy());
      });
      const listening = proxy;
      await new Promise<void>((done) => listening.listen(0, "127.0.0.1", done));
      const address = proxy.address();
      const through = new URL(postgres.url);
      through.port = String(typeof address === "object" && address ? address.port : 0);

      running = await startWith({ ...REGISTERED, DATABASE_URL: through.toString() });
      const app = running;
      await vi.waitFor(async () => expect((await fetch(app.url("/readyz"))).status).toBe(200));
      expect(opened).toBe(1);
      for (let probe = 0; probe < 5; probe++) {
        const readyz = await fetch(running.url("/readyz"));
        expect([readyz.status, await readyz.text()]).toEqual([200, "ready"]);
      }
      expect(opened).toBe(1);
      // A quiet app keeps its connection: a probe after 11 idle seconds opens no new one.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect((await fetch(running.url("/readyz"))).status).toBe(200);
      expect(opened).toBe(1);
    },
    30_000,
  );
});
