// The stand-in's GraphQL endpoint: graphql-js over GitHub's published schema, answered from state.
import { Octokit } from "@octokit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { type GraphQLBody, postGraphQL } from "./clients.js";

let gh: GitHubStandIn;

beforeAll(async () => {
  gh = await startGitHubStandIn();
});

afterAll(async () => {
  await gh?.close();
});

beforeEach(() => {
  gh.clearLog();
});

type Body = GraphQLBody;

const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(gh, query, variables);

describe("valid queries", () => {
  it("answers repository, refs, git objects and a pull request from the state", async () => {
    gh.addUser("dev", { name: "Dev Eloper" });
    const repo = gh.addRepo("acme/valid", { files: { "README.md": "# Hi\n", "docs/a.md": "a\n" } });
    const base = gh.resolveRef(repo, "main") as string;
    gh.addTag(repo, "v1", base);
    const pr = gh.openPullRequest(repo, {
      head: "feature",
      user: "dev",
      files: { "docs/a.md": "a\nb\n", "new.txt": "new\n", "README.md": null },
    });
    const review = gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED", body: "ok" });

    const client = new Octokit({ baseUrl: gh.baseUrl, auth: gh.installationToken });
    const result = await client.graphql<Body["data"]>(
      `query ($owner: String!, $name: String!, $number: Int!) {
        rateLimit { limit cost remaining used resetAt nodeCount }
        repository(owner: $owner, name: $name) {
          id name nameWithOwner isPrivate owner { __typename login }
          defaultBranchRef { name target { oid } }
          tag: ref(qualifiedName: "refs/tags/v1") { name prefix target { oid } }
          nothing: ref(qualifiedName: "refs/heads/none") { name }
          head: object(expression: "HEAD") {
            ... on Commit {
              oid message tree { entries { name path type mode oid } }
              file(path: "docs/a.md") { name path oid object { ... on Blob { text } } }
            }
          }
          docs: object(expression: "main:docs") { __typename ... on Tree { entries { name extension size } } }
          pullRequest(number: $number) {
            number state baseRefName headRefOid baseRefOid author { login }
            files(first: 10) { totalCount nodes { path changeType additions deletions } }
            reviews(first: 10) { nodes { author { login } state submittedAt commit { oid } body } }
            commits(first: 10) { totalCount nodes { commit { oid author { user { login } } committer { user { login } } } } }
          }
        }
      }`,
      { owner: "acme", name: "valid", number: pr.number },
    );

    expect(result.rateLimit).toMatchObject({ limit: 5000, cost: 1, remaining: 4999 });
    const r = result.repository;
    expect(r).toMatchObject({
      name: "valid",
      nameWithOwner: "acme/valid",
      isPrivate: true,
      owner: { __typename: "Organization", login: "acme" },
      defaultBranchRef: { name: "main", target: { oid: base } },
      tag: { name: "v1", prefix: "refs/tags/", target: { oid: base } },
      nothing: null,
    });
    expect(r.head.oid).toBe(base);
    expect(r.head.tree.entries.map((e: { path: string; type: string }) => [e.path, e.type])).toEqual([
      ["README.md", "blob"],
      ["docs", "tree"],
    ]);
    expect(r.head.tree.entries[0].mode).toBe(0o100644);
    expect(r.head.file).toMatchObject({ name: "a.md", path: "docs/a.md", object: { text: "a\n" } });
    expect(r.docs).toEqual({ __typename: "Tree", entries: [{ name: "a.md", extension: ".md", size: 2 }] });

    expect(r.pullRequest).toMatchObject({
      number: pr.number,
      state: "OPEN",
      baseRefName: "main",
      headRefOid: pr.head.sha,
      baseRefOid: base,
      author: { login: "dev" },
    });
    expect(r.pullRequest.files).toEqual({
      totalCount: 3,
      nodes: [
        { path: "README.md", changeType: "DELETED", additions: 0, deletions: 1 },
        { path: "docs/a.md", changeType: "MODIFIED", additions: 1, deletions: 0 },
        { path: "new.txt", changeType: "ADDED", additions: 1, deletions: 0 },
      ],
    });
    expect(r.pullRequest.reviews.nodes).toEqual([
      {
        author: { login: "carol" },
        state: "APPROVED",
        submittedAt: review.submitted_at,
        commit: { oid: pr.head.sha },
        body: "ok",
      },
    ]);
    expect(r.pullRequest.commits).toEqual({
      totalCount: 1,
      nodes: [
        {
          commit: {
            oid: pr.head.sha,
            author: { user: { login: "dev" } },
            committer: { user: { login: "dev" } },
          },
        },
      ],
    });
    expect(gh.violations).toEqual([]);
    expect(gh.unhandled).toEqual([]);
  });

  it("lists a GitHub App's comment author as a Bot whose login has no [bot] suffix", async () => {
    gh.addRepo("acme/bot", { files: { "a.txt": "a\n" } });
    const pr = gh.openPullRequest("acme/bot", { head: "f", user: "dev", files: { "a.txt": "b\n" } });
    gh.addIssueComment("acme/bot", pr.number, { user: "dev", body: "first" });
    const posted = await fetch(`${gh.baseUrl}/repos/acme/bot/issues/${pr.number}/comments`, {
      method: "POST",
      headers: { authorization: `token ${gh.installationToken}`, "content-type": "application/json" },
      body: JSON.stringify({ body: "<!-- readiness-gate -->" }),
    });
    const rest = (await posted.json()) as { id: number; user: { login: string; type: string } };
    expect(rest.user).toMatchObject({ login: "readiness-gate[bot]", type: "Bot" });

    const { data } = await gql(
      `query ($number: Int!) { repository(owner: "acme", name: "bot") { pullRequest(number: $number) {
        comments(last: 1) {
          totalCount
          pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
          nodes { author { __typename login } body createdAt databaseId }
        }
      } } }`,
      { number: pr.number },
    );
    const comments = data.repository.pullRequest.comments;
    expect(comments.totalCount).toBe(2);
    expect(comments.nodes).toEqual([
      {
        author: { __typename: "Bot", login: "readiness-gate" },
        body: "<!-- readiness-gate -->",
        createdAt: expect.any(String),
        databaseId: rest.id,
      },
    ]);
    expect(comments.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const older = await gql(
      `query ($number: Int!, $before: String) { repository(owner: "acme", name: "bot") {
        pullRequest(number: $number) { comments(last: 10, before: $before) { nodes { author { __typename login } body } } }
      } }`,
      { number: pr.number, before: comments.pageInfo.startCursor },
    );
    expect(older.data.repository.pullRequest.comments.nodes).toEqual([
      { author: { __typename: "User", login: "dev" }, body: "first" },
    ]);
    expect(gh.violations).toEqual([]);
  });
});

describe("queries GitHub rejects", () => {
  it("rejects an unknown field without data and records a violation", async () => {
    const query = `{ repository(owner: "acme", name: "valid") { nameWithOwner colour } }`;
    const body = await gql(query);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'colour' doesn't exist on type 'Repository'",
        locations: [{ line: 1, column: query.indexOf("colour") + 1 }],
        extensions: { code: "undefinedField", typeName: "Repository", fieldName: "colour" },
      },
    ]);
    expect(gh.violations).toEqual([
      {
        method: "POST",
        path: "/api/graphql",
        route: "POST /graphql",
        status: 200,
        reason: "GraphQL: Field 'colour' doesn't exist on type 'Repository'",
      },
    ]);
  });

  it("rejects syntax errors, wrong argument types and variables that do not coerce", async () => {
    const syntax = await gql(`{ repository(owner: "acme", name: "valid") { name `);
    expect(syntax.data).toBeUndefined();
    expect(syntax.errors?.[0]?.message).toMatch(/^Syntax Error/);

    const argument = await gql(
      `{ repository(owner: "acme", name: "valid") { pullRequest(number: "1") { id } } }`,
    );
    expect(argument.errors?.[0]?.message).toMatch(/Int cannot represent non-integer value: "1"/);

    const missing = await gql(`{ repository(owner: "acme") { name } }`);
    expect(missing.errors?.[0]?.message).toBe("Field 'repository' is missing required arguments: name");

    const variables = await gql(
      `query ($n: Int!) { repository(owner: "acme", name: "valid") { pullRequest(number: $n) { id } } }`,
      {
        n: "one",
      },
    );
    expect(variables.data).toBeUndefined();
    expect(variables.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value "one"/);
    expect(gh.violations.map((v) => v.reason)).toEqual([
      expect.stringMatching(/^GraphQL: Syntax Error/),
      expect.stringMatching(/Int cannot represent/),
      "GraphQL: Field 'repository' is missing required arguments: name",
      expect.stringMatching(/Variable "\$n" got invalid value/),
    ]);
  });

  it("answers a valid field the stand-in lacks with an error and marks the request unhandled", async () => {
    gh.findRepo("acme/valid") ?? gh.addRepo("acme/valid", { files: { "a.txt": "a\n" } });
    const body = await gql(`{ repository(owner: "acme", name: "valid") { name stargazerCount } }`);
    expect(body.data).toEqual({ repository: null });
    expect(body.errors?.[0]).toMatchObject({
      type: "STAND_IN_NOT_IMPLEMENTED",
      path: ["repository", "stargazerCount"],
      message: expect.stringContaining("does not implement Repository.stargazerCount"),
    });
    expect(gh.unhandled.map((r) => r.route)).toEqual(["POST /graphql"]);
    expect(gh.violations).toEqual([]);
  });
});

