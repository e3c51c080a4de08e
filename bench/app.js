// App benchmark (issue: "GitHub requests per evaluation for (a) a 20-file PR touching 2 artifacts
// with 3 reviews and (b) a 3,000-file PR; webhook-to-check-run latency percentiles against the
// local stand-in with 50 PRs in flight. Target: at most 6 requests for (a), check run write
// included; p99 under 300 ms excluding GitHub's own latency.")
//
// The built app (dist/) runs in this process under a real Probot, talking HTTP to the GitHub API
// stand-in of test/support (also in this process; it is TypeScript, so it is compiled once with
// the project's own tsc into node_modules/.cache/readiness-gate-bench, where its imports of
// @octokit/openapi and ajv resolve). Webhooks are handed to `probot.receive` directly: the HTTP
// hop and signature check of a real delivery are NOT included; everything from the event
// handler to the completed check-run write (facts, policy, evaluation, rendering, publish) is.
//
// Request counts are the stand-in's own log of one delivery. The installation token
// (POST /app/installations/{id}/access_tokens) and the app's identity (GET /app) are fetched once
// per process and cached by Probot / the app; they are made by a warm-up delivery and printed
// separately, not counted in (a) or (b).
//
// "Excluding GitHub's own latency": every request carries a tag naming its delivery (added by an
// Octokit hook, read from AsyncLocalStorage), and the stand-in's handler is timed from the first
// byte it reads to the last byte it writes. For each delivery, the wall time during which at
// least one of its requests was inside the stand-in (the union of those intervals) is GitHub's
// share; latency minus that share is the app's own. Both share one event loop, so under load
// each inflates the other's figures: the split is an estimate, not an exact measure.
import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Probot, ProbotOctokit } from "probot";
import { createReadinessGate } from "../dist/app/index.js";
import { policyText, privacyReview, rollbackPlan } from "./fixture.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const IN_FLIGHT = 50;

// ---- the stand-in, compiled from test/support --------------------------------------------------

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

async function loadStandIn() {
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
  return import(pathToFileURL(entry).href);
}

const { startGitHubStandIn } = await loadStandIn();
const gh = await startGitHubStandIn();

// Time the stand-in's handling of every request, tagged with the delivery that made it.
const served = []; // { tag, start, end } in ms, inside the stand-in
const awaited = []; // the same, as the app saw it: from its request call to its response
{
  const handle = gh.handle.bind(gh);
  gh.handle = (req, res) => {
    const start = performance.now();
    const tag = req.headers["x-bench-tag"];
    res.once("finish", () => served.push({ tag, start, end: performance.now() }));
    return handle(req, res);
  };
}

// ---- the app --------------------------------------------------------------------------------

const delivery = new AsyncLocalStorage();
const tagRequests = (octokit) => {
  octokit.hook.wrap("request", (request, options) => {
    const tag = delivery.getStore();
    if (!tag) return request(options);
    options.headers = { ...options.headers, "x-bench-tag": tag };
    const start = performance.now();
    const record = () => awaited.push({ tag, start, end: performance.now() });
    return request(options).finally(record);
  });
};
const probot = new Probot({
  appId: gh.app.id,
  privateKey: gh.appPrivateKey,
  baseUrl: gh.baseUrl,
  Octokit: ProbotOctokit.defaults((o) => ({
    ...o,
    retry: { enabled: false },
    throttle: { enabled: false },
  })).plugin(tagRequests),
  logLevel: "fatal",
});
await probot.load(createReadinessGate());

