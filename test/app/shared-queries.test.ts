// Evaluations of one installation share GraphQL queries (SharedQueries, keyed by installation):
// two pull_request webhooks received together, for repositories of one installation and of two,
// against a GitHub of several repositories built from one FakeGitHub per repository.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { executeGitHubQuery, githubError } from "../support/github-graphql-schema.js";
import { APP_ID, FakeGitHub, HEAD_SHA, type Scenario } from "./fake-github.js";
import { createTestApp, type Payload, pullRequestPayload } from "./harness.js";
import { headFiles, POLICY, results, TEAMS } from "./repository.js";

afterEach(() => {
  nock.cleanAll();
});

/** The token GitHub mints for an installation: every request of it must carry this one. */
const tokenOf = (installation: number) => `ghs_installation_${installation}`;

interface GraphQLPost {
  authorization: string | undefined;
  /** The repositories (`owner/name`) the query asks about. */
  repositories: string[];
  /** Every owner or organisation the query names. */
  owners: string[];
  questions: number;
}

/**
 * GitHub with several repositories, each a FakeGitHub (its own installation), behind one nock
 * interceptor: REST calls go to the repository's fake, GraphQL queries are executed over all of
 * them, installation tokens are minted per installation. Records every GraphQL POST and every
 * request sent with a token other than its repository's installation's.
 */
class FakeInstallations {
  readonly posts: GraphQLPost[] = [];
  readonly wrongToken: string[] = [];
  readonly unhandled: string[] = [];

  constructor(readonly fakes: FakeGitHub[]) {
    const scope = nock("https://api.github.com").persist();
    const router = this;
    for (const method of ["get", "post", "patch"] as const) {
      scope[method](/.*/).reply(function (uri, body) {
        return router.dispatch(method.toUpperCase(), uri, body, this.req.headers.authorization);
      });
    }
  }

  private dispatch(method: string, uri: string, body: unknown, authorization: string | undefined) {
    const path = decodeURIComponent(new URL(uri, "https://api.github.com").pathname);
    const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === "POST" && token) {
      return [
        201,
        {
          token: tokenOf(Number(token[1])),
          expires_at: "2099-01-01T00:00:00Z",
          permissions: {},
          repository_selection: "all",
        },
      ];
    }
    if (method === "GET" && path === "/app") {
      return [200, { id: APP_ID, slug: "readiness-gate", name: "Readiness Gate" }];
    }
    if (method === "POST" && path === "/graphql") return this.graphql(body, authorization);
    const [, owner, repo] = /^\/repos\/([^/]+)\/([^/]+)\//.exec(path) ?? [];
    const fake = owner && repo ? this.fakeOf(owner, repo) : undefined;
    if (!fake) {
      this.unhandled.push(`${method} ${path}`);
      return [599, { message: `no fake for ${method} ${path}` }];
    }
    if (authorization !== `token ${tokenOf(fake.installation)}`) {
      this.wrongToken.push(`${method} ${path} with ${authorization}`);
    }
    return fake.dispatch(method, uri, body);
  }

  /** The fake of a repository; an owner's `.github` repository (its org policy) is any of its fakes'. */
  private fakeOf(owner: string, repo: string): FakeGitHub | undefined {
    return (
      this.fakes.find((f) => f.owner === owner && f.repo === repo) ??
      (repo === ".github" ? this.fakes.find((f) => f.owner === owner) : undefined)
    );
  }

  private graphql(body: unknown, authorization: string | undefined) {
    const request = (typeof body === "string" ? JSON.parse(body) : body) as {
      query: string;
      variables: Record<string, string>;
    };
    const { variables } = request;
    const repositories: string[] = [];
    const owners = new Set<string>();
    for (const [key, value] of Object.entries(variables)) {
      const [, question, name] = /^(q\d+)_(owner|org)$/.exec(key) ?? [];
      if (!question) continue;
      owners.add(value);
      if (name === "owner") repositories.push(`${value}/${variables[`${question}_name`]}`);
    }
    this.posts.push({
      authorization,
      repositories: repositories.sort(),
      owners: [...owners].sort(),
      questions: request.query.match(/^\s*q\d+: /gm)?.length ?? 0,
    });
    const installations = new Set(
      [...owners].map((o) => this.fakes.find((f) => f.owner === o)?.installation),
    );
    for (const installation of installations) {
      if (installation === undefined || authorization !== `token ${tokenOf(installation)}`) {
        this.wrongToken.push(`POST /graphql about ${[...owners]} with ${authorization}`);
      }
    }
    const root = (owner: string, name?: string) => {
      const fake = name === undefined ? this.fakes.find((f) => f.owner === owner) : this.fakeOf(owner, name);
      if (!fake) throw githubError("NOT_FOUND", `Could not resolve to ${owner}${name ? `/${name}` : ""}.`);
      return fake.graphql();
    };
    const { response, invalid } = executeGitHubQuery(request, {
      repository: (args: { owner: string; name: string }) => root(args.owner, args.name).repository(args),
      organization: (args: { login: string }) => root(args.login).organization(args),
      repositoryOwner: (args: { login: string }) => root(args.login).repositoryOwner(args),
    });
    if (invalid) this.unhandled.push(`POST /graphql: ${invalid}`);
    return [200, response];
  }
}

