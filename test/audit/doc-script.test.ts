// docs/audit.md gives auditors a script that checks an export without this app: it must work.
// The block after the `verify-script` marker is extracted and run on a real export, intact and
// tampered.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exportRecords } from "../../src/audit/export.js";
import { openAuditStore } from "../../src/audit/open-store.js";
import { decision } from "./stores.js";

const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), "readiness-doc-script-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function docScript(): string {
  const doc = readFileSync(join(ROOT, "docs/audit.md"), "utf8");
  const found = /<!-- verify-script[^>]*-->\s*```js\n([\s\S]*?)```/.exec(doc);
  if (!found?.[1]) throw new Error("docs/audit.md has no ```js block after the verify-script marker");
  return found[1];
}

describe("the verification script in docs/audit.md", () => {
  it("recomputes an export's chain: intact passes with the head hash, a tampered line fails", async () => {
    const script = join(dir, "verify-trail.mjs");
    writeFileSync(script, docScript());
    const store = await openAuditStore(`sqlite:${join(dir, "trail.sqlite")}`);
    await store.append(decision({ pull: 1 }));
    await store.append(
      decision({
        pull: 2,
        verdict: "awaiting_approval",
        override: {
          by: "zoë",
          reason: "hotfix — “urgent” 😀",
          at: "2026-03-01T10:00:00Z",
          expiresAt: "2026-03-02T10:00:00Z",
          state: "active",
        },
      }),
    );
    const { record: last } = await store.append(decision({ pull: 3, repository: "acme/ünïcode" }));
    let text = "";
    await exportRecords(store.records(), "jsonl", (t) => {
      text += t;
    });
    await store.close();

    const trail = join(dir, "trail.jsonl");
    writeFileSync(trail, text);
    expect(execFileSync(process.execPath, [script, trail], { encoding: "utf8" })).toBe(
      `3 records intact, head hash ${last.hash}\n`,
    );

    writeFileSync(trail, text.replace('"awaiting_approval"', '"ready"'));
    const altered = spawnSync(process.execPath, [script, trail], { encoding: "utf8" });
    expect(altered.status).toBe(1);
    expect(altered.stderr).toBe("record 2: content does not match its hash\n");

    const lines = text.trimEnd().split("\n");
    writeFileSync(trail, `${[lines[0], lines[2]].join("\n")}\n`);
    const missing = spawnSync(process.execPath, [script, trail], { encoding: "utf8" });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("record 2: sequence is 3: a record is missing or moved\n");
  });
});