let deliveries = 0;
async function synchronize(fullName, number, tag = `d${deliveries + 1}`) {
  const repo = gh.repo(fullName);
  const pr = gh.pullRequest(repo, number);
  const payload = {
    action: "synchronize",
    number,
    before: pr.base.sha,
    after: pr.head.sha,
    pull_request: gh.render.pullRequest(repo, pr),
    repository: gh.render.repository(repo),
    organization: gh.render.org(repo.owner),
    installation: { id: gh.installationId, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" },
    sender: gh.render.user(pr.user),
  };
  const started = performance.now();
  await delivery.run(tag, () =>
    probot.receive({ id: `bench-${++deliveries}`, name: "pull_request", payload }),
  );
  const ms = performance.now() - started;
  const runs = gh.checkRunsFor(repo, pr.head.sha);
  if (runs.length === 0) throw new Error(`no check run written for ${fullName}#${number}`);
  return { ms, run: runs[runs.length - 1] };
}

// ---- repositories ---------------------------------------------------------------------------

/**
 * `owner/name` with `artifacts` artifacts of `kinds` kinds, complete evidence, and PR #1 changing
 * `perArtifact - 1` source files plus the eval results of every artifact; 3 reviews: a compliance
 * member and the owners of the first two artifacts.
 */
function setUp(fullName, { kinds, artifacts, perArtifact }) {
  const org = fullName.split("/")[0];
  gh.addTeam(org, "governance", { members: ["gina"] });
  gh.addTeam(org, "compliance", { members: ["carol"] });
  gh.addTeam(org, "privacy", { members: ["petra"] });
  gh.addTeam(org, "ml", { members: ["mel"] });
  const policy = policyText(kinds).replaceAll("@acme/", `@${org}/`);
  const base = { ".github/readiness.yml": policy, ".github/CODEOWNERS": `* @${org}/ml\n` };
  const changes = {};
  for (let a = 0; a < artifacts; a++) {
    const root = `kind${a % kinds}/artifact${a}`;
    base[`${root}/artifact.yml`] = `owners: ["@owner${a}"]\ndata_categories: [usage]\n`;
    base[`${root}/eval/results.json`] = `{"metrics": {"accuracy": 0.95, "f1": 0.9}}`;
    base[`${root}/privacy-review.yml`] = privacyReview(new Date());
    base[`${root}/ROLLBACK.md`] = rollbackPlan(new Date());
    for (let f = 0; f < perArtifact - 1; f++) {
      base[`${root}/src/file${f}.py`] = `v = ${f}\n`;
      changes[`${root}/src/file${f}.py`] = `v = ${f} + 1\n`;
    }
    changes[`${root}/eval/results.json`] = `{"metrics": {"accuracy": 0.96, "f1": 0.91}}`;
  }
  gh.addRepo(fullName, { files: base });
  const pr = gh.openPullRequest(fullName, { head: "change", user: "dev", files: changes });
  for (const user of ["carol", "owner0", "owner1"])
    gh.addReview(fullName, pr.number, { user, state: "APPROVED" });
  return pr.number;
}

/** Requests by route, in order of first use. */
function byRoute(records) {
  const counts = new Map();
  for (const r of records) {
    const route = r.route ?? `${r.method} ${r.path}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return counts;
}

const summary = (run) => `${run.conclusion}: ${run.output?.title ?? ""}`.slice(0, 90);

async function countRequests(label, fullName, shape) {
  const number = setUp(fullName, shape);
  gh.clearLog();
  const { ms, run } = await synchronize(fullName, number);
  const records = [...gh.requests];
  const problems = [...gh.violations];
  return { label, total: records.length, routes: byRoute(records), ms, run, problems };
}

// ---- runs -----------------------------------------------------------------------------------

// Warm-up: fetches and caches the installation token and GET /app; JIT-warms the code paths.
const warmNumber = setUp("warm/models", { kinds: 2, artifacts: 2, perArtifact: 10 });
gh.clearLog();
await synchronize("warm/models", warmNumber);
const oneTime = byRoute(gh.requests.filter((r) => r.path === "/app" || r.path.startsWith("/app/")));

const a = await countRequests("(a) 20 files, 2 artifacts, 3 reviews", "acme/models", {
  kinds: 2,
  artifacts: 2,
  perArtifact: 10,
});
const b = await countRequests("(b) 3,000 files, 200 artifacts, 3 reviews", "big/models", {
  kinds: 20,
  artifacts: 200,
  perArtifact: 15,
});

// Latency: 50 repositories (one org each, so every request is attributable), one PR each like
// (a); all 50 synchronize webhooks received at once.
const orgs = Array.from({ length: IN_FLIGHT }, (_, i) => `load${i}`);
const numbers = orgs.map((org) => setUp(`${org}/models`, { kinds: 2, artifacts: 2, perArtifact: 10 }));
gh.clearLog();
served.length = 0;
awaited.length = 0;
globalThis.gc?.();
const wallStart = performance.now();
const results = await Promise.all(orgs.map((org, i) => synchronize(`${org}/models`, numbers[i], org)));
const wall = performance.now() - wallStart;

function unionMs(intervals) {
  const sorted = [...intervals].sort((x, y) => x.start - y.start);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const { start, end: e } of sorted) {
    if (e <= end) continue;
    total += e - Math.max(start, end);
    end = e;
  }
  return total;
}
const latency = results.map((r) => r.ms);
const github = orgs.map((org) => unionMs(served.filter((s) => s.tag === org)));
const own = latency.map((ms, i) => ms - github[i]);
const waiting = orgs.map((org) => unionMs(awaited.filter((s) => s.tag === org)));
const handling = served.filter((s) => s.tag).map((s) => s.end - s.start);
const pct = (values, p) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;

// ---- report ---------------------------------------------------------------------------------

console.log("");
console.log("app against the local GitHub stand-in (in-process Probot, pull_request.synchronize)");
console.log(`once per process, not counted below: ${[...oneTime].map(([r, n]) => `${r} x${n}`).join(", ")}`);
for (const s of [a, b]) {
  console.log(`${s.label}: ${s.total} GitHub requests, ${s.ms.toFixed(0)} ms, run ${summary(s.run)}`);
  for (const [route, n] of s.routes) console.log(`  ${String(n).padStart(3)}  ${route}`);
  if (s.problems.length > 0)
    console.log(`  stand-in violations: ${s.problems.map((p) => `${p.status} ${p.reason}`).join("; ")}`);
}
console.log(
  `requests per evaluation (a): ${a.total} (target <= 6, check run write included) ${a.total <= 6 ? "MET" : "NOT MET"}`,
);
console.log("");
console.log(
  `latency, ${IN_FLIGHT} PRs in flight (each like (a)), webhook received -> check run written; wall ${wall.toFixed(0)} ms`,
);
console.log("                               |    p50 |    p90 |    p99 |    max");
const row = (name, values) =>
  console.log(
    `${name.padEnd(30)} | ${[50, 90, 99, 100].map((p) => pct(values, p).toFixed(0).padStart(6)).join(" | ")}`,
  );
row("end to end ms", latency);
row("inside the stand-in ms", github);
row("excluding GitHub ms", own);
row("app awaiting requests ms", waiting);
row(
  "app not awaiting requests ms",
  latency.map((ms, i) => ms - waiting[i]),
);
console.log(
  `stand-in handling per request: mean ${mean(handling).toFixed(2)} ms, p99 ${pct(handling, 99).toFixed(2)} ms over ${handling.length} requests (${(handling.length / IN_FLIGHT).toFixed(1)} per PR)`,
);
const p99own = pct(own, 99);
console.log(
  `p99 excluding GitHub: ${p99own.toFixed(0)} ms (target < 300) ${p99own < 300 ? "MET" : "NOT MET"}`,
);

await gh.close();
