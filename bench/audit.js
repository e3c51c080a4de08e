// Audit store benchmark (issue 11: "appends per second for each store with the chain on, one
// decision per transaction as the app writes them, and with several writers at once; audit verify
// time for 100,000 records. Targets on these 2-core machines: SQLite ≥ 5,000 appends/s,
// PostgreSQL ≥ 1,000 appends/s, verify of 100,000 records ≤ 2 s").
//
// Appends go through the built store (dist/), one decision (~3 KB, bench/audit-decision.js) per
// transaction (an append is one INSERT in autocommit: docs/audit.md). Several writers are separate processes (bench/audit-writer.js), started together;
// their rate is all their records over the wall time from "go" to the last one done.
// PostgreSQL is the server at AUDIT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test), in a
// schema of its own, dropped after; it is skipped with one line when unreachable.
// Verify: a SQLite store filled with 100,000 chained records, then `readiness-gate audit verify`
// in this process (open, read every record, recompute every hash and link).
import { fork, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { chainedDecision, GENESIS_HASH, recordHash } from "../dist/audit/chain.js";
import { openAuditStore } from "../dist/audit/open-store.js";
import { recordToRow } from "../dist/audit/table.js";
import { main } from "../dist/cli/main.js";
import { benchDecision } from "./audit-decision.js";

const WRITER = fileURLToPath(new URL("./audit-writer.js", import.meta.url));
const PG_URL = process.env.AUDIT_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const SINGLE = { sqlite: 5000, postgres: 1000 };
const WRITERS = 4;
const VERIFY_RECORDS = Number(process.env.AUDIT_BENCH_VERIFY ?? 100_000);

async function singleWriter(url, options, count) {
  const store = await openAuditStore(url, options);
  for (let i = 1; i <= 50; i++) await store.append(benchDecision(i, "warmup"));
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 1; i <= count; i++) await store.append(benchDecision(i, "single"));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await store.close();
  cpuNotes.push(`${Math.round((used.user + used.system) / count)} µs of the app's CPU per append`);
  return (count / ms) * 1000;
}

const cpuNotes = [];

async function manyWriters(url, schema, each) {
  const children = await Promise.all(
    Array.from({ length: WRITERS }, (_, w) => {
      const child = fork(WRITER, [url, schema ?? "", String(each), `w${w}`]);
      return new Promise((ready, failed) => {
        child.once("message", () => ready(child));
        child.once("exit", (code) => failed(new Error(`a writer exited with ${code} before it was ready`)));
      });
    }),
  );
  const started = performance.now();
  await Promise.all(
    children.map(
      (child) =>
        new Promise((done) => {
          child.removeAllListeners("exit");
          child.once("message", done);
          child.send("go");
        }),
    ),
  );
  return ((WRITERS * each) / (performance.now() - started)) * 1000;
}

async function pgReachable() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error.message;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The server's own ceiling for one writer: a bare `BEGIN; INSERT; COMMIT` loop of a row the size
 * of a record, no chain and no app. With synchronous_commit=on each commit waits for its fsync.
 */
async function bareCommits(schema, count, synchronousCommit, transaction = true) {
  const client = new pg.Client({
    connectionString: PG_URL,
    options: `-c search_path=${schema} -c synchronous_commit=${synchronousCommit}`,
  });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
    await client.query("create table bare_commits (id bigint primary key, body text not null)");
    const body = JSON.stringify(benchDecision(0));
    const started = performance.now();
    for (let i = 1; i <= count; i++) {
      if (transaction) await client.query("begin");
      await client.query("insert into bare_commits values ($1, $2)", [i, body]);
      if (transaction) await client.query("commit");
    }
    return (count / (performance.now() - started)) * 1000;
  } finally {
    await client.query("drop table if exists bare_commits").catch(() => {});
    await client.end();
  }
}

