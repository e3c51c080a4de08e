// The GitHub API stand-in of test/support, for the benchmarks. It is TypeScript, so it is compiled
// once with the project's own tsc into node_modules/.cache/readiness-gate-bench, where its imports
// of @octokit/openapi, graphql and ajv resolve; recompiled when a source is newer.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles the stand-in if needed; returns the URL of its entry module. */
export function compiledStandIn() {
  const source = join(ROOT, "test/support");
  const out = join(ROOT, "node_modules/.cache/readiness-gate-bench/standin");
  const entry = join(out, "github-standin.js");
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(source)) {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    // biome-ignore format: one argument per flag
    execFileSync(process.execPath, [tsc, "--outDir", out, "--rootDir", source,
      "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022",
      "--skipLibCheck", "--esModuleInterop", "--types", "node",
      join(source, "github-standin.ts")], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  }
  return pathToFileURL(entry).href;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const nowMs = () => performance.timeOrigin + performance.now();
