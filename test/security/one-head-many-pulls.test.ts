// Class 1: one head commit, several pull requests. GitHub keeps one `Readiness gate` run per
// commit and shows it on every PR whose head is that commit. The attack: branch `decoy` = main + a
// model change without evidence; branch `retrain` = decoy + a README edit. PR `retrain → main`
// fails; PR `retrain → decoy` changes only the README, so on its own it is `not_governed` — and
// its success, written on the same commit, turned the first PR's required check green. The run
// now carries the most restrictive result across every open PR with the head, and names it.
//
// Through the GitHub stand-in, the app in this process (every request checked by the stand-in).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseFiles, POLICY } from "../e2e/fixtures.js";
import { InProcessApp } from "../e2e/in-process.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";

let gh: GitHubStandIn;
let app: InProcessApp;

beforeAll(async () => {
  gh = await startGitHubStandIn();
  gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
  gh.addTeam("acme", "ai-governance", { members: ["gina"] });
  gh.addOrgMember("acme", "alice");
  gh.addUser("mallory");
  app = await InProcessApp.start(gh);
}, 60_000);

afterAll(async () => {
  await gh?.close();
});

let repos = 0;

/**
 * The attack's repository: `decoy` (main + an unevidenced model change) and `retrain` (decoy + a
 * README edit). With `advisoryDecoy`, the decoy branch instead makes its policy advisory and the
 * model change sits on `retrain`, so the PR into the decoy is blocked but only `neutral`.
 */
function attackRepo(options: { advisoryDecoy?: boolean } = {}) {
  const repo = `acme/shared-head-${++repos}`;
  gh.addRepo(repo, { files: baseFiles(), author: "alice" });
  const model = { "models/churn/model.py": "weights = 666\n" };
  const advisory = {
    ".github/readiness.yml": POLICY.replace("version: 1\n", "version: 1\nenforcement: advisory\n"),
  };
  gh.commit(repo, {
    branch: "decoy",
    parent: "main",
    author: "mallory",
    files: options.advisoryDecoy ? advisory : model,
  });
  const head = gh.commit(repo, {
    branch: "retrain",
    parent: "decoy",
    author: "mallory",
    files: { "README.md": "# app, retrained\n", ...(options.advisoryDecoy ? model : {}) },
  });
  const intoMain = () => gh.openPullRequest(repo, { head: "retrain", base: "main", user: "mallory" });
  const intoDecoy = (head = "retrain") => gh.openPullRequest(repo, { head, base: "decoy", user: "mallory" });
  return { repo, head, intoMain, intoDecoy };
}

const opened = (repo: string, number: number) =>
  app.receive("pull_request", app.hooks.pullRequest(repo, number, "opened"));

/** The run GitHub shows on the head holds the merge, and says which PR decided it. */
function expectHeld(repo: string, head: string, decider: number, count = 2) {
  const run = app.shown(repo, head);
  expect(run.conclusion).toBe("failure");
  expect(run.output.title).toMatch(new RegExp(`#${decider} of ${count} PRs on this commit$`));
  expect(run.output.summary).toContain(`the most restrictive result, that of **#${decider}**`);
  return run;
}

function expectNoViolations() {
  expect(gh.violations).toEqual([]);
  expect(gh.unhandled.map((r) => `${r.method} ${r.path}`)).toEqual([]);
}

