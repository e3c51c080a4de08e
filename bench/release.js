// Release benchmark (issue 12: "A release covering 50 merged PRs is judged from the store in at
// most 10 GitHub requests besides the asset uploads (count them in the bench); a deployment
// decision for a commit already judged costs at most 3").
//
// The built app in this process, against the GitHub stand-in (every request checked against
// GitHub's OpenAPI description and GraphQL schema) and an audit store on SQLite in a temporary
// directory. 50 pull requests, each changing a governed model with fresh results, are opened,
// approved, evaluated (the app records each decision) and merged; then `v1.1` is published. The
// requests the release webhook caused are counted, the app's own token requests (`/app/…`) and the
// two asset uploads apart; then a deployment of the release commit to `production`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createReadinessGate } from "../dist/app/index.js";
import { openAuditStore } from "../dist/audit/open-store.js";
import { createRecorder } from "../dist/audit/recorder.js";
import { compiledStandIn } from "./standin.js";

const PULLS = Number(process.env.BENCH_RELEASE_PULLS ?? 50);
const REPO = "acme/app";
const NOW = new Date();
const day = (offset) => new Date(NOW.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

const POLICY = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  evaluation:
    file: eval/results.json
    bind: same_pr
    thresholds: [{ metric: accuracy, min: 0.90 }]
  rollback:
    file: ROLLBACK.md
    sections: ["Trigger", "Steps", "Last tested"]
    max_drill_age_days: 90
approvals:
  - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 1 }
releases:
  enforce: true
  environments: [production]
`;
const results = (accuracy) => `{ "metrics": { "accuracy": ${accuracy} } }\n`;
const rollback = `# Rollback\n## Trigger\nx\n## Steps\nx\n## Last tested\n${day(-10)}\n`;

const { startGitHubStandIn } = await import(compiledStandIn());
const gh = await startGitHubStandIn();
gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
gh.addOrgMember("acme", "alice");
const files = { ".github/readiness.yml": POLICY, "README.md": "# app\n" };
for (const model of ["churn", "fraud"]) {
  files[`models/${model}/artifact.yml`] = 'owners: ["@alice"]\n';
  files[`models/${model}/model.py`] = "weights = 1\n";
  files[`models/${model}/eval/results.json`] = results(0.93);
  files[`models/${model}/ROLLBACK.md`] = rollback;
}
gh.addRepo(REPO, { files, author: "alice" });

const dir = mkdtempSync(join(tmpdir(), "bench-release-"));
const recorder = createRecorder({
  connect: () => openAuditStore(`sqlite:${join(dir, "audit.sqlite")}`),
  spoolPath: join(dir, "spool.jsonl"),
  log: { info: () => undefined, warn: () => undefined, error: () => undefined },
});
const probot = new Probot({
  appId: gh.app.id,
  privateKey: gh.appPrivateKey,
  baseUrl: gh.baseUrl,
  Octokit: ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  log: pino({ level: "warn" }),
});
await probot.load(createReadinessGate({ recorder }));

let deliveries = 0;
const receive = (name, payload) =>
  probot.receive({
    id: `bench-${++deliveries}`,
    name,
    payload: { ...payload, installation: gh.render.installation(gh.installationId) },
  });
const repo = () => gh.repo(REPO);

/** Requests the delivery caused, without the app's own token requests. */
async function counted(deliver) {
  const before = gh.requests.length;
  await deliver();
  const sent = gh.requests.slice(before).filter((r) => !r.path.startsWith("/app"));
  const uploads = sent.filter((r) => /\/releases\/\d+\/assets$/.test(r.path) && r.method === "POST");
  return { total: sent.length - uploads.length, uploads: uploads.length, routes: byRoute(sent) };
}

function byRoute(requests) {
  const counts = new Map();
  for (const r of requests) counts.set(r.route, (counts.get(r.route) ?? 0) + 1);
  return [...counts].map(([route, n]) => `${n}× ${route}`).join(", ");
}

const release = (tag) => {
  const made = gh.addRelease(REPO, { tag_name: tag });
  return () =>
    receive("release", {
      action: "published",
      release: { updated_at: made.created_at, immutable: false, ...gh.render.release(repo(), made) },
      repository: gh.render.repository(repo()),
      sender: gh.render.user("alice"),
    });
};

await release("v1.0")();
const started = performance.now();
for (let i = 0; i < PULLS; i++) {
  const model = i % 2 === 0 ? "churn" : "fraud";
  const pr = gh.openPullRequest(REPO, {
    head: `change-${i}`,
    user: "dana",
    title: `Retrain ${model} (${i})`,
    files: {
      [`models/${model}/model.py`]: `weights = ${i + 2}\n`,
      // Fresh results in every pull request (same_pr binding): accuracy 0.9500, 0.9501, …
      [`models/${model}/eval/results.json`]: results((0.95 + i / 10_000).toFixed(4)),
    },
  });
  gh.addReview(REPO, pr.number, { user: "carol", state: "APPROVED" });
  await receive("pull_request", {
    action: "opened",
    number: pr.number,
    pull_request: gh.render.pullRequest(repo(), pr),
    repository: gh.render.repository(repo()),
    sender: gh.render.user("dana"),
  });
  gh.mergePullRequest(REPO, pr.number);
}
const prepared = performance.now() - started;
await recorder.drain();

const judged = await counted(release("v1.1"));
const commit = gh.resolveRef(REPO, "v1.1");
const run = gh.checkRunsFor(REPO, commit).find((r) => r.name === "Readiness gate / release");
const deployment = () =>
  receive("deployment_protection_rule", {
    action: "requested",
    environment: "production",
    event: "push",
    deployment_callback_url: `${gh.baseUrl}/repos/${REPO}/actions/runs/${++deliveries}/deployment_protection_rule`,
    deployment: gh.render.deployment(
      repo(),
      gh.addDeployment(repo(), { environment: "production", sha: commit }),
    ),
    repository: gh.render.repository(repo()),
    sender: gh.render.user("alice"),
  });
const deployed = await counted(deployment);
const answer = repo().deploymentReviews.at(-1);

console.log(
  `\nRelease gate (${PULLS} merged pull requests, each recorded ready; prepared in ${prepared.toFixed(0)} ms)`,
);
console.log(
  `release v1.1: ${run?.conclusion} (${run?.output.title}); ${judged.total} GitHub requests besides ${judged.uploads} asset uploads (target <= 10) ${judged.total <= 10 ? "MET" : "NOT MET"}`,
);
console.log(`  ${judged.routes}`);
if (process.env.BENCH_DEBUG) console.log(run?.output.summary.slice(0, 3000));
console.log(
  `deployment of the judged commit to production: ${answer?.state}; ${deployed.total} GitHub requests (target <= 3) ${deployed.total <= 3 ? "MET" : "NOT MET"}`,
);
console.log(`  ${deployed.routes}`);
if (gh.violations.length > 0)
  console.log(`stand-in violations: ${JSON.stringify(gh.violations.slice(0, 3))}`);

await recorder.close();
await gh.close();
rmSync(dir, { recursive: true, force: true });