describe("NOT_FOUND", () => {
  it("nulls an unknown repository with a NOT_FOUND error and still answers the other fields", async () => {
    gh.addRepo("acme/found", { files: { "a.txt": "a\n" } });
    const body = await gql(`{
      a: repository(owner: "acme", name: "found") { nameWithOwner }
      b: repository(owner: "acme", name: "gone") { nameWithOwner }
      org: organization(login: "nobody-org") { login }
      user: user(login: "acme") { login }
      owner: repositoryOwner(login: "nobody-at-all") { login }
      acme: repositoryOwner(login: "acme") { __typename login }
    }`);
    expect(body.data).toEqual({
      a: { nameWithOwner: "acme/found" },
      b: null,
      org: null,
      user: null,
      owner: null,
      acme: { __typename: "Organization", login: "acme" },
    });
    expect(body.errors).toEqual([
      {
        type: "NOT_FOUND",
        path: ["b"],
        locations: [{ line: 3, column: 7 }],
        message: "Could not resolve to a Repository with the name 'acme/gone'.",
      },
      {
        type: "NOT_FOUND",
        path: ["org"],
        locations: [{ line: 4, column: 7 }],
        message: "Could not resolve to an Organization with the login of 'nobody-org'.",
      },
      {
        type: "NOT_FOUND",
        path: ["user"],
        locations: [{ line: 5, column: 7 }],
        message: "Could not resolve to a User with the login of 'acme'.",
      },
    ]);
    // Asking about something that does not exist is not a mistake of the app.
    expect(gh.violations).toEqual([]);
  });
});

