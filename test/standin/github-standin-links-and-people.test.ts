// The stand-in's git links (symbolic links and submodules, encoded as git encodes them) and its
// people (org members, pending invitees, owners, outside collaborators, co-authors), over REST and
// GraphQL as GitHub serves them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";

let gh: GitHubStandIn;
let client: Octokit;

beforeAll(async () => {
  gh = await startGitHubStandIn();
  client = new Octokit({ baseUrl: gh.baseUrl, auth: gh.installationToken });
});

afterAll(async () => {
  await gh?.close();
});

beforeEach(() => {
  gh.clearLog();
});

const graphql = (query: string, variables: Record<string, unknown> = {}) =>
  // biome-ignore lint/suspicious/noExplicitAny: response shapes vary per query; tests index freely
  client.graphql<any>(query, variables);

const PINNED = "1234567890abcdef1234567890abcdef12345678";

describe("symbolic links and submodules", () => {
  const files = {
    "models/churn/model.py": "w = 1\n",
    "models/fraud": { symlink: "../shadow/fraud" },
    "models/llm": { submodule: PINNED },
  };

  it("writes the tree git writes (same SHA as git), with modes 120000 and 160000", () => {
    const repo = gh.addRepo("acme/links-sha", { files });
    const head = repo.commits.get(repo.branches.get("main") as string);
    const dir = mkdtempSync(join(tmpdir(), "standin-links-"));
    try {
      const git = (args: string[], input?: string) =>
        execFileSync("git", args, { cwd: dir, input, env: { ...process.env, GIT_DIR: join(dir, ".git") } })
          .toString()
          .trim();
      git(["init", "-q"]);
      const file = git(["hash-object", "-w", "--stdin"], "w = 1\n");
      const link = git(["hash-object", "-w", "--stdin"], "../shadow/fraud");
      git(["update-index", "--add", "--cacheinfo", `100644,${file},models/churn/model.py`]);
      git(["update-index", "--add", "--cacheinfo", `120000,${link},models/fraud`]);
      git(["update-index", "--add", "--cacheinfo", `160000,${PINNED},models/llm`]);
      expect(head?.tree).toBe(git(["write-tree"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists them in REST trees and contents, and in GraphQL tree entries", async () => {
    gh.addRepo("acme/links", { files });
    const { data: tree } = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      owner: "acme",
      repo: "links",
      tree_sha: "main",
      recursive: "1",
    });
    expect(tree.tree.filter((e) => e.path?.startsWith("models/") && e.type !== "tree")).toMatchObject([
      { path: "models/churn/model.py", mode: "100644", type: "blob" },
      { path: "models/fraud", mode: "120000", type: "blob" },
      { path: "models/llm", mode: "160000", type: "commit", sha: PINNED },
    ]);
    const { data: listing } = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: "acme",
      repo: "links",
      path: "models",
    });
    expect((listing as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([
      ["churn", "dir"],
      ["fraud", "symlink"],
      ["llm", "submodule"],
    ]);

    const data = await graphql(
      `query { repository(owner: "acme", name: "links") {
        models: object(expression: "main:models") { ... on Tree { entries { name type mode } } }
        link: object(expression: "main:models/fraud") { ... on Blob { text } }
      } }`,
    );
    expect(data.repository.models.entries).toEqual([
      { name: "churn", type: "tree", mode: 0o40000 },
      { name: "fraud", type: "blob", mode: 0o120000 },
      { name: "llm", type: "commit", mode: 0o160000 },
    ]);
    expect(data.repository.link).toEqual({ text: "../shadow/fraud" });
    expect(gh.violations).toEqual([]);
    expect(gh.unhandled).toEqual([]);
  });

  it("lists a link that replaces a file, or a moved pin, among a pull request's files", async () => {
    gh.addRepo("acme/links-pr", {
      files: { "models/fraud": "../shadow/fraud", "models/llm": { submodule: PINNED } },
    });
    const pr = gh.openPullRequest("acme/links-pr", {
      head: "swap",
      user: "dev",
      files: { "models/fraud": { symlink: "../shadow/fraud" }, "models/llm": { submodule: "f".repeat(40) } },
    });
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      owner: "acme",
      repo: "links-pr",
      pull_number: pr.number,
    });
    expect(data.map((f) => [f.filename, f.status])).toEqual([
      ["models/fraud", "modified"],
      ["models/llm", "modified"],
    ]);
  });
});