interface Repository {
  owner: string;
  repo: string;
  installation: number;
  scenario: Scenario;
}

const fakeOf = ({ scenario, ...location }: Repository) =>
  new FakeGitHub(scenario, { ...location, intercept: false });

/** A pull_request webhook for PR #7 of the repository, delivered for its installation. */
function pullPayload({ owner, repo, installation }: Repository): Payload {
  const payload = pullRequestPayload("opened");
  payload.installation.id = installation;
  Object.assign(payload.repository, { name: repo, full_name: `${owner}/${repo}` });
  payload.repository.owner.login = owner;
  payload.pull_request.html_url = `https://github.com/${owner}/${repo}/pull/7`;
  return payload;
}

/** The check run posted on the repository's head: what a user sees. */
function checkRunOf(fake: FakeGitHub) {
  const runs = fake.called("POST", `/repos/${fake.owner}/${fake.repo}/check-runs`);
  expect(runs).toHaveLength(1);
  const { body } = runs[0] as { body: Payload };
  return {
    head_sha: body.head_sha,
    conclusion: body.conclusion,
    title: body.output.title,
    summary: body.output.summary,
    details_url: body.details_url,
  };
}

// acme/app: the model changed without its rollback plan, so it is blocked.
const blocked = (owner: string, installation: number): Repository => ({
  owner,
  repo: "app",
  installation,
  scenario: {
    base: files(owner),
    head: files(owner, { "models/churn/model.py": "weights = 2\n", "models/churn/ROLLBACK.md": undefined }),
    teams: teamsOf(owner),
  },
});

// models: complete evidence and a compliance approval of the head, so it is ready.
const ready = (owner: string, installation: number): Repository => ({
  owner,
  repo: "models",
  installation,
  scenario: {
    base: files(owner),
    head: files(owner, {
      "models/churn/model.py": "weights = 2\n",
      "models/churn/eval/results.json": results(0.95),
    }),
    teams: teamsOf(owner),
    reviews: [{ user: "carol", state: "APPROVED", commit_id: HEAD_SHA }],
  },
});

/** The sample repository with some files changed or removed, its policy naming the owner's own teams. */
function files(owner: string, changes: Record<string, string | undefined> = {}) {
  return headFiles({ ".github/readiness.yml": POLICY.replaceAll("@acme/", `@${owner}/`), ...changes });
}
function teamsOf(owner: string) {
  return Object.fromEntries(
    Object.entries(TEAMS).map(([team, members]) => [team.replace("acme/", `${owner}/`), members]),
  );
}

/** Delivers the repositories' webhooks together to a fresh app; returns the GitHub they met. */
async function deliverTogether(repositories: Repository[], options: { shareQueries?: boolean } = {}) {
  const github = new FakeInstallations(repositories.map(fakeOf));
  const app = await createTestApp(options);
  await Promise.all(
    repositories.map((r) =>
      app.probot.receive({
        id: `${r.owner}/${r.repo}`,
        name: "pull_request",
        payload: pullPayload(r),
      } as never),
    ),
  );
  nock.cleanAll();
  return github;
}

