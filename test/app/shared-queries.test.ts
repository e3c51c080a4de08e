// Evaluations of one installation share GraphQL queries (SharedQueries, keyed by installation):
// two pull_request webhooks received together, for repositories of one installation and of two,
// on the GitHub stand-in (every request checked against GitHub's description; an installation's
// token reaches only its own accounts, as on GitHub).
import { afterEach, describe, expect, it } from "vitest";
import type { ServiceOptions } from "../../src/app/services.js";
import { InProcessApp } from "../e2e/in-process.js";
import type { RequestRecord } from "../support/github-standin.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { addSampleRepository, NOW, openPull } from "./on-standin.js";
import { baseFiles, POLICY } from "./repository.js";

let started: GitHubStandIn | undefined;

afterEach(async () => {
  await started?.close();
  started = undefined;
});

/** A pull request as the tests name it: its repository (`owner/name`) and number. */
interface Pull {
  repo: string;
  number: number;
}

/** GitHub with acme's repositories in installation 1 and, when asked, zeta's in installation 2. */
async function startGitHub(options: { zetaInstallation?: number } = {}): Promise<GitHubStandIn> {
  started = await startGitHubStandIn({ now: () => NOW, installationId: 1 });
  if (options.zetaInstallation !== undefined) started.addInstallation("zeta", options.zetaInstallation);
  return started;
}

/** The sample repository under `owner`, its policy naming the owner's own teams. */
function sampleRepository(gh: GitHubStandIn, repo: string): string {
  const policy = POLICY.replaceAll("@acme/", `@${repo.split("/")[0]}/`);
  addSampleRepository(gh, repo, { ...baseFiles(), ".github/readiness.yml": policy });
  return repo;
}

/** `<owner>/app`: dana changes the model and removes its rollback plan, so the PR is blocked. */
function blocked(gh: GitHubStandIn, owner: string): Pull {
  const repo = sampleRepository(gh, `${owner}/app`);
  const files = { "models/churn/model.py": "weights = 2\n", "models/churn/ROLLBACK.md": null };
  return { repo, number: openPull(gh, { repo, files }).number };
}

/** `<owner>/models`: the sample PR (complete evidence) and carol's compliance approval of its head: ready. */
function ready(gh: GitHubStandIn, owner: string): Pull {
  const repo = sampleRepository(gh, `${owner}/models`);
  const { number } = openPull(gh, { repo });
  gh.addReview(repo, number, { user: "carol", state: "APPROVED" });
  return { repo, number };
}

/** What one delivery left on GitHub: the check run each PR shows, and the requests that made them. */
interface Delivered {
  runs: Array<ReturnType<typeof shownRun>>;
  /** The GraphQL queries the app sent. */
  queries: RequestRecord[];
}

/** The check run GitHub shows on the PR's head: what a user sees. */
function shownRun(app: InProcessApp, { repo, number }: Pull) {
  const head = app.gh.pullRequest(repo, number).head.sha;
  expect(app.runs(repo, head)).toHaveLength(1);
  const run = app.shown(repo, head);
  return {
    head_sha: run.head_sha,
    conclusion: run.conclusion,
    title: run.output.title,
    summary: run.output.summary,
    details_url: run.details_url,
  };
}

/**
 * Delivers the PRs' `opened` webhooks together to a fresh app, on a GitHub without check runs
 * from earlier deliveries; every request must be one GitHub would have accepted.
 */
async function deliverTogether(
  gh: GitHubStandIn,
  pulls: Pull[],
  options: ServiceOptions = {},
): Promise<Delivered> {
  for (const { repo } of pulls) gh.repo(repo).checkRuns.clear();
  gh.clearLog();
  const app = await InProcessApp.start(gh, { now: () => NOW, ...options });
  await Promise.all(
    pulls.map((p) => app.receive("pull_request", app.hooks.pullRequest(p.repo, p.number, "opened"))),
  );
  expect(gh.violations).toEqual([]);
  expect(gh.unhandled).toEqual([]);
  return { runs: pulls.map((p) => shownRun(app, p)), queries: gh.requestsTo("POST /graphql") };
}

