// GraphQL questions shared across evaluations (GraphQLBatcher with a SharedBatch): what several
// evaluations of one installation ask in the same turn travels in one POST, answered against
// GitHub's real schema (executeGitHubQuery), each question getting its own data and errors.
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { readinessOctokit } from "../../src/app/github/octokit.js";
import { GitHubClient, type GitHubOctokit } from "../../src/facts/github-client.js";
import {
  type Answer,
  GraphQLBatcher,
  QUESTIONS_PER_QUERY,
  SharedQueries,
} from "../../src/facts/github-graphql.js";
import { executeGitHubQuery, githubError } from "../support/github-graphql-schema.js";

// nock intercepts Node's http client and global fetch, not undici's own connections: here the app's
// Octokit sends through the global fetch (http-fetch.test.ts tests the real one on a local server).
vi.mock("../../src/app/github/http-fetch.js", () => ({
  githubFetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
}));

const API = "https://api.github.com";

const ProbotTestOctokit = ProbotOctokit.defaults((options: object) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
/** The app's own Octokit: the limits plugin and Node's http client (bodies as Node streams). */
const ReadinessTestOctokit = readinessOctokit({ sleep: async () => {} });
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

type OctokitKind = "ProbotOctokit" | "readinessOctokit";

function octokit(token: string, options: { baseUrl?: string; kind?: OctokitKind } = {}): GitHubOctokit {
  const { baseUrl = API, kind = "ProbotOctokit" } = options;
  const Octokit = kind === "ProbotOctokit" ? ProbotTestOctokit : ReadinessTestOctokit;
  return new Octokit({ auth: { token }, baseUrl, log: silent }) as unknown as GitHubOctokit;
}

/** An evaluation's client of `owner/repo`, its requests sent with `token`. */
function client(token: string, repo: string, options: { baseUrl?: string; kind?: OctokitKind } = {}) {
  const [owner = "", name = ""] = repo.split("/");
  return new GitHubClient(octokit(token, options), { owner, repo: name });
}

/** An evaluation of `owner/repo` in installation `installation`, sharing `queries`; its token names its owner. */
function sharedBatcher(
  queries: SharedQueries,
  repo: string,
  installation = 1,
  options: { kind?: OctokitKind } = {},
): GraphQLBatcher {
  return new GraphQLBatcher(client(`ghs_${repo.split("/")[0]}`, repo, options), {
    queries,
    installation: `installation ${installation}`,
  });
}

interface Post {
  query: string;
  variables: Record<string, unknown>;
  authorization: string | undefined;
}

/** How many questions (`q<i>: …` aliases) a query holds. */
const questionsIn = (post: Post) => post.query.match(/^\s*q\d+: /gm)?.length ?? 0;
/** The repositories a query asks about, as `owner/name`. */
function repositoriesIn(post: Post): string[] {
  const repos: string[] = [];
  for (const [key, owner] of Object.entries(post.variables)) {
    const question = /^(q\d+)_owner$/.exec(key)?.[1];
    if (question) repos.push(`${owner}/${post.variables[`${question}_name`]}`);
  }
  return repos.sort();
}

/**
 * GitHub's GraphQL endpoint over a small world: every repository of `acme` or `zeta` exists and
 * has pull request #1 only; `ghost`'s do not exist. Every POST is recorded with its token;
 * `answer` may replace the executor's answer for a query.
 */
function graphqlApi(
  options: { host?: string; path?: string; answer?: (post: Post) => [number, unknown] | undefined } = {},
) {
  const { host = API, path = "/graphql" } = options;
  const posts: Post[] = [];
  const invalid: string[] = [];
  const notFound = (what: string): never => {
    throw githubError("NOT_FOUND", `Could not resolve to ${what}.`);
  };
  const root = {
    repository: ({ owner, name }: { owner: string; name: string }) =>
      owner === "ghost"
        ? notFound(`a Repository with the name '${owner}/${name}'`)
        : {
            nameWithOwner: `${owner}/${name}`,
            pullRequest: ({ number }: { number: number }) =>
              number === 1
                ? { title: `First change to ${owner}/${name}` }
                : notFound(`a PullRequest with the number of ${number}`),
          },
  };
  const scope = nock(host)
    .persist()
    .post(path)
    .reply(function (_uri, body) {
      const post = {
        ...(body as Omit<Post, "authorization">),
        authorization: this.req.headers.authorization,
      };
      posts.push(post);
      const replaced = options.answer?.(post);
      if (replaced) return replaced;
      const answer = executeGitHubQuery(post, root);
      if (answer.invalid) invalid.push(answer.invalid);
      return [200, answer.response];
    });
  return { posts, invalid, scope };
}

const REPOSITORY = "repository(owner: $owner, name: $name) { nameWithOwner }";
const PULL_TITLE = "repository(owner: $owner, name: $name) { pullRequest(number: $number) { title } }";

function askRepository(batch: GraphQLBatcher, repo: string): Promise<Answer<{ nameWithOwner: string }>> {
  const [owner, name] = repo.split("/");
  return batch.ask(
    REPOSITORY,
    { owner: ["String!", owner], name: ["String!", name] },
    z.object({ nameWithOwner: z.string() }),
  );
}

function askPullTitle(
  batch: GraphQLBatcher,
  repo: string,
  number: number,
): Promise<Answer<{ pullRequest: { title: string } | null }>> {
  const [owner, name] = repo.split("/");
  return batch.ask(
    PULL_TITLE,
    { owner: ["String!", owner], name: ["String!", name], number: ["Int!", number] },
    z.object({ pullRequest: z.object({ title: z.string() }).nullable() }),
  );
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("shared GraphQL queries", () => {
  it.each<OctokitKind>(["ProbotOctokit", "readinessOctokit"])(
    "sends what two evaluations of one installation ask in the same turn as ONE query (%s)",
    async (kind) => {
      const api = graphqlApi();
      const queries = new SharedQueries();
      const one = client("ghs_acme", "acme/one", { kind });
      const two = client("ghs_acme", "acme/two", { kind });
      const first = new GraphQLBatcher(one, { queries, installation: "installation 1" });
      const second = new GraphQLBatcher(two, { queries, installation: "installation 1" });

      // Both evaluations ask with the same variable names ($owner, $name), about different repositories.
      const [a, b, c] = await Promise.all([
        askRepository(first, "acme/one"),
        askRepository(second, "acme/two"),
        askPullTitle(second, "acme/two", 1),
      ]);

      expect(api.posts).toHaveLength(1);
      expect(questionsIn(api.posts[0] as Post)).toBe(3);
      expect(repositoriesIn(api.posts[0] as Post)).toEqual(["acme/one", "acme/two", "acme/two"]);
      expect(api.invalid).toEqual([]);
      expect(a).toEqual({ data: { nameWithOwner: "acme/one" }, errors: [] });
      expect(b).toEqual({ data: { nameWithOwner: "acme/two" }, errors: [] });
      expect(c).toEqual({ data: { pullRequest: { title: "First change to acme/two" } }, errors: [] });
      // One request each: the query was sent by one and shared by the other.
      expect(one.requestCount()).toBe(1);
      expect(two.requestCount()).toBe(1);
    },
  );

  it("without a SharedBatch, shares a query only among one batcher's own questions", async () => {
    const api = graphqlApi();
    const one = client("ghs_acme", "acme/one");
    const two = client("ghs_acme", "acme/two");
    const first = new GraphQLBatcher(one);
    const second = new GraphQLBatcher(two);

    const answers = await Promise.all([
      askRepository(first, "acme/one"),
      askPullTitle(first, "acme/one", 1),
      askRepository(second, "acme/two"),
    ]);

    expect(api.posts).toHaveLength(2);
    expect(api.posts.map(repositoriesIn).sort()).toEqual([["acme/one", "acme/one"], ["acme/two"]]);
    expect(answers.map((a) => a.data)).toEqual([
      { nameWithOwner: "acme/one" },
      { pullRequest: { title: "First change to acme/one" } },
      { nameWithOwner: "acme/two" },
    ]);
    expect(one.requestCount()).toBe(1);
    expect(two.requestCount()).toBe(1);
  });

  it("never puts two installations' questions in one query; each goes with its own installation's token", async () => {
    const api = graphqlApi();
    const queries = new SharedQueries();
    const acme = client("ghs_acme", "acme/one");
    const zeta = client("ghs_zeta", "zeta/one");
    const acmeBatch = new GraphQLBatcher(acme, { queries, installation: "installation 1" });
    const zetaBatch = new GraphQLBatcher(zeta, { queries, installation: "installation 2" });

    const [a, z] = await Promise.all([
      askRepository(acmeBatch, "acme/one"),
      askRepository(zetaBatch, "zeta/one"),
    ]);

    expect(a.data).toEqual({ nameWithOwner: "acme/one" });
    expect(z.data).toEqual({ nameWithOwner: "zeta/one" });
    expect(api.posts).toHaveLength(2);
    const byToken = Object.fromEntries(api.posts.map((p) => [p.authorization, repositoriesIn(p)]));
    expect(byToken).toEqual({ "token ghs_acme": ["acme/one"], "token ghs_zeta": ["zeta/one"] });
    expect(acme.requestCount()).toBe(1);
    expect(zeta.requestCount()).toBe(1);
  });

  it("splits a turn of 120 questions into queries of 50, 50 and 20, and answers every question", async () => {
    expect(QUESTIONS_PER_QUERY).toBe(50);
    const api = graphqlApi();
    const queries = new SharedQueries();
    // Three evaluations asking 40 questions each, in this order: 1's, then 2's, then 3's.
    const clients = [1, 2, 3].map((n) => client("ghs_acme", `acme/repo-${n}`));
    const asked = clients.flatMap((c, n) => {
      const batch = new GraphQLBatcher(c, { queries, installation: "installation 1" });
      return Array.from({ length: 40 }, (_, i) => {
        const repo = `acme/repo-${n + 1}-${i}`;
        return askRepository(batch, repo).then((answer) => [repo, answer.data?.nameWithOwner]);
      });
    });

    const answers = await Promise.all(asked);

    expect(api.posts.map(questionsIn)).toEqual([50, 50, 20]);
    expect(api.invalid).toEqual([]);
    for (const [repo, answered] of answers) expect(answered).toBe(repo);
    // 1's 40 and 10 of 2's; 2's other 30 and 20 of 3's; 3's last 20: each counts its queries.
    expect(clients.map((c) => c.requestCount())).toEqual([1, 2, 2]);
  });

  it("fails every participant of a query GitHub answers with an error naming no question, and no other query", async () => {
    const api = graphqlApi({
      answer: (post) =>
        repositoriesIn(post).includes("acme/one")
          ? [
              200,
              {
                data: null,
                errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation ID 1." }],
              },
            ]
          : undefined,
    });
    const queries = new SharedQueries();
    const first = sharedBatcher(queries, "acme/one");
    const second = sharedBatcher(queries, "acme/two");
    const other = sharedBatcher(queries, "zeta/one", 2);

    const [a, b, z] = await Promise.allSettled([
      askRepository(first, "acme/one"),
      askRepository(second, "acme/two"),
      askRepository(other, "zeta/one"),
    ]);

    expect(api.posts).toHaveLength(2);
    const failure = new Error("GitHub GraphQL: API rate limit exceeded for installation ID 1.");
    expect(a).toEqual({ status: "rejected", reason: failure });
    expect(b).toEqual({ status: "rejected", reason: failure });
    expect(z).toEqual({ status: "fulfilled", value: { data: { nameWithOwner: "zeta/one" }, errors: [] } });
  });

  it("fails every question of a query whose error names no question, even beside data", async () => {
    graphqlApi({
      answer: (post) => [
        200,
        {
          data: Object.fromEntries(repositoriesIn(post).map((repo, i) => [`q${i}`, { nameWithOwner: repo }])),
          errors: [{ message: "Timeout on validation of query" }],
        },
      ],
    });
    const queries = new SharedQueries();
    const first = sharedBatcher(queries, "acme/one");
    const second = sharedBatcher(queries, "acme/two");

    const settled = await Promise.allSettled([
      askRepository(first, "acme/one"),
      askRepository(second, "acme/two"),
    ]);

    expect(settled).toEqual([
      { status: "rejected", reason: new Error("GitHub GraphQL: Timeout on validation of query") },
      { status: "rejected", reason: new Error("GitHub GraphQL: Timeout on validation of query") },
    ]);
  });

  it("gives a question's own NOT_FOUND error to that question alone, its path relative to the question", async () => {
    const api = graphqlApi();
    const queries = new SharedQueries();
    const first = sharedBatcher(queries, "acme/one");
    const second = sharedBatcher(queries, "acme/two");

    const [a, missingPull, missingRepo, b] = await Promise.all([
      askRepository(first, "acme/one"),
      askPullTitle(first, "acme/one", 9),
      askRepository(second, "ghost/two"),
      askPullTitle(second, "acme/two", 1),
    ]);

    expect(api.posts).toHaveLength(1);
    expect(api.invalid).toEqual([]);
    expect(a).toEqual({ data: { nameWithOwner: "acme/one" }, errors: [] });
    expect(b).toEqual({ data: { pullRequest: { title: "First change to acme/two" } }, errors: [] });
    expect(missingPull.data).toEqual({ pullRequest: null });
    expect(missingPull.errors).toEqual([
      expect.objectContaining({
        type: "NOT_FOUND",
        path: ["pullRequest"],
        message: "Could not resolve to a PullRequest with the number of 9.",
      }),
    ]);
    expect(missingRepo.data).toBeNull();
    expect(missingRepo.errors).toEqual([
      expect.objectContaining({
        type: "NOT_FOUND",
        path: [],
        message: "Could not resolve to a Repository with the name 'ghost/two'.",
      }),
    ]);
  });

  it("posts to /api/graphql on GitHub Enterprise Server", async () => {
    const GHES = "https://github.example.com";
    const api = graphqlApi({ host: GHES, path: "/api/graphql" });
    const v3 = nock(GHES).post("/api/v3/graphql").reply(404, { message: "Not Found" });
    const queries = new SharedQueries();
    const baseUrl = `${GHES}/api/v3`;
    const one = client("ghs_acme", "acme/one", { baseUrl });
    const two = client("ghs_acme", "acme/two", { baseUrl });

    const answers = await Promise.all([
      askRepository(new GraphQLBatcher(one, { queries, installation: "installation 1" }), "acme/one"),
      askRepository(new GraphQLBatcher(two, { queries, installation: "installation 1" }), "acme/two"),
    ]);

    expect(answers.map((a) => a.data)).toEqual([
      { nameWithOwner: "acme/one" },
      { nameWithOwner: "acme/two" },
    ]);
    expect(api.posts).toHaveLength(1);
    expect(v3.isDone()).toBe(false);
  });

  it.each<OctokitKind>(["ProbotOctokit", "readinessOctokit"])(
    "rejects every question of a 200 whose body is not JSON (%s)",
    async (kind) => {
      nock(API).post("/graphql").reply(200, "<html>Unicorn! This page is taking too long to load.</html>", {
        "content-type": "text/html",
      });
      const queries = new SharedQueries();
      const first = sharedBatcher(queries, "acme/one", 1, { kind });
      const second = sharedBatcher(queries, "acme/two", 1, { kind });

      const settled = await Promise.allSettled([
        askRepository(first, "acme/one"),
        askRepository(second, "acme/two"),
      ]);

      for (const outcome of settled) {
        expect(outcome.status).toBe("rejected");
        const reason = (outcome as PromiseRejectedResult).reason as Error;
        // Committed wording: "GitHub GraphQL: the answer is not JSON (<first 80 characters>)".
        expect(reason).toBeInstanceOf(Error);
        expect(reason).not.toBeInstanceOf(SyntaxError);
        expect(reason.message).toMatch(/not JSON \(<html>Unicorn! This page is taking too long/);
      }
    },
  );

  const TIMEOUT = {
    data: null,
    errors: [
      {
        message:
          "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.",
      },
    ],
  };

  it("asks again in two halves when GitHub's answer is its query timeout, and every question gets its answer", async () => {
    let timeouts = 1;
    const api = graphqlApi({ answer: () => (timeouts-- > 0 ? [200, TIMEOUT] : undefined) });
    const queries = new SharedQueries();
    const batches = ["acme/one", "acme/two", "acme/three", "acme/four"].map((repo) =>
      sharedBatcher(queries, repo),
    );

    const answers = await Promise.all(
      batches.map((batch, i) =>
        askRepository(batch, ["acme/one", "acme/two", "acme/three", "acme/four"][i] as string),
      ),
    );

    expect(answers.map((a) => a.data?.nameWithOwner)).toEqual([
      "acme/one",
      "acme/two",
      "acme/three",
      "acme/four",
    ]);
    // The timed-out query of 4, then its two halves.
    expect(api.posts.map(questionsIn)).toEqual([4, 2, 2]);
    expect(api.invalid).toEqual([]);
  });

  it("fails the questions, saying why, when GitHub keeps timing out", async () => {
    const api = graphqlApi({ answer: () => [200, TIMEOUT] });
    const batch = new GraphQLBatcher(client("ghs_acme", "acme/one"));

    await expect(askRepository(batch, "acme/one")).rejects.toThrow(/GitHub GraphQL: Something went wrong/);
    // The query, then twice more (a single question cannot be halved).
    expect(api.posts).toHaveLength(3);
  });
});

describe("a shared query's answers, parsed by each question's schema", () => {
  it("fails only the question whose answer is misshapen, naming the field", async () => {
    const api = graphqlApi({
      answer: () => [200, { data: { q0: { nameWithOwner: 7 }, q1: { nameWithOwner: "zeta/b" } } }],
    });
    const queries = new SharedQueries();
    const named = z.object({ nameWithOwner: z.string() });
    const ask = (repo: string) => {
      const [owner, name] = repo.split("/");
      return sharedBatcher(queries, repo).ask(
        REPOSITORY,
        { owner: ["String!", owner], name: ["String!", name] },
        named,
      );
    };

    const [first, second] = await Promise.allSettled([ask("acme/a"), ask("zeta/b")]);

    expect(api.posts).toHaveLength(1);
    expect(first).toMatchObject({
      status: "rejected",
      reason: {
        message:
          "GitHub's answer is not in the expected shape at repository.nameWithOwner: expected string, received number",
      },
    });
    expect(second).toEqual({ status: "fulfilled", value: { data: { nameWithOwner: "zeta/b" }, errors: [] } });
  });
});