describe("evaluations of one installation", () => {
  it("share GraphQL queries: two webhooks together cost fewer queries than apart, and each check run is right", async () => {
    const app = blocked("acme", 1);
    const models = ready("acme", 1);
    // Each evaluation alone, on a fresh app: what it costs and what it posts.
    const aloneApp = await deliverTogether([app]);
    const aloneModels = await deliverTogether([models]);
    const [appRun, modelsRun] = [
      checkRunOf(aloneApp.fakes[0] as FakeGitHub),
      checkRunOf(aloneModels.fakes[0] as FakeGitHub),
    ];
    expect(appRun).toMatchObject({
      conclusion: "failure",
      head_sha: HEAD_SHA,
      details_url: "https://github.com/acme/app/pull/7",
    });
    expect(modelsRun).toMatchObject({
      conclusion: "success",
      title: "Ready",
      details_url: "https://github.com/acme/models/pull/7",
    });
    expect([...aloneApp.unhandled, ...aloneModels.unhandled]).toEqual([]);
    const apart = aloneApp.posts.length + aloneModels.posts.length;

    const together = await deliverTogether([app, models]);

    // The same check runs, each on its own repository...
    const [appFake, modelsFake] = together.fakes as [FakeGitHub, FakeGitHub];
    expect(checkRunOf(appFake)).toEqual(appRun);
    expect(checkRunOf(modelsFake)).toEqual(modelsRun);
    // ...for fewer queries: at least one carried questions of both evaluations.
    expect(together.posts.length).toBeLessThan(apart);
    expect(
      together.posts.some(
        (p) => p.repositories.includes("acme/app") && p.repositories.includes("acme/models"),
      ),
    ).toBe(true);
    expect(together.wrongToken).toEqual([]);
    expect(together.unhandled).toEqual([]);
  });

  it("ask alone with shareQueries: false, for the same check runs", async () => {
    const app = blocked("acme", 1);
    const models = ready("acme", 1);
    const shared = await deliverTogether([app, models]);

    const unshared = await deliverTogether([app, models], { shareQueries: false });

    expect(unshared.posts.length).toBeGreaterThan(shared.posts.length);
    const mixed = unshared.posts.filter(
      (p) => p.repositories.includes("acme/app") && p.repositories.includes("acme/models"),
    );
    expect(mixed).toEqual([]);
    const [appFake, modelsFake] = unshared.fakes as [FakeGitHub, FakeGitHub];
    expect(checkRunOf(appFake)).toEqual(checkRunOf(shared.fakes[0] as FakeGitHub));
    expect(checkRunOf(modelsFake)).toEqual(checkRunOf(shared.fakes[1] as FakeGitHub));
  });
});

describe("evaluations of different installations", () => {
  it("never share a query, and each query goes with its own installation's token", async () => {
    const acme = blocked("acme", 1);
    const zeta = ready("zeta", 2);

    const github = await deliverTogether([acme, zeta]);

    expect(checkRunOf(github.fakes[0] as FakeGitHub).conclusion).toBe("failure");
    expect(checkRunOf(github.fakes[1] as FakeGitHub)).toMatchObject({
      conclusion: "success",
      title: "Ready",
    });
    expect(github.posts.length).toBeGreaterThan(0);
    for (const post of github.posts) {
      // One owner, hence one installation, per query, sent with that installation's token.
      expect(post.owners).toHaveLength(1);
      expect(post.authorization).toBe(`token ${tokenOf(post.owners[0] === "acme" ? 1 : 2)}`);
    }
    expect(github.posts.some((p) => p.owners[0] === "acme")).toBe(true);
    expect(github.posts.some((p) => p.owners[0] === "zeta")).toBe(true);
    expect(github.wrongToken).toEqual([]);
    expect(github.unhandled).toEqual([]);
  });
});
