// The questions the release gate, deployments and bypass reports ask the store: a repository's
// decisions for some pull requests, of some kinds, on one head. Run against both stores.
import { afterEach, describe, expect, it } from "vitest";
import type { AuditStore, RecordFilter } from "../../src/audit/types.js";
import { all, BACKENDS, type Backend, decision, freshStore, runs, type TestStore } from "./stores.js";

describe.each(BACKENDS)("reading decisions back from the %s store", (backend: Backend) => {
  let where: TestStore | undefined;
  let store: AuditStore | undefined;

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await where?.dispose();
    where = undefined;
  });

  it.runIf(runs(backend))("selects by pull requests, kinds and head, within the repository", async () => {
    where = await freshStore(backend);
    store = await where.open();
    const s = store;
    await s.append(decision({ repository: "acme/models", pull: 7, kind: "pull", headSha: "a".repeat(40) })); // 1
    await s.append(decision({ repository: "acme/models", pull: 8, kind: "pull", headSha: "b".repeat(40) })); // 2
    await s.append(decision({ repository: "acme/other", pull: 7, kind: "pull", headSha: "a".repeat(40) })); // 3
    await s.append(
      decision({ repository: "acme/models", pull: 7, kind: "override", headSha: "a".repeat(40) }),
    ); // 4
    await s.append(
      decision({ repository: "acme/models", pull: null, kind: "release", headSha: "c".repeat(40) }),
    ); // 5
    const seqs = async (filter: RecordFilter) => (await all(s, filter)).map((r) => r.sequence);
    expect(await seqs({ repository: "acme/models", pulls: [7], kinds: ["pull"] })).toEqual([1]);
    expect(await seqs({ repository: "acme/models", pulls: [7, 8] })).toEqual([1, 2, 4]);
    expect(await seqs({ repository: "acme/models", kinds: ["release"], headSha: "c".repeat(40) })).toEqual([
      5,
    ]);
    expect(await seqs({ repository: "acme/models", headSha: "a".repeat(40) })).toEqual([1, 4]);
    // An empty list asks for nothing (never `in ()`, which is not SQL).
    expect(await seqs({ repository: "acme/models", pulls: [] })).toEqual([]);
    expect(await seqs({ kinds: [] })).toEqual([]);
  });
});

describe("the release gate's question on a large SQLite store", () => {
  it("finds a repository's pull requests through their index, not by reading every record", async () => {
    const where = await freshStore("sqlite");
    const store = await where.open();
    await store.close();
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(where.url.replace(/^sqlite:/, ""), { readonly: true });
    try {
      const plan = db
        .prepare(
          "explain query plan select * from audit_records where sequence > 0 and repository = ? and kind in ('pull') and pull in (1, 2) order by sequence limit 1000",
        )
        .all("acme/models") as Array<{ detail: string }>;
      expect(plan.map((row) => row.detail).join(" | ")).toMatch(
        /USING INDEX audit_records_repository_pull \(repository=\? AND pull=\?/,
      );
    } finally {
      db.close();
      await where.dispose();
    }
  });
});
