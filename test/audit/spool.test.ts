// The spool keeps decisions while the audit store is down and hands them over, in order, when it
// is back: real stores (a SQLite file; PostgreSQL in a fresh schema), made unreachable by pointing
// the connection at a closed port, then at the real one.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-store.js";
import { createRecorder, type Recorder } from "../../src/audit/recorder.js";
import { parseSpool } from "../../src/audit/spool.js";
import type { AuditRecord, AuditStore, Decision } from "../../src/audit/types.js";
import { verifyChainOf } from "../../src/audit/verify.js";
import { testService } from "../support/services.js";

const CLOSED_PORT = "postgres://postgres@127.0.0.1:1/test";

function decision(n: number, overrides: Partial<Decision> = {}): Decision {
  return {
    time: new Date(Date.UTC(2026, 11, 5, 10, 0, n)).toISOString(),
    installation: 1,
    repository: "acme/ml",
    kind: "pull",
    pull: n,
    headSha: "h".repeat(40),
    baseSha: "b".repeat(40),
    event: "pull_request.synchronize",
    deliveryId: `delivery-${n}`,
    verdict: "ready",
    conclusion: "success",
    policy: { digest: "sha256:00", sources: [".github/readiness.yml"] },
    gates: [],
    approvals: [],
    override: null,
    appVersion: "0.1.0",
    sameAs: `decision-${n}`,
    ...overrides,
  };
}

interface Logged {
  level: string;
  details: Record<string, unknown>;
  message: string;
}

function memoryLog(lines: Logged[]) {
  const at = (level: string) => (details: Record<string, unknown>, message: string) => {
    lines.push({ level, details, message });
  };
  return { info: at("info"), warn: at("warn"), error: at("error") };
}

async function all(store: AuditStore): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const record of store.records()) records.push(record);
  return records;
}

const postgres = await testService("postgres");

const stores: Array<[string, boolean, () => { url: string; options: { schema?: string } }]> = [
  ["SQLite", true, () => ({ url: `sqlite:${join(dir, "audit.sqlite")}`, options: {} })],
  [
    "PostgreSQL",
    postgres.available,
    () => ({ url: postgres.url, options: { schema: `spool_${process.pid}_${++schemas}` } }),
  ],
];
let schemas = 0;
let dir = "";

