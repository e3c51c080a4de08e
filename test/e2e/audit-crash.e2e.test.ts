// A crash between publishing the check run and recording the decision loses nothing: the app (the
// built dist/, in a child process) is killed with SIGKILL right after it published, then started
// again; the decision it had spooled is appended once, and a redelivery of the same webhook adds
// nothing. The store is a real SQLite file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-store.js";
import type { AuditRecord } from "../../src/audit/types.js";
import { addSampleRepository, openPull, REPO } from "../app/on-standin.js";
import { baseFiles } from "../app/repository.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { buildApp, CHECK_NAME, ROOT } from "./harness.js";
import { Webhooks } from "./webhooks.js";

let gh: GitHubStandIn;
let dir: string;

beforeAll(async () => {
  buildApp();
  gh = await startGitHubStandIn();
  addSampleRepository(gh, REPO, baseFiles());
  dir = mkdtempSync(join(tmpdir(), "audit-crash-"));
}, 120_000);

afterAll(async () => {
  await gh?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs one life of the app; resolves with how it ended. */
function life(options: { webhook?: unknown; killAfterPublish?: boolean }): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}> {
  const config = join(dir, `life-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      appId: gh.app.id,
      privateKey: gh.appPrivateKey,
      baseUrl: gh.baseUrl,
      databaseUrl: `sqlite:${join(dir, "audit.sqlite")}`,
      spoolPath: join(dir, "spool.jsonl"),
      ...options,
    }),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "test/e2e/audit-crash-child.js"), config], {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function records(): Promise<AuditRecord[]> {
  const store = await openAuditStore(`sqlite:${join(dir, "audit.sqlite")}`);
  try {
    const all: AuditRecord[] = [];
    for await (const record of store.records()) all.push(record);
    return all;
  } finally {
    await store.close();
  }
}

describe("a crash between publishing and recording", () => {
  it("loses nothing: the spooled decision is appended at the next start, once", async () => {
    const pr = openPull(gh);
    const webhook = {
      id: "delivery-crash-1",
      name: "pull_request",
      payload: {
        ...new Webhooks(gh).pullRequest(REPO, pr.number, "opened"),
        installation: { id: gh.installationId },
      },
    };

    const crashed = await life({ webhook, killAfterPublish: true });
    expect(crashed).toMatchObject({ signal: "SIGKILL" });
    const runs = gh.checkRunsFor(REPO, pr.head.sha).filter((r) => r.name === CHECK_NAME);
    expect(runs.map((r) => r.conclusion)).toEqual(["action_required"]);
    expect(await records()).toEqual([]);
    expect(readFileSync(join(dir, "spool.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);

    const restarted = await life({});
    expect(restarted, restarted.stderr).toMatchObject({ code: 0 });
    const [record, ...more] = await records();
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      sequence: 1,
      kind: "pull",
      pull: pr.number,
      headSha: pr.head.sha,
      deliveryId: "delivery-crash-1",
      verdict: "awaiting_approval",
      conclusion: "action_required",
    });
    expect(readFileSync(join(dir, "spool.jsonl"), "utf8")).toBe("");

    // GitHub redelivers the webhook the crashed process never acknowledged: the same decision.
    const redelivered = await life({ webhook });
    expect(redelivered, redelivered.stderr).toMatchObject({ code: 0 });
    expect((await records()).map((r) => r.sequence)).toEqual([1]);
  }, 60_000);
});
