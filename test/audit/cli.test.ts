// `readiness-gate audit export|verify` against both stores, run in-process through the CLI's
// `main`, with DATABASE_URL as the app reads it. Tampering is done in SQL behind the store's back,
// as someone with database access would: verify must name the first bad record and exit 1.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { all, BACKENDS, type Backend, decision, freshStore, runs, type TestStore } from "./stores.js";

async function cli(args: string[], databaseUrl: string | undefined, cwd = process.cwd()) {
  let stdout = "";
  let stderr = "";
  const saved = process.env.DATABASE_URL;
  if (databaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = databaseUrl;
  try {
    const code = await main(["audit", ...args], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      cwd,
    });
    return { code, stdout, stderr };
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

describe.each(BACKENDS)("readiness-gate audit on %s", (backend: Backend) => {
  let where: TestStore;

  beforeEach(async () => {
    if (!runs(backend)) return;
    where = await freshStore(backend);
    const store = await where.open();
    await store.append(decision({ repository: "acme/models", pull: 1, time: "2026-01-10T09:00:00Z" }));
    await store.append(decision({ repository: "acme/other", pull: 2, time: "2026-01-20T09:00:00Z" }));
    await store.append(
      decision({
        repository: "acme/models",
        pull: 3,
        time: "2026-01-31T23:30:00Z",
        verdict: 'blocked, "really"',
      }),
    );
    await store.append(decision({ repository: "acme/models", pull: 4, time: "2026-02-01T00:00:00Z" }));
    await store.append(decision({ repository: "acme/models", pull: 5, time: "2026-02-02T00:00:00Z" }));
    await store.close();
  });

  afterEach(async () => {
    if (runs(backend)) await where.dispose();
  });

  it.runIf(runs(backend))("verify: an intact trail exits 0 with the count and the head hash", async () => {
    const store = await where.open();
    const head = (await all(store)).at(-1)?.hash;
    await store.close();
    const result = await cli(["verify"], where.databaseUrl);
    expect(result).toMatchObject({ code: 0, stdout: `audit trail intact: 5 records, head hash ${head}\n` });
  });

  it.runIf(runs(backend))("verify: a value changed in SQL is named as altered, exit 1", async () => {
    await where.tamper(`update audit_records set verdict = 'ready' where sequence = 3`);
    const result = await cli(["verify"], where.databaseUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^audit trail BROKEN at record 3 \(altered\): record 3 was altered/);
  });

  it.runIf(runs(backend))("verify: a deleted row is named as missing, exit 1", async () => {
    await where.tamper(`delete from audit_records where sequence = 2`);
    const result = await cli(["verify"], where.databaseUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /BROKEN at record 2 \(missing\): record 2 is missing: the chain goes from 1 to 3/,
    );
    expect(result.stdout).toMatch(/4 records, head hash/);
  });

  it.runIf(runs(backend))("verify: two swapped rows are named as reordered, exit 1", async () => {
    await where.tamper(`update audit_records set sequence = 100 where sequence = 2`);
    await where.tamper(`update audit_records set sequence = 2 where sequence = 4`);
    await where.tamper(`update audit_records set sequence = 4 where sequence = 100`);
    const result = await cli(["verify"], where.databaseUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/BROKEN at record 2 \(reordered\): record 2 holds what was record 4/);
  });

  it.runIf(runs(backend))("verify: a stored hash overwritten in SQL is named as altered", async () => {
    // Rewriting a record and its hash is caught by the record after it; rewriting the LAST record
    // this way is caught only against a head hash kept outside the store (docs/audit.md).
    await where.tamper(`update audit_records set hash = '${"9".repeat(64)}' where sequence = 2`);
    const result = await cli(["verify"], where.databaseUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/BROKEN at record 2 \(altered\)/);
  });

  it.runIf(runs(backend))("export: jsonl, every record, re-verifiable", async () => {
    const result = await cli(["export"], where.databaseUrl);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    const records = lines.map((line) => JSON.parse(line));
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(records[2]).toMatchObject({ repository: "acme/models", pull: 3, verdict: 'blocked, "really"' });
    expect(result.stderr).toBe("exported 5 records\n");
  });

  it.runIf(runs(backend))(
    "export: --repo, --since and --until select; a bare --until date includes its day",
    async () => {
      const pulls = async (args: string[]) => {
        const result = await cli(["export", ...args], where.databaseUrl);
        expect(result.code, result.stderr).toBe(0);
        return result.stdout
          .trimEnd()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line).pull);
      };
      expect(await pulls(["--repo", "acme/models"])).toEqual([1, 3, 4, 5]);
      expect(await pulls(["--since", "2026-01-20"])).toEqual([2, 3, 4, 5]);
      expect(await pulls(["--until", "2026-01-31"])).toEqual([1, 2, 3]);
      expect(await pulls(["--until", "2026-01-31T23:00:00Z"])).toEqual([1, 2]);
      expect(
        await pulls(["--repo", "acme/models", "--since", "2026-01-15", "--until", "2026-02-01"]),
      ).toEqual([3, 4]);
      expect(await pulls(["--repo", "acme/none"])).toEqual([]);
    },
  );

  it.runIf(runs(backend))("export: csv has a header row, one row a record, RFC 4180 quoting", async () => {
    const result = await cli(
      ["export", "--format", "csv", "--repo", "acme/models", "--until", "2026-01-31"],
      where.databaseUrl,
    );
    expect(result.code).toBe(0);
    const rows = result.stdout.split("\r\n");
    expect(rows[0]).toBe(
      "sequence,time,installation,repository,kind,pull,headSha,baseSha,event,deliveryId,verdict,conclusion,policy,gates,approvals,override,appVersion,sameAs,previousHash,hash",
    );
    expect(rows).toHaveLength(4); // header, records 1 and 3, and the empty string after the last CRLF
    expect(rows[2]).toMatch(
      /^3,2026-01-31T23:30:00Z,4242,acme\/models,pull,3,a{40},b{40},pull_request\.synchronize,d-1,"blocked, ""really""",failure,"\{""digest"":/,
    );
    expect(rows[3]).toBe("");
  });
});