async function dropSchema(schema) {
  const client = new pg.Client(PG_URL);
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

/** A SQLite store holding `count` chained records, written in one transaction (fast to set up). */
async function filledSqlite(path, count) {
  await (await openAuditStore(`sqlite:${path}`)).close();
  const db = new Database(path);
  const columns = Object.keys(
    recordToRow({ ...chainedDecision(benchDecision(0)), sequence: 0, previousHash: "", hash: "" }, 0, null),
  );
  const insert = db.prepare(
    `insert into audit_records (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")})`,
  );
  let previousHash = GENESIS_HASH;
  db.transaction(() => {
    for (let sequence = 1; sequence <= count; sequence++) {
      const unhashed = { ...chainedDecision(benchDecision(sequence, "verify")), sequence, previousHash };
      const row = recordToRow({ ...unhashed, hash: recordHash(unhashed) }, Date.parse(unhashed.time), null);
      insert.run(...columns.map((c) => row[c]));
      previousHash = row.hash;
    }
  })();
  db.close();
}

const rows = [];
const dir = mkdtempSync(join(tmpdir(), "readiness-audit-bench-"));
try {
  rows.push([
    "SQLite",
    "1 writer",
    await singleWriter(`sqlite:${join(dir, "single.sqlite")}`, {}, SINGLE.sqlite),
    5000,
  ]);
  const many = `sqlite:${join(dir, "many.sqlite")}`;
  await (await openAuditStore(many)).close();
  rows.push([
    "SQLite",
    `${WRITERS} processes`,
    await manyWriters(many, undefined, SINGLE.sqlite / WRITERS),
    undefined,
  ]);

  const unreachable = await pgReachable();
  if (unreachable) {
    console.log(`PostgreSQL unreachable at ${PG_URL} (${unreachable}): its appends are not measured`);
  } else {
    const schema = `audit_bench_${process.pid}`;
    try {
      rows.push(["PostgreSQL", "1 writer", await singleWriter(PG_URL, { schema }, SINGLE.postgres), 1000]);
      await dropSchema(schema);
      await (await openAuditStore(PG_URL, { schema })).close();
      rows.push([
        "PostgreSQL",
        `${WRITERS} processes`,
        await manyWriters(PG_URL, schema, SINGLE.postgres / WRITERS),
        undefined,
      ]);
      // The operator's choice docs/audit.md describes: commits not waiting for the WAL's fsync.
      await dropSchema(schema);
      await (await openAuditStore(PG_URL, { schema })).close();
      const relaxed = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema} -c synchronous_commit=off`)}`;
      rows.push([
        "PostgreSQL, synchronous_commit=off",
        "1 writer",
        await singleWriter(relaxed, {}, SINGLE.postgres),
        1000,
      ]);
      await dropSchema(schema);
      for (const setting of ["on", "off"]) {
        rows.push([
          `PostgreSQL bare BEGIN; INSERT; COMMIT, synchronous_commit=${setting} (no chain, no app: the server's ceiling)`,
          "1 writer",
          await bareCommits(schema, SINGLE.postgres, setting),
          undefined,
        ]);
      }
      // What an append is now: one INSERT in autocommit, one round trip.
      rows.push([
        "PostgreSQL bare INSERT in autocommit, synchronous_commit=on (no chain, no app: the server's ceiling)",
        "1 writer",
        await bareCommits(schema, SINGLE.postgres, "on", false),
        undefined,
      ]);
    } finally {
      await dropSchema(schema);
    }
  }

  console.log("audit store appends (one ~3 KB decision per transaction, hash chain on)");
  console.log("store | writers | appends/s | target");
  for (const [store, writers, rate, target] of rows) {
    const judged = target === undefined ? "" : `≥ ${target}${rate >= target ? "" : " (missed)"}`;
    console.log(`${store} | ${writers} | ${Math.round(rate)} | ${judged}`);
  }
  console.log(
    `the targets are for one writer, as an app process writes; ${WRITERS} processes at once are reported (docs/decisions.md)`,
  );
  console.log(`single writers, in the order above: ${cpuNotes.join("; ")}`);
  console.log(
    `load average while measuring: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")} on ${cpus().length} cores`,
  );

  const path = join(dir, "verify.sqlite");
  await filledSqlite(path, VERIFY_RECORDS);
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `sqlite:${path}`;
  let out = "";
  const cpu = process.cpuUsage();
  const started = performance.now();
  const code = await main(["audit", "verify"], {
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
    cwd: dir,
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
  console.log(
    `audit verify, ${VERIFY_RECORDS} records (SQLite): ${seconds.toFixed(2)} s (target ≤ 2 s${seconds <= 2 ? "" : ", missed"}), ${cpuSeconds.toFixed(2)} s of this process's CPU; exit ${code}: ${out.trim()}`,
  );
  // As an operator runs it: a process of its own, Node's start and the CLI's modules included.
  const cli = fileURLToPath(new URL("../bin/readiness-gate.js", import.meta.url));
  const processStarted = performance.now();
  const run = spawnSync(process.execPath, [cli, "audit", "verify"], {
    env: { ...process.env, DATABASE_URL: `sqlite:${path}` },
    encoding: "utf8",
  });
  console.log(
    `readiness-gate audit verify as its own process: ${((performance.now() - processStarted) / 1000).toFixed(2)} s; exit ${run.status}: ${run.stdout.trim()}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