describe("connections", () => {
  it("pages with first/after and last/before cursors, and refuses unbounded or oversized pages", async () => {
    gh.addRepo("acme/paging", { files: { "keep.txt": "k\n" } });
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, `${i}\n`]));
    const pr = gh.openPullRequest("acme/paging", { head: "five", user: "dev", files });
    const page = async (args: string) =>
      (
        await gql(
          `query ($n: Int!) { repository(owner: "acme", name: "paging") { pullRequest(number: $n) {
          files(${args}) { totalCount pageInfo { hasNextPage endCursor hasPreviousPage startCursor } nodes { path } }
        } } }`,
          { n: pr.number },
        )
      ).data.repository.pullRequest.files;

    const first = await page("first: 2");
    expect(first.totalCount).toBe(5);
    expect(first.nodes.map((n: { path: string }) => n.path)).toEqual(["f0.txt", "f1.txt"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await page(`first: 2, after: "${first.pageInfo.endCursor}"`);
    expect(second.nodes.map((n: { path: string }) => n.path)).toEqual(["f2.txt", "f3.txt"]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await page(`first: 2, after: "${second.pageInfo.endCursor}"`);
    expect(third.nodes.map((n: { path: string }) => n.path)).toEqual(["f4.txt"]);
    expect(third.pageInfo.hasNextPage).toBe(false);
    const back = await page(`last: 2, before: "${third.pageInfo.startCursor}"`);
    expect(back.nodes.map((n: { path: string }) => n.path)).toEqual(["f2.txt", "f3.txt"]);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: second.pageInfo.startCursor });
    expect(gh.violations).toEqual([]);

    // Counting needs no bounds; listing does.
    const count = await gql(
      `{ repository(owner: "acme", name: "paging") { pullRequest(number: ${pr.number}) { files { totalCount } } } }`,
    );
    expect(count.data.repository.pullRequest.files).toEqual({ totalCount: 5 });
    const unboundedQuery = `{ repository(owner: "acme", name: "paging") { pullRequest(number: ${pr.number}) { files { nodes { path } } } } }`;
    const unbounded = await gql(unboundedQuery);
    expect(unbounded.data.repository.pullRequest.files).toBeNull();
    expect(unbounded.errors).toEqual([
      {
        type: "MISSING_PAGINATION_BOUNDARIES",
        path: ["repository", "pullRequest", "files"],
        locations: [{ line: 1, column: unboundedQuery.indexOf("files") + 1 }],
        message: "You must provide a `first` or `last` value to properly paginate the `files` connection.",
      },
    ]);
    const oversized = await gql(
      `{ repository(owner: "acme", name: "paging") { pullRequest(number: ${pr.number}) { commits(first: 101) { nodes { commit { oid } } } } } }`,
    );
    // PullRequest.commits is non-null, so the error nulls the pull request.
    expect(oversized.data.repository.pullRequest).toBeNull();
    expect(oversized.errors?.[0]).toMatchObject({
      type: "EXCESSIVE_PAGINATION",
      message: "Requesting 101 records on the `commits` connection exceeds the `first` limit of 100 records.",
    });
    expect(gh.violations.map((v) => v.reason)).toEqual([
      expect.stringMatching(/^GraphQL MISSING_PAGINATION_BOUNDARIES: You must provide/),
      expect.stringMatching(/^GraphQL EXCESSIVE_PAGINATION: Requesting 101 records/),
    ]);
  });
});

