// The GitHub stand-in in a process of its own, for bench/app.js: GitHub is another machine, so
// its work (OpenAPI and GraphQL validation, JSON) must not share the app's event loop. The parent
// drives it over IPC: `{ id, op, args }` in, `{ id, result | error }` out.
import { AsyncLocalStorage } from "node:async_hooks";
import { documents, policyText, privacyReview, rollbackPlan, withDocumentGates } from "./fixture.js";
import { compiledStandIn, nowMs } from "./standin.js";

const { startGitHubStandIn } = await import(compiledStandIn());
const gh = await startGitHubStandIn();

// Every request's time inside the stand-in, tagged with the deliveries (orgs) it served: the owner
// in a REST path, the owners of a GraphQL query's questions (a query shared by several
// deliveries of one installation counts as GitHub's time for each of them). Tagged here rather
// than in the app, whose CPU is what the bench measures.
let served = [];
{
  const current = new AsyncLocalStorage();
  const push = gh.requests.push.bind(gh.requests);
  gh.requests.push = (record) => {
    const request = current.getStore();
    if (request) request.record = record;
    return push(record);
  };
  const handle = gh.handle.bind(gh);
  gh.handle = (req, res) => {
    const request = { start: nowMs(), record: undefined };
    const id = req.headers["x-bench-request"];
    res.once("finish", () =>
      served.push({ request: id, tags: orgsOf(request.record), start: request.start, end: nowMs() }),
    );
    return current.run(request, () => handle(req, res));
  };
}

function orgsOf(record) {
  if (!record) return [];
  const owner = /^\/(?:repos|orgs)\/([^/]+)/.exec(record.path)?.[1];
  if (owner) return [owner];
  const variables = record.body?.variables ?? {};
  return [
    ...new Set(
      Object.entries(variables)
        .filter(([name]) => /_(owner|org)$/.test(name))
        .map(([, value]) => value),
    ),
  ];
}

/**
 * `owner/name` with `artifacts` artifacts of `kinds` kinds, complete evidence, and PR #1 changing
 * `perArtifact - 1` source files plus the eval results of every artifact; 3 reviews: a compliance
 * member and the owners of the first two artifacts. With `sharedHead`, PR #2 has the same head
 * (into a `release` branch cut from main), with the same 3 reviews. With `documentGates`, the
 * policy has two document gates and every artifact their documents.
 */
function setUp({ fullName, kinds, artifacts, perArtifact, sharedHead = false, documentGates = false }) {
  const org = fullName.split("/")[0];
  gh.addTeam(org, "governance", { members: ["gina"] });
  gh.addTeam(org, "compliance", { members: ["carol"] });
  gh.addTeam(org, "privacy", { members: ["petra"] });
  gh.addTeam(org, "ml", { members: ["mel"] });
  const plain = policyText(kinds).replaceAll("@acme/", `@${org}/`);
  const policy = documentGates ? withDocumentGates(plain) : plain;
  const base = { ".github/readiness.yml": policy, ".github/CODEOWNERS": `* @${org}/ml\n` };
  const changes = {};
  for (let a = 0; a < artifacts; a++) {
    const root = `kind${a % kinds}/artifact${a}`;
    gh.addOrgMember(org, `owner${a}`); // owners belong to the organisation
    base[`${root}/artifact.yml`] = `owners: ["@owner${a}"]\ndata_categories: [usage]\n`;
    base[`${root}/eval/results.json`] = `{"metrics": {"accuracy": 0.95, "f1": 0.9}}`;
    base[`${root}/privacy-review.yml`] = privacyReview(new Date());
    base[`${root}/ROLLBACK.md`] = rollbackPlan(new Date());
    if (documentGates)
      for (const [file, text] of Object.entries(documents(new Date()))) base[`${root}/${file}`] = text;
    for (let f = 0; f < perArtifact - 1; f++) {
      base[`${root}/src/file${f}.py`] = `v = ${f}\n`;
      changes[`${root}/src/file${f}.py`] = `v = ${f} + 1\n`;
    }
    changes[`${root}/eval/results.json`] = `{"metrics": {"accuracy": 0.96, "f1": 0.91}}`;
  }
  gh.addRepo(fullName, { files: base });
  if (sharedHead) gh.setBranch(fullName, "release", gh.resolveRef(fullName, "main"));
  const pr = gh.openPullRequest(fullName, { head: "change", user: "dev", files: changes });
  const pulls = [pr];
  if (sharedHead) pulls.push(gh.openPullRequest(fullName, { head: "change", base: "release", user: "dev" }));
  for (const pull of pulls)
    for (const user of ["carol", "owner0", "owner1"])
      gh.addReview(fullName, pull.number, { user, state: "APPROVED" });
  return pr.number;
}

/** The `pull_request.synchronize` webhook payload GitHub would send for the PR's head. */
function synchronizePayload({ fullName, number }) {
  const repo = gh.repo(fullName);
  const pr = gh.pullRequest(repo, number);
  return {
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
}

/** A push of one source file to the PR, and its 3 approvals again on the new head. */
function pushAndApprove({ fullName, number }) {
  const pr = gh.pullRequest(gh.repo(fullName), number);
  gh.commit(fullName, {
    branch: pr.head.ref,
    files: { "kind0/artifact0/src/file0.py": `v = ${Date.now()}\n` },
  });
  for (const user of ["carol", "owner0", "owner1"])
    gh.addReview(fullName, number, { user, state: "APPROVED" });
}

function checkRuns({ fullName, number }) {
  const repo = gh.repo(fullName);
  return gh.checkRunsFor(repo, gh.pullRequest(repo, number).head.sha).map((run) => ({
    id: run.id,
    conclusion: run.conclusion,
    title: run.output?.title ?? "",
  }));
}

const ops = {
  info: () => ({ appId: gh.app.id, privateKey: gh.appPrivateKey, baseUrl: gh.baseUrl }),
  setUp,
  synchronizePayload,
  pushAndApprove,
  checkRuns,
  clearLog: () => {
    gh.clearLog();
    served = [];
  },
  log: () => ({
    requests: gh.requests.map((r) => ({
      route: r.route,
      method: r.method,
      path: r.path,
      cost: r.graphqlCost ?? 0,
    })),
    violations: gh.violations.map((v) => ({ status: v.status, reason: v.reason })),
    served,
  }),
  close: async () => {
    await gh.close();
    setImmediate(() => process.exit(0));
  },
};

process.on("message", async ({ id, op, args }) => {
  try {
    process.send({ id, result: await ops[op](args) });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? error.stack : String(error) });
  }
});
process.send({ ready: true });