/** The accounts (repository owners and organisations) a query asked about. */
const ownersOf = (query: RequestRecord) => [...new Set((query.about ?? []).map((a) => a.split("/")[0]))];

/** Whether one query carried questions about both repositories. */
const asksAboutBoth = (query: RequestRecord, a: Pull, b: Pull) =>
  (query.about ?? []).includes(a.repo) && (query.about ?? []).includes(b.repo);

describe("evaluations of one installation", () => {
  it("share GraphQL queries: two PRs opened together cost fewer queries than apart, and each shows the right check run", async () => {
    const gh = await startGitHub();
    const app = blocked(gh, "acme");
    const models = ready(gh, "acme");
    // Each evaluation alone, on a fresh app: what it costs and what it shows.
    const aloneApp = await deliverTogether(gh, [app]);
    const aloneModels = await deliverTogether(gh, [models]);
    const [appRun, modelsRun] = [aloneApp.runs[0], aloneModels.runs[0]];
    expect(appRun).toMatchObject({
      conclusion: "failure",
      head_sha: gh.pullRequest(app.repo, app.number).head.sha,
      details_url: `${gh.render.web}/acme/app/pull/${app.number}`,
    });
    expect(modelsRun).toMatchObject({
      conclusion: "success",
      title: "Ready",
      details_url: `${gh.render.web}/acme/models/pull/${models.number}`,
    });
    const apart = aloneApp.queries.length + aloneModels.queries.length;

    const together = await deliverTogether(gh, [app, models]);

    // The same check runs, each on its own repository...
    expect(together.runs).toEqual([appRun, modelsRun]);
    // ...for fewer queries: at least one carried questions of both evaluations.
    expect(together.queries.length).toBeLessThan(apart);
    expect(together.queries.some((q) => asksAboutBoth(q, app, models))).toBe(true);
    expect(together.queries.every((q) => q.installation === 1)).toBe(true);
  });

  it("ask alone with shareQueries: false, for the same check runs", async () => {
    const gh = await startGitHub();
    const app = blocked(gh, "acme");
    const models = ready(gh, "acme");
    const shared = await deliverTogether(gh, [app, models]);

    const unshared = await deliverTogether(gh, [app, models], { shareQueries: false });

    expect(unshared.queries.length).toBeGreaterThan(shared.queries.length);
    expect(unshared.queries.filter((q) => asksAboutBoth(q, app, models))).toEqual([]);
    expect(unshared.runs).toEqual(shared.runs);
  });
});

describe("evaluations of different installations", () => {
  it("never share a query, and each query goes with its own installation's token", async () => {
    const gh = await startGitHub({ zetaInstallation: 2 });
    const acme = blocked(gh, "acme");
    const zeta = ready(gh, "zeta");

    const delivered = await deliverTogether(gh, [acme, zeta]);

    expect(delivered.runs[0]?.conclusion).toBe("failure");
    expect(delivered.runs[1]).toMatchObject({ conclusion: "success", title: "Ready" });
    expect(delivered.queries.length).toBeGreaterThan(0);
    for (const query of delivered.queries) {
      // One owner, hence one installation, per query, sent with that installation's token.
      expect(ownersOf(query)).toHaveLength(1);
      expect(query.installation).toBe(ownersOf(query)[0] === "acme" ? 1 : 2);
    }
    // Each installation asked its own questions (the stand-in refuses a token beyond its reach,
    // which deliverTogether would have reported as a violation).
    const byInstallation = (id: number) => delivered.queries.filter((q) => q.installation === id);
    expect(byInstallation(1).length).toBeGreaterThan(0);
    expect(byInstallation(2).length).toBeGreaterThan(0);
  });
});