describe("people", () => {
  it("tells active org members from pending invitees and outside collaborators", async () => {
    gh.addRepo("acme/people", { files: { "a.txt": "a\n" } });
    gh.addOrgMember("acme", "alice");
    gh.inviteOrgMember("acme", "ivan");
    gh.addCollaborator("acme/people", "mallory", "admin");

    const data = await graphql(
      `query { ${["alice", "ivan", "mallory"]
        .map((login) => `${login}: user(login: "${login}") { login organization(login: "acme") { login } }`)
        .join(" ")} }`,
    );
    expect(data).toEqual({
      alice: { login: "alice", organization: { login: "acme" } },
      ivan: { login: "ivan", organization: null },
      mallory: { login: "mallory", organization: null },
    });
  });

  it("lists collaborators with the role GitHub computes: org owners admin, members read, outside collaborators their own", async () => {
    gh.addRepo("acme/roles", { files: { "a.txt": "a\n" } });
    gh.addOrgMember("acme", "olga", "owner");
    gh.addOrgMember("acme", "alice");
    gh.addCollaborator("acme/roles", "wes", "write");
    gh.addCollaborator("acme/roles", "mallory", "admin"); // an outside collaborator
    gh.addUser("solo");
    gh.addRepo("solo/own", { files: { "a.txt": "a\n" } });

    const role = async (repo: string, login: string) =>
      (
        await graphql(
          `query ($name: String!, $owner: String!, $login: String!) { repository(owner: $owner, name: $name) {
            collaborators(login: $login, first: 1) { edges { permission node { login } } } } }`,
          { owner: repo.split("/")[0], name: repo.split("/")[1], login },
        )
      ).repository.collaborators.edges.map((e: { permission: string }) => e.permission);
    expect(await role("acme/roles", "olga")).toEqual(["ADMIN"]);
    expect(await role("acme/roles", "alice")).toEqual(["READ"]);
    expect(await role("acme/roles", "wes")).toEqual(["WRITE"]);
    expect(await role("acme/roles", "mallory")).toEqual(["ADMIN"]);
    expect(await role("acme/roles", "nobody")).toEqual([]);
    expect(await role("solo/own", "solo")).toEqual(["ADMIN"]);

    const outside = await graphql(
      `query { repository(owner: "acme", name: "roles") {
        collaborators(affiliation: OUTSIDE, first: 10) { nodes { login } } } }`,
    );
    // wes is no member of acme either: both collaborate from outside.
    expect(outside.repository.collaborators.nodes.map((n: { login: string }) => n.login).sort()).toEqual([
      "mallory",
      "wes",
    ]);
    expect(gh.violations).toEqual([]);
  });

  it("lists a commit's co-authors after its author, with the user GitHub resolves from each email", async () => {
    gh.addRepo("acme/coauthors", { files: { "a.txt": "a\n" } });
    gh.addUser("mallory");
    const sha = gh.commit("acme/coauthors", {
      files: { "a.txt": "b\n" },
      author: "dana",
      coAuthors: ["mallory"],
      message: "Tune\n\nCo-authored-by: Someone <someone@example.com>",
    });
    const data = await graphql(
      `query ($oid: GitObjectID!) { repository(owner: "acme", name: "coauthors") { object(oid: $oid) {
        ... on Commit { message authors(first: 10) { nodes { name email user { login } } } } } } }`,
      { oid: sha },
    );
    const commit = data.repository.object;
    expect(commit.message).toMatch(/Co-authored-by: mallory <\d+\+mallory@users\.noreply\.github\.com>/);
    expect(
      commit.authors.nodes.map((n: { user: { login: string } | null }) => n.user?.login ?? null),
    ).toEqual([
      "dana",
      null, // an email GitHub knows no account for
      "mallory",
    ]);
  });

  it("answers a pull request's base branch as it is now, even when the PR's recorded base is older", async () => {
    const repo = gh.addRepo("acme/base-now", { files: { "a.txt": "a\n" } });
    const pr = gh.openPullRequest(repo, { head: "f", user: "dev", files: { "b.txt": "b\n" } });
    const tip = gh.commit(repo, { files: { "a.txt": "moved\n" } });
    const data = await graphql(
      `query ($number: Int!) { repository(owner: "acme", name: "base-now") { pullRequest(number: $number) {
        baseRefName baseRef { target { oid ... on Commit { file(path: "a.txt") { mode object { ... on Blob { text } } } } } } } } }`,
      { number: pr.number },
    );
    expect(data.repository.pullRequest).toEqual({
      baseRefName: "main",
      baseRef: { target: { oid: tip, file: { mode: 0o100644, object: { text: "moved\n" } } } },
    });
  });
});