describe("readiness-gate audit: usage and store errors exit 2", () => {
  it("refuses an unknown action, format, date or extra flag", async () => {
    expect(await cli([], "sqlite::memory:")).toMatchObject({ code: 2 });
    expect((await cli(["purge"], "sqlite::memory:")).stderr).toMatch(
      /unknown action "purge"; use export or verify/,
    );
    expect((await cli(["export", "--format", "xml"], "sqlite::memory:")).stderr).toMatch(
      /--format must be one of jsonl, csv, not "xml"/,
    );
    expect((await cli(["export", "--since", "2026-02-30"], "sqlite::memory:")).stderr).toMatch(
      /--since "2026-02-30" is not a real date/,
    );
    expect(
      (await cli(["export", "--since", "2026-02-02", "--until", "2026-02-01"], "sqlite::memory:")).stderr,
    ).toMatch(/--since 2026-02-02 is after --until 2026-02-01/);
    expect((await cli(["export", "--repo", "nope"], "sqlite::memory:")).stderr).toMatch(
      /--repo must be OWNER\/NAME/,
    );
    expect((await cli(["verify", "--repo", "a/b"], "sqlite::memory:")).stderr).toMatch(
      /verify always checks the whole chain/,
    );
    expect(await cli(["verify", "--bogus"], "sqlite::memory:")).toMatchObject({ code: 2 });
  });

  it("names DATABASE_URL when it is neither form, or names no store", async () => {
    const wrong = await cli(["verify"], "mysql://root:hunter2@db/x");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /DATABASE_URL "mysql:\/\/root:\*\*\*@db\/x" is not a store this app knows: use sqlite:PATH/,
    );
    expect(wrong.stderr).not.toMatch(/hunter2/);
    const missing = await cli(["verify"], "sqlite:/nonexistent-dir/readiness.sqlite");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /DATABASE_URL=sqlite:\/nonexistent-dir\/readiness.sqlite .*no audit store there/,
    );
    const unset = await cli(["export"], undefined, "/nonexistent-dir");
    expect(unset.stderr).toMatch(
      /DATABASE_URL \(unset: the embedded SQLite store at \/nonexistent-dir\/data\/readiness.sqlite\): no audit store there/,
    );
  });

  it("reports an unreachable PostgreSQL as a store error, exit 2", async () => {
    const result = await cli(["verify"], "postgres://postgres:secret@127.0.0.1:1/test");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /DATABASE_URL=postgres:\/\/postgres:\*\*\*@127.0.0.1:1\/test: cannot reach the PostgreSQL audit store/,
    );
    expect(result.stderr).not.toMatch(/secret/);
  });
});
