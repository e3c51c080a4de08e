import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { createProbot } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { type StandInOctokit, standInOctokit } from "./clients.js";

let gh: GitHubStandIn;
let octokit: StandInOctokit;

beforeAll(async () => {
  gh = await startGitHubStandIn();
  octokit = standInOctokit(gh);
});

afterAll(async () => {
  await gh?.close();
});

beforeEach(() => {
  gh.clearLog();
});

const auth = () => ({ authorization: `token ${gh.installationToken}` });

async function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${gh.baseUrl}${path}`, { headers: { ...auth(), ...headers } });
}

async function send(method: string, path: string, body: unknown) {
  return fetch(`${gh.baseUrl}${path}`, {
    method,
    headers: { ...auth(), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function gitHashObject(content: string | Buffer): string {
  return execFileSync("git", ["hash-object", "--stdin"], { input: content }).toString().trim();
}

describe("contents, trees and blobs", () => {
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe]);
  const files = {
    "README.md": "# Demo\n",
    "models/churn/artifact.yml": "owners: ['@acme/ml']\ntier: high\n",
    "models/churn/weights.bin": binary,
    "prompts/greeting/prompt.txt": "Hello, {{name}} — ünïcödé\n",
  };

  it("serves base64 content whose blob SHAs equal git hash-object", async () => {
    gh.addRepo("acme/contents", { files });
    const text = files["prompts/greeting/prompt.txt"];
    const manual = createHash("sha1")
      .update(`blob ${Buffer.byteLength(text)}\0`)
      .update(text)
      .digest("hex");
    expect(manual).toBe(gitHashObject(text));

    const res = await get("/repos/acme/contents/contents/prompts%2Fgreeting%2Fprompt.txt?ref=main");
    expect(res.status).toBe(200);
    const json = (await res.json()) as { sha: string; content: string; encoding: string; size: number };
    expect(json.encoding).toBe("base64");
    expect(Buffer.from(json.content, "base64").toString("utf8")).toBe(text);
    expect(json.sha).toBe(manual);
    expect(json.size).toBe(Buffer.byteLength(text));

    const bin = (await (await get("/repos/acme/contents/contents/models/churn/weights.bin")).json()) as {
      sha: string;
      content: string;
    };
    expect(Buffer.from(bin.content, "base64").equals(binary)).toBe(true);
    expect(bin.sha).toBe(gitHashObject(binary));

    const raw = await get("/repos/acme/contents/contents/README.md", {
      accept: "application/vnd.github.raw",
    });
    expect(raw.headers.get("content-type")).toMatch(/^application\/vnd\.github\.raw/);
    expect(await raw.text()).toBe("# Demo\n");

    expect((await get("/repos/acme/contents/contents/missing.yml")).status).toBe(404);
    const dir = (await (await get("/repos/acme/contents/contents/models/churn")).json()) as Array<{
      name: string;
    }>;
    expect(dir.map((e) => e.name)).toEqual(["artifact.yml", "weights.bin"]);
    expect(gh.violations).toEqual([]);
  });

  it("has the same tree SHA as git and serves recursive trees and blobs", async () => {
    const repo = gh.findRepo("acme/contents") ?? gh.addRepo("acme/contents", { files });
    const head = repo.commits.get(repo.branches.get("main") as string);
    const dir = mkdtempSync(join(tmpdir(), "standin-git-"));
    try {
      const git = (args: string[], input?: string | Buffer) =>
        execFileSync("git", args, { cwd: dir, input, env: { ...process.env, GIT_DIR: join(dir, ".git") } })
          .toString()
          .trim();
      git(["init", "-q"]);
      for (const [path, content] of Object.entries(files)) {
        const sha = git(["hash-object", "-w", "--stdin"], content);
        git(["update-index", "--add", "--cacheinfo", `100644,${sha},${path}`]);
      }
      expect(head?.tree).toBe(git(["write-tree"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const { data: tree } = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      owner: "acme",
      repo: "contents",
      tree_sha: "main",
      recursive: "1",
    });
    const blobs = tree.tree.filter((e) => e.type === "blob").map((e) => [e.path, e.sha]);
    expect(Object.fromEntries(blobs)).toEqual(
      Object.fromEntries(Object.entries(files).map(([p, c]) => [p, gitHashObject(c)])),
    );
    const readmeSha = gitHashObject(files["README.md"]);
    const { data: blob } = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      owner: "acme",
      repo: "contents",
      file_sha: readmeSha,
    });
    expect(Buffer.from(blob.content, "base64").toString()).toBe("# Demo\n");
    expect(gh.violations).toEqual([]);
  });
});

describe("pull requests", () => {
  it("paginates the files of a pull request with Link headers, up to 3,000", async () => {
    gh.addRepo("acme/big", { files: { "README.md": "big\n" } });
    const many: Record<string, string> = {};
    for (let i = 0; i < 3050; i++) many[`data/file-${String(i).padStart(4, "0")}.txt`] = `line ${i}\n`;
    gh.commit("acme/big", { branch: "bulk", files: many, author: "dev" });
    const pr = gh.openPullRequest("acme/big", { head: "bulk", user: "dev" });

    const first = await get(`/repos/acme/big/pulls/${pr.number}/files?per_page=100`);
    expect(first.headers.get("link")).toContain('rel="next"');
    expect(first.headers.get("link")).toContain("page=30");
    expect(((await first.json()) as unknown[]).length).toBe(100);

    const all = await octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      owner: "acme",
      repo: "big",
      pull_number: pr.number,
      per_page: 100,
    });
    expect(all.length).toBe(3000);
    expect(all[0]).toMatchObject({ filename: "data/file-0000.txt", status: "added", additions: 1 });
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/pulls/{pull_number}/files").length).toBe(31);

    // GraphQL lists the same 3,000 files, 100 a page.
    const client = new Octokit({ baseUrl: gh.baseUrl, auth: gh.installationToken });
    const page = (after: string | null) =>
      client.graphql<{
        repository: {
          pullRequest: {
            files: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean; endCursor: string };
              nodes: unknown[];
            };
          };
        };
      }>(
        `query ($n: Int!, $after: String) { repository(owner: "acme", name: "big") { pullRequest(number: $n) {
          files(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { path } }
        } } }`,
        { n: pr.number, after },
      );
    let files = (await page(null)).repository.pullRequest.files;
    expect(files.totalCount).toBe(3000);
    for (let i = 1; i < 30; i++) files = (await page(files.pageInfo.endCursor)).repository.pullRequest.files;
    expect(files.nodes.at(-1)).toEqual({ path: "data/file-2999.txt" });
    expect(files.pageInfo.hasNextPage).toBe(false);
    expect(gh.violations).toEqual([]);
  });

  it("compares with three-dot semantics from the merge base", async () => {
    gh.addRepo("acme/compare", { files: { "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" } });
    const forkPoint = gh.resolveRef("acme/compare", "main");
    const feature = gh.commit("acme/compare", {
      branch: "feature",
      files: { "b.txt": "b changed\n", "old.txt": null, "d.txt": "d\n" },
      author: "dev",
    });
    gh.commit("acme/compare", { files: { "a.txt": "a moved on main\n" } });

    const { data } = await octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner: "acme",
      repo: "compare",
      basehead: "main...feature",
    });
    expect(gh.requests[0]?.route).toBe("GET /repos/{owner}/{repo}/compare/{basehead}");
    expect(data.merge_base_commit.sha).toBe(forkPoint);
    expect(data.status).toBe("diverged");
    expect([data.ahead_by, data.behind_by]).toEqual([1, 1]);
    expect(data.commits.map((c) => c.sha)).toEqual([feature]);
    expect(data.files?.map((f) => [f.filename, f.status])).toEqual([
      ["b.txt", "modified"],
      ["d.txt", "added"],
    ]);

    const pr = gh.openPullRequest("acme/compare", { head: "feature", user: "dev" });
    const files = gh.pullRequestFiles("acme/compare", pr.number).map((f) => f.filename);
    expect(files).toEqual(["b.txt", "d.txt"]);
    const { data: fetched } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: "acme",
      repo: "compare",
      pull_number: pr.number,
    });
    expect(fetched.head.sha).toBe(feature);
    expect(fetched.changed_files).toBe(2);
    expect(gh.violations).toEqual([]);
  });

  it("lists reviews, commits and open pull requests by base, and requests reviewers", async () => {
    gh.addRepo("acme/reviews", { files: { "x.txt": "x\n" } });
    gh.addTeam("acme", "ai-compliance", { members: ["carol"] });
    gh.commit("acme/reviews", { branch: "f", files: { "x.txt": "y\n" }, author: "dev" });
    const pr = gh.openPullRequest("acme/reviews", { head: "f", user: "dev" });
    gh.addReview("acme/reviews", pr.number, { user: "carol", state: "APPROVED" });
    const { data: reviews } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      owner: "acme",
      repo: "reviews",
      pull_number: pr.number,
    });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["carol", "APPROVED", pr.head.sha],
    ]);
    const { data: commits } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
      owner: "acme",
      repo: "reviews",
      pull_number: pr.number,
    });
    expect(commits.map((c) => c.author?.login)).toEqual(["dev"]);
    const { data: open } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
      owner: "acme",
      repo: "reviews",
      state: "open",
      base: "main",
    });
    expect(open.map((p) => p.number)).toEqual([pr.number]);
    const { status } = await octokit.request(
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
      {
        owner: "acme",
        repo: "reviews",
        pull_number: pr.number,
        team_reviewers: ["ai-compliance"],
      },
    );
    expect(status).toBe(201);
    expect(pr.requested_teams).toEqual(["ai-compliance"]);
    const author = await send("POST", `/repos/acme/reviews/pulls/${pr.number}/requested_reviewers`, {
      reviewers: ["dev"],
    });
    expect(author.status).toBe(422);
    expect(gh.violations.map((v) => v.reason)).toEqual([
      "Review cannot be requested from pull request author.",
    ]);
  });
});

describe("forks, merges and releases", () => {
  it("serves a fork's pull request, a merge and release assets", async () => {
    gh.addRepo("acme/rel", { files: { "models/a/artifact.yml": "owners: [dev]\n" } });
    gh.addRepo("outsider/rel", { forkOf: "acme/rel" });
    const pr = gh.openPullRequest("acme/rel", {
      headRepo: "outsider/rel",
      head: "tweak",
      user: "outsider",
      files: { "models/a/artifact.yml": "owners: [dev]\ntier: low\n" },
    });
    const { data: fetched } = await octokit.rest.pulls.get({
      owner: "acme",
      repo: "rel",
      pull_number: pr.number,
    });
    expect(fetched.head.repo?.full_name).toBe("outsider/rel");
    expect(fetched.head.repo?.fork).toBe(true);
    const { data: content } = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "rel",
      path: "models/a/artifact.yml",
      ref: fetched.head.sha,
    });
    expect(Buffer.from((content as { content: string }).content, "base64").toString()).toContain("tier: low");

    const merge = gh.mergePullRequest("acme/rel", pr.number, { user: "maintainer" });
    const { data: carried } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: "acme",
      repo: "rel",
      commit_sha: merge,
    });
    expect(carried.map((p) => p.number)).toEqual([pr.number]);

    const release = gh.addRelease("acme/rel", { tag_name: "v1.0.0" });
    const { data: json } = await octokit.rest.repos.getRelease({
      owner: "acme",
      repo: "rel",
      release_id: release.id,
    });
    const { data: asset } = await octokit.rest.repos.uploadReleaseAsset({
      owner: "acme",
      repo: "rel",
      release_id: release.id,
      url: json.upload_url,
      name: "readiness-report.json",
      data: '{"verdict":"ready"}' as never,
      headers: { "content-type": "application/json" },
    });
    expect(asset.name).toBe("readiness-report.json");
    expect(release.assets[0]?.data.toString()).toBe('{"verdict":"ready"}');
    await octokit.rest.repos.updateRelease({
      owner: "acme",
      repo: "rel",
      release_id: release.id,
      draft: true,
    });
    expect(release.draft).toBe(true);
    expect(gh.violations).toEqual([]);
    expect(gh.unhandled).toEqual([]);
  });
});

describe("check runs", () => {
  const annotations = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({
      path: "models/churn/eval/results.json",
      start_line: from + i + 1,
      end_line: from + i + 1,
      annotation_level: "failure" as const,
      message: `problem ${from + i}`,
    }));

  it("creates and updates a check run, accumulating annotations", async () => {
    gh.addRepo("acme/checks", { files: { "x.txt": "x\n" } });
    const sha = gh.resolveRef("acme/checks", "main") as string;
    const { data: created } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: "acme",
      repo: "checks",
      name: "Readiness gate",
      head_sha: sha,
      status: "in_progress",
      output: { title: "Evaluating", summary: "…", annotations: annotations(50) },
      actions: [
        { label: "Re-check", description: "Evaluate this pull request again", identifier: "recheck" },
      ],
    });
    expect(created.status).toBe("in_progress");
    const { data: updated } = await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: "acme",
      repo: "checks",
      check_run_id: created.id,
      conclusion: "failure",
      output: { title: "Blocked", summary: "2 gates fail", annotations: annotations(20, 50) },
    });
    expect(updated).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(updated.output.annotations_count).toBe(70);
    const run = gh.findRepo("acme/checks")?.checkRuns.get(Number(created.id));
    expect(run?.output.annotations.map((a) => a.start_line)).toEqual(
      Array.from({ length: 70 }, (_, i) => i + 1),
    );
    expect(run?.output.title).toBe("Blocked");
    expect(run?.actions[0]?.identifier).toBe("recheck");

    const { data: list } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      owner: "acme",
      repo: "checks",
      ref: sha,
      check_name: "Readiness gate",
      app_id: gh.app.id,
    });
    expect(list.total_count).toBe(1);
    expect(list.check_runs[0]?.id).toBe(created.id);
    expect(gh.violations).toEqual([]);
  });

  it("records requests GitHub would reject as violations", async () => {
    const sha = gh.resolveRef("acme/checks", "main") as string;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ["green", { name: "x", head_sha: sha, conclusion: "green" }, /conclusion.*allowed values/],
      ["no name", { head_sha: sha }, /must have required property 'name'/],
      [
        "long summary",
        { name: "x", head_sha: sha, output: { title: "t", summary: "s".repeat(65536) } },
        /65535/,
      ],
      [
        "51 annotations",
        { name: "x", head_sha: sha, output: { title: "t", summary: "s", annotations: annotations(51) } },
        /50/,
      ],
      [
        "long label",
        {
          name: "x",
          head_sha: sha,
          actions: [{ label: "Re-check this pull request", description: "d", identifier: "i" }],
        },
        /label|20/,
      ],
      ["unknown sha", { name: "x", head_sha: "0".repeat(40) }, /No commit found/],
    ];
    for (const [label, body, reason] of cases) {
      gh.clearLog();
      const res = await send("POST", "/repos/acme/checks/check-runs", body);
      expect(res.status, label).toBe(422);
      expect(gh.violations.length, label).toBe(1);
      expect(gh.violations[0]?.reason, label).toMatch(reason);
      expect(gh.violations[0]?.route).toBe("POST /repos/{owner}/{repo}/check-runs");
    }
    expect(gh.findRepo("acme/checks")?.checkRuns.size).toBe(1);

    gh.clearLog();
    expect((await get("/repos/acme/checks/no-such-endpoint")).status).toBe(404);
    expect((await get("/repos/acme/checks/pulls?state=opened")).status).toBe(422);
    expect((await get("/repos/acme/checks/pulls/abc")).status).toBe(404);
    expect((await send("PATCH", "/repos/acme/checks/check-runs/1", "{")).status).toBe(422);
    expect(gh.violations.map((v) => [v.status, v.reason.slice(0, 40)])).toEqual([
      [404, "no operation GET /repos/acme/checks/no-s"],
      [422, "query: query/state must be equal to one "],
      [404, "path: path/pull_number must be integer"],
      [422, "body: body must be object"],
    ]);
    gh.clearLog();
    const issue = await send("POST", "/repos/acme/checks/issues", {
      title: "Follow up",
      milestone: null,
      labels: ["x"],
    });
    expect(issue.status).toBe(201);
    expect(gh.violations).toEqual([]);
    const bad = await fetch(`${gh.baseUrl}/repos/acme/checks`, { headers: { authorization: "token nope" } });
    expect(bad.status).toBe(401);
  });
});

describe("orgs, teams and users", () => {
  it("answers team memberships 200 or 404", async () => {
    gh.addTeam("acme", "privacy", { members: { alice: "active", bob: "pending" } });
    gh.addUser("mallory");
    const ask = (username: string) =>
      octokit.request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
        org: "acme",
        team_slug: "privacy",
        username,
      });
    expect((await ask("alice")).data).toMatchObject({ state: "active", role: "member" });
    expect((await ask("bob")).data.state).toBe("pending");
    await expect(ask("mallory")).rejects.toMatchObject({ status: 404 });
    expect((await get("/orgs/acme/teams/nobody/memberships/alice")).status).toBe(404);
    expect((await get("/orgs/acme/teams/privacy")).status).toBe(200);
    expect((await get("/users/mallory")).status).toBe(200);
    expect((await get("/users/ghost-user")).status).toBe(404);
    const members = await octokit.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
      org: "acme",
      team_slug: "privacy",
    });
    expect(members.map((m) => m.login)).toEqual(["alice"]);
    expect(gh.violations).toEqual([]);
  });
});

describe("GraphQL", () => {
  it("reads several blobs in one aliased query", async () => {
    gh.addRepo("acme/gql", {
      files: { "a/one.yml": "one: 1\n", "two.json": '{"two":2}\n', "bin.dat": Buffer.from([0, 1]) },
    });
    const sha = gh.resolveRef("acme/gql", "main") as string;
    const client = new Octokit({ baseUrl: gh.baseUrl, auth: gh.installationToken });
    const result = await client.graphql<{
      repository: Record<
        string,
        { text: string | null; byteSize: number; oid: string; isBinary: boolean } | null
      >;
    }>(
      `query ($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          f0: object(expression: "${sha}:a/one.yml") { ... on Blob { text byteSize oid isBinary } }
          f1: object(expression: "${sha}:two.json") { ... on Blob { text byteSize oid isBinary } }
          f2: object(expression: "${sha}:missing.txt") { ... on Blob { text byteSize oid isBinary } }
          f3: object(expression: "main:bin.dat") { __typename ... on Blob { text isBinary byteSize } }
        }
      }`,
      { owner: "acme", name: "gql" },
    );
    expect(result.repository.f0).toEqual({
      text: "one: 1\n",
      byteSize: 7,
      oid: gitHashObject("one: 1\n"),
      isBinary: false,
    });
    expect(result.repository.f1?.text).toBe('{"two":2}\n');
    expect(result.repository.f2).toBeNull();
    expect(result.repository.f3).toEqual({ __typename: "Blob", text: null, isBinary: true, byteSize: 2 });
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/graphql"]);
  });

  it("applies a fragment on the GitObject interface to a Blob, as GitHub does", async () => {
    gh.addRepo("acme/gql-iface", { files: { "r.json": "{}\n" } });
    const client = new Octokit({ baseUrl: gh.baseUrl, auth: gh.installationToken });
    const result = await client.graphql<{
      repository: { f: { __typename: string; oid: string; text: string } };
    }>(
      `{ repository(owner: "acme", name: "gql-iface") { f: object(expression: "main:r.json") { ...file } } }
      fragment file on GitObject { __typename oid ... on Blob { text } }`,
    );
    expect(result.repository.f).toEqual({ __typename: "Blob", oid: gitHashObject("{}\n"), text: "{}\n" });
  });

  it("reports an unknown repository as NOT_FOUND and an unknown field as an error", async () => {
    const client = new Octokit({ baseUrl: gh.baseUrl, auth: gh.installationToken });
    await expect(
      client.graphql(`{ repository(owner: "acme", name: "nope") { object(expression: "HEAD:x") { id } } }`),
    ).rejects.toMatchObject({ errors: [{ type: "NOT_FOUND" }] });
    await expect(
      client.graphql(
        `{ repository(owner: "acme", name: "gql") { object(expression: "main:two.json") { ... on Blob { colour } } } }`,
      ),
    ).rejects.toMatchObject({ errors: [{ message: "Field 'colour' doesn't exist on type 'Blob'" }] });
    // GitHub would refuse the second query outright: a violation. The first is a fair question.
    expect(gh.violations.map((v) => [v.route, v.status, v.reason])).toEqual([
      ["POST /graphql", 200, "GraphQL: Field 'colour' doesn't exist on type 'Blob'"],
    ]);
  });
});

describe("fault injection and app authentication", () => {
  it("serves Probot configured with GHE_HOST and GHE_PROTOCOL=http (REST under /api/v3, GraphQL at /api/graphql)", async () => {
    gh.addRepo("acme/probot", { files: { "a.txt": "a\n" } });
    const probot = createProbot({
      env: {
        GHE_HOST: gh.url,
        GHE_PROTOCOL: "http",
        APP_ID: String(gh.app.id),
        PRIVATE_KEY: gh.appPrivateKey,
        WEBHOOK_SECRET: "test-secret",
        LOG_LEVEL: "fatal",
      },
    });
    const client = await probot.auth(gh.installationId);
    expect((await client.rest.repos.get({ owner: "acme", repo: "probot" })).data.default_branch).toBe("main");
    const read = await client.graphql<{ repository: { a: { text: string } } }>(
      `{ repository(owner: "acme", name: "probot") { a: object(expression: "main:a.txt") { ... on Blob { text } } } }`,
    );
    expect(read.repository.a.text).toBe("a\n");
    expect(gh.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/app/installations/1/access_tokens", 201],
      ["GET", "/repos/acme/probot", 200],
      ["POST", "/api/graphql", 200],
    ]);
    expect(gh.violations).toEqual([]);
  });

  it("fails the next matching request with 502, then answers 200", async () => {
    gh.addRepo("acme/faults", { files: { "x.txt": "x\n" } });
    gh.failNext("GET", "/repos/{owner}/{repo}", { status: 502 });
    expect((await get("/repos/acme/faults")).status).toBe(502);
    expect((await get("/repos/acme/faults")).status).toBe(200);

    gh.failNext("GET", "/repos/acme/faults/contents/**", { status: 502 });
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "faults",
      path: "x.txt",
    });
    expect(data).toMatchObject({ path: "x.txt" });
    expect(gh.requests.slice(-2).map((r) => r.status)).toEqual([502, 200]);
  });

  it("answers a secondary rate limit with retry-after", async () => {
    gh.failNext("*", "/repos/acme/faults", { status: 403 });
    const res = await get("/repos/acme/faults");
    expect(res.status).toBe(403);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(((await res.json()) as { message: string }).message).toMatch(/secondary rate limit/);
  });

  it("issues installation tokens to the app's JWT", async () => {
    const app = new Octokit({
      baseUrl: gh.baseUrl,
      authStrategy: createAppAuth,
      auth: { appId: gh.app.id, privateKey: gh.appPrivateKey, installationId: gh.installationId },
    });
    const { data } = await app.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "faults" });
    expect(data.full_name).toBe("acme/faults");
    expect(gh.requests.map((r) => [r.route, r.status])).toEqual([
      ["POST /app/installations/{installation_id}/access_tokens", 201],
      ["GET /repos/{owner}/{repo}", 200],
    ]);
    expect(gh.violations).toEqual([]);
  });
});