describe("teams", () => {
  it("lists active team members matching a query, never pending ones", async () => {
    gh.addUser("alicia", { name: "Alicia Pending" });
    gh.addUser("zed", { name: "Alice Zed" });
    gh.addTeam("acme", "reviewers", {
      members: { alice: "active", alicia: "pending", bob: "active", zed: "active" },
      name: "Reviewers",
    });
    const members = async (query: string | null) =>
      (
        await gql(
          `query ($query: String) { organization(login: "acme") { login team(slug: "reviewers") {
            slug name members(query: $query, first: 10, membership: ALL) { totalCount pageInfo { hasNextPage } nodes { login } }
          } missing: team(slug: "nope") { slug } } }`,
          { query },
        )
      ).data.organization;

    const all = await members(null);
    expect(all.login).toBe("acme");
    expect(all.missing).toBeNull();
    expect(all.team).toMatchObject({ slug: "reviewers", name: "Reviewers" });
    expect(all.team.members.nodes.map((m: { login: string }) => m.login)).toEqual(["alice", "bob", "zed"]);
    // "ali" matches alice by login and zed by name ("Alice Zed"); alicia is only invited.
    const ali = (await members("ALI")).team.members;
    expect(ali).toEqual({
      totalCount: 2,
      pageInfo: { hasNextPage: false },
      nodes: [{ login: "alice" }, { login: "zed" }],
    });
    expect(gh.violations).toEqual([]);
  });
});

describe("checks", () => {
  it("lists check runs on a commit by app and name, latest run per name unless ALL", async () => {
    gh.addRepo("acme/checks", { files: { "a.txt": "a\n" } });
    const sha = gh.resolveRef("acme/checks", "main") as string;
    const old = gh.addCheckRun("acme/checks", { name: "readiness", head_sha: sha, conclusion: "failure" });
    const latest = gh.addCheckRun("acme/checks", {
      name: "readiness",
      head_sha: sha,
      conclusion: "success",
      external_id: "ext-1",
      details_url: "https://example.com/details",
      output: {
        title: "Ready",
        summary: "All evidence present",
        text: "details",
        annotations: [
          { path: "a.txt", start_line: 1, end_line: 1, annotation_level: "notice", message: "n" },
        ],
      },
    });
    gh.addCheckRun("acme/checks", { name: "lint", head_sha: sha, status: "in_progress" });
    gh.addCheckRun("acme/checks", { name: "readiness", head_sha: sha, app_id: 99, conclusion: "neutral" });

    const suites = async (runFilter: string) =>
      (
        await gql(
          `query ($sha: GitObjectID!) { repository(owner: "acme", name: "checks") { object(oid: $sha) { ... on Commit {
            checkSuites(first: 10, filterBy: { appId: ${gh.app.id}, checkName: "readiness" }) {
              totalCount pageInfo { hasNextPage }
              nodes { app { databaseId slug } checkRuns(first: 10, filterBy: ${runFilter}) {
                totalCount pageInfo { hasNextPage endCursor }
                nodes { databaseId name status conclusion title summary text externalId detailsUrl annotations(first: 5) { totalCount } }
              } }
            }
          } } } }`,
          { sha },
        )
      ).data.repository.object.checkSuites;

    const byName = await suites(`{ checkName: "readiness" }`);
    expect(byName.totalCount).toBe(1);
    expect(byName.nodes[0].app).toEqual({ databaseId: gh.app.id, slug: "readiness-gate" });
    expect(byName.nodes[0].checkRuns.totalCount).toBe(1);
    expect(byName.nodes[0].checkRuns.nodes).toEqual([
      {
        databaseId: latest.id,
        name: "readiness",
        status: "COMPLETED",
        conclusion: "SUCCESS",
        title: "Ready",
        summary: "All evidence present",
        text: "details",
        externalId: "ext-1",
        detailsUrl: "https://example.com/details",
        annotations: { totalCount: 1 },
      },
    ]);
    const all = await suites(`{ checkName: "readiness", checkType: ALL }`);
    expect(all.nodes[0].checkRuns.nodes.map((r: { databaseId: number }) => r.databaseId)).toEqual([
      old.id,
      latest.id,
    ]);
    const inProgress = await suites(`{ status: IN_PROGRESS }`);
    expect(inProgress.nodes[0].checkRuns.nodes.map((r: { name: string }) => r.name)).toEqual(["lint"]);
    expect(gh.violations).toEqual([]);
  });
});