afterAll(async () => {
  if (!postgres.available || schemas === 0) return;
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    for (let n = 1; n <= schemas; n++)
      await client.query(`drop schema if exists spool_${process.pid}_${n} cascade`);
  } finally {
    await client.end();
  }
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-spool-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(stores)("the spool with the %s store", (_, available, where) => {
  let recorder: Recorder | undefined;
  let reader: AuditStore | undefined;
  afterEach(async () => {
    await recorder?.close();
    await reader?.close();
    recorder = undefined;
    reader = undefined;
  });

  it.runIf(available)(
    "keeps decisions while the store is down and appends them in order, once, when it is back",
    async () => {
      const { url, options } = where();
      let target = CLOSED_PORT;
      const log: Logged[] = [];
      const counted = { appended: 0, pending: -1 };
      const spoolPath = join(dir, "spool.jsonl");
      recorder = createRecorder({
        connect: () => openAuditStore(target, options),
        spoolPath,
        log: memoryLog(log),
        gauges: { pending: (n) => (counted.pending = n), appended: () => counted.appended++ },
        retry: { min: 60_000, max: 60_000 },
      });
      for (const n of [1, 2, 3]) (await recorder.hold([decision(n)])).release();
      await recorder.drain();

      expect(await recorder.reachable()).toBe(false);
      expect(recorder.pending()).toBe(3);
      expect(counted.pending).toBe(3);
      expect(parseSpool(readFileSync(spoolPath, "utf8")).decisions.map((d) => d.pull)).toEqual([1, 2, 3]);
      expect(log.some((l) => l.level === "error" && /waits in the spool/.test(l.message))).toBe(true);

      target = url;
      await recorder.drain();

      expect(await recorder.reachable()).toBe(true);
      expect(recorder.pending()).toBe(0);
      expect(counted).toEqual({ appended: 3, pending: 0 });
      expect(readFileSync(spoolPath, "utf8")).toBe("");
      reader = await openAuditStore(url, options);
      const records = await all(reader);
      expect(records.map((r) => [r.sequence, r.pull, r.deliveryId])).toEqual([
        [1, 1, "delivery-1"],
        [2, 2, "delivery-2"],
        [3, 3, "delivery-3"],
      ]);
      expect((await verifyChainOf(reader.records())).ok).toBe(true);
    },
  );

  it.runIf(available)("retries on its own, with backoff, until the store answers", async () => {
    const { url, options } = where();
    let target = CLOSED_PORT;
    let attempts = 0;
    recorder = createRecorder({
      connect: () => {
        attempts++;
        return openAuditStore(target, options);
      },
      spoolPath: join(dir, "spool.jsonl"),
      log: memoryLog([]),
      retry: { min: 20, max: 40 },
    });
    (await recorder.hold([decision(1)])).release();
    await waitUntil(() => attempts >= 3);
    target = url;
    await waitUntil(() => recorder?.pending() === 0);
    reader = await openAuditStore(url, options);
    expect((await all(reader)).map((r) => r.pull)).toEqual([1]);
  });

  it.runIf(available)(
    "appends at start what a previous process left, without duplicating what it had already appended",
    async () => {
      const { url, options } = where();
      const spoolPath = join(dir, "spool.jsonl");
      // The previous process appended decision 1 and died before emptying its spool.
      reader = await openAuditStore(url, options);
      await reader.append(decision(1));
      writeFileSync(spoolPath, `${JSON.stringify(decision(1))}\n${JSON.stringify(decision(2))}\n`);

      recorder = createRecorder({
        connect: () => openAuditStore(url, options),
        spoolPath,
        log: memoryLog([]),
      });
      expect(recorder.pending()).toBe(2);
      await recorder.drain();

      expect((await all(reader)).map((r) => [r.sequence, r.pull])).toEqual([
        [1, 1],
        [2, 2],
      ]);
      expect(readFileSync(spoolPath, "utf8")).toBe("");
    },
  );
});

describe("the spool file", () => {
  it("skips a torn last line with a warning, and the next decision starts a line of its own", async () => {
    const spoolPath = join(dir, "spool.jsonl");
    writeFileSync(spoolPath, `${JSON.stringify(decision(1))}\n`);
    appendFileSync(spoolPath, JSON.stringify(decision(2)).slice(0, 40));
    const log: Logged[] = [];
    const recorder = createRecorder({
      connect: () => openAuditStore(CLOSED_PORT),
      spoolPath,
      log: memoryLog(log),
      retry: { min: 60_000, max: 60_000 },
    });
    try {
      expect(recorder.pending()).toBe(1);
      expect(log).toContainEqual(
        expect.objectContaining({
          level: "warn",
          details: expect.objectContaining({ line: 2, problem: expect.stringMatching(/incomplete/) }),
        }),
      );
      (await recorder.hold([decision(3)])).release();
      expect(parseSpool(readFileSync(spoolPath, "utf8")).decisions.map((d) => d.pull)).toEqual([1, 3]);
    } finally {
      await recorder.close();
    }
  });

  it("has every decision of a burst on disk, in order, when its hold returns", async () => {
    const spoolPath = join(dir, "spool.jsonl");
    const recorder = createRecorder({
      connect: () => openAuditStore(CLOSED_PORT),
      spoolPath,
      log: memoryLog([]),
      retry: { min: 60_000, max: 60_000 },
    });
    try {
      // 50 evaluations holding at once, two decisions each (a pull and an override record).
      const onDisk = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          await recorder.hold([decision(2 * i + 1), decision(2 * i + 2)]);
          // What the file holds the moment this hold returned: its own two decisions at least.
          return parseSpool(readFileSync(spoolPath, "utf8")).decisions.map((d) => d.pull);
        }),
      );
      onDisk.forEach((pulls, i) => {
        expect(pulls).toContain(2 * i + 1);
        expect(pulls).toContain(2 * i + 2);
      });
      const all = parseSpool(readFileSync(spoolPath, "utf8")).decisions.map((d) => d.pull);
      expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    } finally {
      await recorder.close();
    }
  });

  it("reports an unreadable line and keeps the others", () => {
    const parsed = parseSpool(
      `${JSON.stringify(decision(1))}\n{"not":"a decision"}\n${JSON.stringify(decision(2))}\n`,
    );
    expect(parsed.decisions.map((d) => d.pull)).toEqual([1, 2]);
    expect(parsed.problems).toEqual([{ line: 2, problem: "unreadable: not a decision" }]);
  });
});

describe("held decisions", () => {
  it("wait for their publish: a later decision is not appended before an earlier one still held, and a withdrawn one never is", async () => {
    const url = `sqlite:${join(dir, "audit.sqlite")}`;
    const recorder = createRecorder({
      connect: () => openAuditStore(url),
      spoolPath: join(dir, "s.jsonl"),
      log: memoryLog([]),
    });
    const reader = await openAuditStore(url);
    try {
      const first = await recorder.hold([decision(1)]);
      const second = await recorder.hold([decision(2)]);
      const third = await recorder.hold([decision(3)]);
      second.release();
      await recorder.drain();
      expect(await all(reader)).toEqual([]);
      expect(recorder.pending()).toBe(3);

      first.withdraw();
      third.release();
      await recorder.drain();
      expect((await all(reader)).map((r) => r.pull)).toEqual([2, 3]);
      expect(recorder.pending()).toBe(0);
    } finally {
      await recorder.close();
      await reader.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
