// Builds a small program that appends decisions to an audit store from a process of its own, for
// the tests that prove several processes keep one chain. The store's modules are transpiled from
// src/audit (types only stripped: no build of the whole app, which other work may be mid-way in)
// into a folder under node_modules/.cache, where the store's own dependencies resolve.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
const STORE_MODULES = [
  "open-store",
  "migrations",
  "sql-store",
  "sqlite-verify",
  "sqlite-verify-worker",
  "chain",
  "table",
  "types",
  "verify",
];

const WRITER = `
import { openAuditStore } from "./audit/open-store.js";
// \`shared\` (a number): every writer appends the same decisions 1..count (one sameAs each), as
// replicas handed the same webhooks would, starting at decision shared + 1 (so that they race for
// different ones, then meet); without it each writer's decisions are its own.
const [url, schema, count, tag, shared] = process.argv.slice(2);
const decisionAt = (i) => ((i - 1 + Number(shared)) % Number(count)) + 1;
const store = await openAuditStore(url, schema ? { schema } : {});
// Every writer opens first, then all start together when the test says go.
await new Promise((go) => { process.once("message", go); process.send("ready"); });
for (let i = 1; i <= Number(count); i++) {
  await store.append({
    time: new Date().toISOString(), installation: 1, repository: "acme/models", kind: "pull", pull: i,
    headSha: "a".repeat(40), baseSha: null, event: "pull_request.synchronize", deliveryId: tag + "-" + i,
    verdict: "ready", conclusion: "success", policy: { digest: null, sources: [] }, gates: [],
    approvals: [], override: null, appVersion: "test", sameAs: shared ? "decision-" + decisionAt(i) : null,
  });
}
await store.close();
process.disconnect();
`;

export interface WriterProgram {
  /** The store's modules as compiled JavaScript (audit/open-store.js…): what runs outside vitest, workers included. */
  modules: string;
  /** The script to fork: `url schema count tag [shared]` (see WRITER). */
  path: string;
  dispose(): void;
}

export function buildWriter(): WriterProgram {
  const cache = join(ROOT, "node_modules/.cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, "readiness-audit-writer-"));
  mkdirSync(join(dir, "audit"));
  for (const name of STORE_MODULES) {
    const source = readFileSync(join(ROOT, "src/audit", `${name}.ts`), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    writeFileSync(join(dir, "audit", `${name}.js`), outputText);
  }
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const path = join(dir, "writer.js");
  writeFileSync(path, WRITER);
  return { path, modules: join(dir, "audit"), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