describe("several open pull requests with one head commit", () => {
  it("keeps the failing PR's check red when a PR into the decoy branch is evaluated", async () => {
    const { repo, head, intoMain, intoDecoy } = attackRepo();
    const main = intoMain();
    await opened(repo, main.number);
    expect(app.shown(repo, head).conclusion).toBe("failure");

    const decoy = intoDecoy();
    await opened(repo, decoy.number);
    const run = expectHeld(repo, head, main.number);
    expect(run.output.summary).toMatch(new RegExp(`#${decoy.number}\\]\\([^)]+\\) ➖ not governed`));
    expect(run.output.summary).toMatch(/models\/churn/); // the deciding PR's own report follows
    expect(app.runs(repo, head)).toHaveLength(1);
    expectNoViolations();
  });

  it("holds whichever PR is evaluated first", async () => {
    const { repo, head, intoMain, intoDecoy } = attackRepo();
    const main = intoMain();
    const decoy = intoDecoy();
    await opened(repo, decoy.number);
    expectHeld(repo, head, main.number);
    await opened(repo, main.number);
    expectHeld(repo, head, main.number);
  });

  it("finds a PR with the same head commit under another branch name", async () => {
    const { repo, head, intoMain, intoDecoy } = attackRepo();
    gh.setBranch(repo, "innocent-docs", head);
    const main = intoMain();
    await opened(repo, main.number);
    const decoy = intoDecoy("innocent-docs");
    expect(decoy.head.sha).toBe(head);
    await opened(repo, decoy.number);
    expectHeld(repo, head, main.number);
  });

  it("finds a PR from a fork with the same head commit", async () => {
    const { repo, head, intoMain } = attackRepo();
    const fork = gh.addRepo(`mallory/${repo.split("/")[1]}`, { forkOf: repo });
    gh.setBranch(fork, "docs", head);
    const main = intoMain();
    await opened(repo, main.number);
    const decoy = gh.openPullRequest(repo, {
      headRepo: fork.full_name,
      head: "docs",
      base: "decoy",
      user: "mallory",
    });
    await opened(repo, decoy.number);
    expectHeld(repo, head, main.number);
    expectNoViolations();
  });

  it("does not let an advisory policy on the other PR's base soften the check to neutral", async () => {
    const { repo, head, intoMain, intoDecoy } = attackRepo({ advisoryDecoy: true });
    const main = intoMain();
    await opened(repo, main.number);
    expect(app.shown(repo, head).conclusion).toBe("failure");
    const decoy = intoDecoy();
    await opened(repo, decoy.number);
    const run = expectHeld(repo, head, main.number);
    expect(run.output.summary).toMatch(
      new RegExp(`#${decoy.number}\\]\\([^)]+\\) ❌ blocked \\(advisory\\)`),
    );
  });

  it("keeps the check red through Re-run, Re-check and a re-run of the whole suite", async () => {
    const { repo, head, intoMain, intoDecoy } = attackRepo();
    const main = intoMain();
    const decoy = intoDecoy();
    await opened(repo, main.number);
    const run = app.shown(repo, head);
    // GitHub lists both PRs on the run and the suite; each evaluation covers them all.
    await app.receive("check_run", app.hooks.checkRun(repo, run.id, "mallory"));
    expectHeld(repo, head, main.number);
    await app.receive("check_run", app.hooks.checkRun(repo, run.id, "mallory", "recheck"));
    expectHeld(repo, head, main.number);
    await app.receive("check_suite", app.hooks.checkSuite(repo, head, "rerequested", "mallory"));
    expectHeld(repo, head, main.number);
    expect(decoy.head.sha).toBe(head);
  });

  it("keeps the check red when a team membership change re-evaluates the installation's PRs", async () => {
    const { repo, head, intoMain, intoDecoy } = attackRepo();
    const main = intoMain();
    const decoy = intoDecoy();
    await opened(repo, main.number);
    expect(app.shown(repo, head).conclusion).toBe("failure");
    // Whatever concerns the decoy PR is read slowly, so an evaluation of it alone would end last
    // (each evaluation asking on its own, so that slowness is the decoy's alone).
    const alone = await InProcessApp.start(gh, { shareQueries: false });
    gh.delayNext("POST", "/graphql", 800, { body: new RegExp(`_number":${decoy.number}[,}]`) });
    gh.addTeamMember("acme", "ai-compliance", "dora");
    await alone.receive("membership", alone.hooks.membership("acme", "ai-compliance", "dora", "added"));
    expectHeld(repo, head, main.number);
  });

  it("reads nothing more for a PR alone on its head: the open PRs come with the first query", async () => {
    const repo = `acme/alone-${++repos}`;
    gh.addRepo(repo, { files: baseFiles(), author: "alice" });
    const pr = gh.openPullRequest(repo, { head: "docs", user: "alice", files: { "README.md": "# docs\n" } });
    gh.clearLog();
    await opened(repo, pr.number);
    const queries = gh.requestsTo("POST /graphql").map((r) => JSON.stringify(r.body));
    const listing = queries.filter((q) => q.includes("pullRequests(states: [OPEN]"));
    expect(listing).toHaveLength(1);
    expect(listing[0]).toContain("pullRequest(number:"); // the same query reads the PR itself
    expect(app.shown(repo, pr.head.sha).output.title).toBe("No governed artifacts changed");
  });
});
