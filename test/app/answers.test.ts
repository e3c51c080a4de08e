// The app's own GraphQL questions (which PRs share a head, our run on it) are parsed like the
// facts': an answer of the wrong shape fails with the field named, and is never read as "no other
// PR on this commit" — which would let a decoy PR's pass stand on a shared head.
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPullsWithHead } from "../../src/app/head-pulls.js";
import { GitHubClient } from "../../src/facts/github-client.js";
import { GraphQLBatcher } from "../../src/facts/github-graphql.js";

const TestOctokit = ProbotOctokit.defaults((options: object) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
const HEAD = "c".repeat(40);
const repo = { owner: "acme", repo: "models" };

function answering(pullRequests: unknown) {
  nock("https://api.github.com")
    .post("/graphql")
    .reply(200, { data: { q0: { pullRequests } } });
  const client = new GitHubClient(new TestOctokit({ auth: { token: "test" } }), repo);
  return new GraphQLBatcher(client);
}

const page = (nodes: unknown[]) => ({
  totalCount: nodes.length,
  pageInfo: { hasNextPage: false, endCursor: null },
  nodes,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("the open pull requests on a head", () => {
  it("lists every open PR whose head is the commit", async () => {
    const batch = answering(
      page([
        { number: 1, headRefOid: HEAD },
        { number: 2, headRefOid: "d".repeat(40) },
        { number: 3, headRefOid: HEAD },
      ]),
    );
    await expect(openPullsWithHead(batch, repo, HEAD)).resolves.toEqual([1, 3]);
  });

  it("fails, naming the field, when GitHub's answer leaves out a PR's head", async () => {
    const batch = answering(page([{ number: 1, headRefOid: HEAD }, { number: 2 }]));
    await expect(openPullsWithHead(batch, repo, HEAD)).rejects.toThrow(
      /repository\.pullRequests\.nodes\[1\]\.headRefOid: expected string/,
    );
  });
});
