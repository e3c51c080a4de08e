// Where DATABASE_URL points, and the errors an operator sees when it points nowhere useful.
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditStoreError, openAuditStore, storeLocation } from "../../src/audit/open-store.js";
import { decision } from "./stores.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "readiness-open-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("DATABASE_URL", () => {
  it("unset or empty: SQLite at ./data/readiness.sqlite, the directory created on first start", async () => {
    const cwd = tempDir();
    expect(storeLocation(undefined, cwd)).toEqual({
      dialect: "sqlite",
      path: join(cwd, "data/readiness.sqlite"),
    });
    expect(storeLocation("  ", cwd)).toEqual({ dialect: "sqlite", path: join(cwd, "data/readiness.sqlite") });
    const store = await openAuditStore(undefined, { cwd });
    await store.append(decision());
    await store.close();
    expect(existsSync(join(cwd, "data/readiness.sqlite"))).toBe(true);
  });

  it("sqlite:PATH, relative to the working directory or absolute (sqlite:///abs too)", () => {
    expect(storeLocation("sqlite:audit/trail.db", "/srv/app")).toEqual({
      dialect: "sqlite",
      path: "/srv/app/audit/trail.db",
    });
    expect(storeLocation("sqlite:/var/lib/rg.sqlite", "/srv/app")).toEqual({
      dialect: "sqlite",
      path: "/var/lib/rg.sqlite",
    });
    expect(storeLocation("sqlite:///var/lib/rg.sqlite", "/srv/app")).toEqual({
      dialect: "sqlite",
      path: "/var/lib/rg.sqlite",
    });
  });

  it("postgres:// and postgresql:// are PostgreSQL", () => {
    expect(storeLocation("postgres://u@h:5432/db")).toEqual({
      dialect: "postgres",
      url: "postgres://u@h:5432/db",
    });
    expect(storeLocation("postgresql://u@h/db")).toMatchObject({ dialect: "postgres" });
  });

  it("anything else is refused, the accepted forms listed and any password masked", () => {
    for (const value of ["mysql://root:pw@db/x", "readiness.sqlite", "sqlite:", "file:///tmp/x.db"]) {
      expect(() => storeLocation(value)).toThrow(AuditStoreError);
      try {
        storeLocation(value);
      } catch (error) {
        const message = (error as Error).message;
        expect(message).toMatch(/^DATABASE_URL /);
        expect(message).toMatch(/sqlite:PATH .* postgres:\/\/USER@HOST:PORT\/DATABASE .* unset/);
        expect(message).not.toMatch(/:pw@/);
      }
    }
  });

  it("a SQLite file on a read-only path is a clear error naming DATABASE_URL", async () => {
    const dir = tempDir();
    // Root ignores file modes: there, a path in sysfs (which root cannot write either) stands in.
    const readOnly = process.getuid?.() === 0 ? "/sys/readiness-gate-test" : join(dir, "locked");
    if (readOnly.startsWith(dir)) {
      chmodSync(dir, 0o500);
    }
    await expect(openAuditStore(`sqlite:${readOnly}/readiness.sqlite`)).rejects.toThrow(
      /^DATABASE_URL=sqlite:.*readiness\.sqlite \(the SQLite file .*\): cannot create its directory: .*(EACCES|EPERM|ENOENT|permission|not permitted)/i,
    );
  });

  // Root writes anywhere whatever the modes: there, the sysfs case above stands in.
  it.skipIf(process.getuid?.() === 0)(
    "an existing SQLite file in a read-only directory is refused before any write",
    async () => {
      const dir = tempDir();
      const path = join(dir, "readiness.sqlite");
      await (await openAuditStore(`sqlite:${path}`)).close();
      chmodSync(dir, 0o500);
      await expect(openAuditStore(`sqlite:${path}`)).rejects.toThrow(/the directory .* is read-only/);
    },
  );

  it("an unreachable PostgreSQL is an error naming DATABASE_URL, password masked", async () => {
    const attempt = openAuditStore("postgres://postgres:s3cret@127.0.0.1:1/test");
    await expect(attempt).rejects.toThrow(
      /^DATABASE_URL=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: cannot reach the PostgreSQL audit store: .*ECONNREFUSED/,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });
});
