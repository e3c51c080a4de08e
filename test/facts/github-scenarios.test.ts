// The GitHub facts source in scenarios of several requests, on the GitHub stand-in (every request
// checked against GitHub's OpenAPI description and GraphQL schema): what GitHub's limits make it do
// (3,000 files, 300 compared files, 250 commits, a blob GraphQL cannot carry), the base read at the
// base branch's tip, and what changed since a review after a force-push. Tests of one request,
// and answers the stand-in would never give, are in github.test.ts on nock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GitHubTarget } from "../../src/facts/github.js";
import { githubFacts } from "../../src/facts/github.js";
import type { GitHubOctokit } from "../../src/facts/github-client.js";
import type { FileRead } from "../../src/facts/types.js";
import { pullFacts, standIn } from "../security/on-github.js";
import { noreplyEmail } from "../support/github-standin/state.js";
import type { FileContent, GitHubStandIn } from "../support/github-standin.js";

let gh: GitHubStandIn;
let octokit: GitHubOctokit;

beforeAll(async () => {
  ({ gh, octokit } = await standIn());
});

afterAll(async () => {
  await gh?.close();
});

beforeEach(() => {
  gh.clearLog();
});

afterEach(() => {
  expect(gh.violations).toEqual([]);
  expect(gh.unhandled).toEqual([]);
});

let repositories = 0;

/** A fresh repository of acme whose main branch holds `files`. */
function repository(files: Record<string, FileContent>): string {
  const repo = `acme/scenario-${++repositories}`;
  gh.addRepo(repo, { files, author: "alice" });
  return repo;
}

/** dana's pull request changing `files` (`null` deletes) on branch `retrain`. */
function pull(repo: string, files: Record<string, FileContent | null>) {
  return gh.openPullRequest(repo, { head: "retrain", user: "dana", title: "Retrain", files });
}

/** The facts of a push (or merge group): `base`...`head` of `repo`, no pull request. */
function pushFacts(repo: string, baseSha: string, headSha: string) {
  const [owner = "", name = ""] = repo.split("/");
  const target: GitHubTarget = { owner, repo: name, baseSha, headSha };
  return githubFacts(octokit, target);
}

/** The GraphQL queries sent, as their bodies. */
const queries = () =>
  gh.requestsTo("POST /graphql").map((r) => r.body as { variables: Record<string, unknown> });

/** The blob SHA of a file at a commit, as GitHub names it. */
const blobAt = (repo: string, sha: string, path: string) => gh.getCommit(repo, sha)?.shas.get(path);

function text(read: FileRead | undefined): string | undefined {
  return read?.kind === "ok" ? new TextDecoder().decode(read.bytes) : undefined;
}

describe("the files a change touches", () => {
  it("a PR that renames a file touches both sides of the rename", async () => {
    const repo = repository({ "prompts/old.txt": "Hello, {{name}}\n" });
    const pr = pull(repo, { "prompts/old.txt": null, "prompts/new.txt": "Hello, {{name}}\n" });
    const facts = pullFacts(gh, octokit, repo, pr.number);

    expect((await facts.changedFiles()).files).toEqual([
      { path: "prompts/new.txt", status: "renamed", previousPath: "prompts/old.txt" },
    ]);
    // GraphQL names no previous path: the renames are read from the REST listing.
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/pulls/{pull_number}/files")).toHaveLength(1);
    expect(facts.requestCount()).toBe(2);
  });

  it("a PR over GitHub's 3,000-file listing cannot be evaluated, so the engine fails closed", async () => {
    const repo = repository({ "README.md": "# data\n" });
    const files = Object.fromEntries(Array.from({ length: 3412 }, (_, i) => [`data/f${i}.csv`, `${i}\n`]));
    const pr = pull(repo, files);
    const facts = pullFacts(gh, octokit, repo, pr.number);

    const changes = await facts.changedFiles();

    expect(changes.files).toHaveLength(3000);
    expect(changes.incomplete).toBe(
      "this pull request changes 3,412 files; GitHub lists only the first 3,000, so readiness cannot be evaluated — split the pull request",
    );
    expect(facts.requestCount()).toBe(30);
  });

  it("a push changing more than GitHub's 300 compared files lists every change since the merge base", async () => {
    const src = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`src/f${i}.ts`, "1\n"]));
    const repo = repository({ ...src, "models/a.py": "a\n", "models/b.py": "b\n" });
    const forkPoint = gh.resolveRef(repo, "main") as string;
    const changed = Object.fromEntries(Object.keys(src).map((path) => [path, "2\n"]));
    const head = gh.commit(repo, {
      branch: "feature",
      parent: forkPoint,
      files: { ...changed, "models/b.py": null, "models/c.py": "c\n" },
    });
    // main moved on since: its change is not the push's.
    const base = gh.commit(repo, { files: { "models/main-only.py": "m\n" } });
    const facts = pushFacts(repo, base, head);

    const files = (await facts.changedFiles()).files;

    expect(files).toHaveLength(302);
    expect(files).toEqual(
      expect.arrayContaining([
        { path: "models/b.py", status: "removed" },
        { path: "models/c.py", status: "added" },
        { path: "src/f299.ts", status: "modified" },
      ]),
    );
    expect(files.map((f) => f.path)).not.toContain("models/main-only.py");
    // The comparison, then the merge base's tree and the head's.
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/git/trees/{tree_sha}").map((r) => r.path)).toEqual([
      `/repos/${repo}/git/trees/${forkPoint}`,
      `/repos/${repo}/git/trees/${head}`,
    ]);
    expect(facts.requestCount()).toBe(3);
  });
});

describe("reading files", () => {
  it.each([
    ["bytes that are not UTF-8", "notes.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])], // "café\n" in Latin-1
    [
      "a binary file (an Inspect .eval archive)",
      "models/a/eval/run.eval",
      Buffer.from([0x50, 0x4b, 3, 4, 0, 0xff, 0xfe, 0, 1]),
    ],
  ])("a file of %s is read exactly, from the blob API", async (_, path, bytes) => {
    const repo = repository({ "README.md": "# notes\n" });
    const pr = pull(repo, { [path]: bytes });
    const facts = pullFacts(gh, octokit, repo, pr.number);

    const read = await facts.readFile("head", path);

    expect(read.kind === "ok" && Buffer.from(read.bytes).equals(bytes)).toBe(true);
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toHaveLength(1);
    expect(facts.requestCount()).toBe(2);
  });

  it("reads the base at the base branch's current tip, not the payload's SHA, the policy in the first query", async () => {
    const repo = repository({ ".github/readiness.yml": "version: 1\n# stale\n", "README.md": "# models\n" });
    const pr = pull(repo, { "models/churn/model.py": "weights = 2\n" });
    const stale = pr.base.sha; // what the webhook said
    const tip = gh.commit(repo, {
      files: {
        ".github/readiness.yml": "version: 1\n# tightened\n",
        "models/churn/eval/results.json": "{}\n",
      },
    });
    const facts = pullFacts(gh, octokit, repo, pr.number, stale);

    const [policy, org] = await Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.orgPolicy(),
    ]);
    expect(queries()).toHaveLength(1);
    expect(text(policy)).toBe("version: 1\n# tightened\n");
    expect(org).toBeUndefined();
    expect(facts.baseSha).toBe(tip);

    const results = await facts.readFile("base", "models/churn/eval/results.json");
    expect(text(results)).toBe("{}\n");
    expect(queries()[1]?.variables).toMatchObject({ q0_expression: `${tip}:models/churn/eval/results.json` });
    expect(await facts.listFiles("base", "models")).toEqual([
      { path: "models/churn/eval/results.json", sha: blobAt(repo, tip, "models/churn/eval/results.json") },
    ]);
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/git/trees/{tree_sha}").map((r) => r.path)).toEqual([
      `/repos/${repo}/git/trees/${tip}`,
    ]);
    expect(JSON.stringify(queries())).not.toContain(stale);
  });
});

describe("what a path is", () => {
  it("directories past one query's worth are answered from the commit's recursive tree listing", async () => {
    const dirs = Array.from({ length: 60 }, (_, i) => `models/m${i}`);
    const repo = repository({ "README.md": "# models\n" });
    const files = Object.fromEntries(
      dirs.map((d, i): [string, FileContent] => [
        `${d}/model.py`,
        i === 59 ? { symlink: "../m0/model.py" } : "w\n",
      ]),
    );
    const pr = pull(repo, files);
    const facts = pullFacts(gh, octokit, repo, pr.number);

    const kinds = await Promise.all(dirs.map((d) => facts.entryKind("head", `${d}/model.py`)));

    expect(kinds.slice(0, 59).every((k) => k === "file")).toBe(true);
    expect(kinds[59]).toBe("symlink");
    expect(await facts.entryKind("head", "models/m55/gone.py")).toBe("missing");
    expect(queries()).toHaveLength(1); // 50 directories
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/git/trees/{tree_sha}")).toHaveLength(1); // the other 10
    expect(facts.requestCount()).toBe(2);
  });

  it("every directory of a side is listed from one recursive tree request", async () => {
    const repo = repository({ "README.md": "# models\n" });
    const pr = pull(repo, {
      "models/churn/model.py": "weights = 1\n",
      "models/churn/eval/results.json": "{}\n",
      "models/churnish/x.txt": "x\n",
    });
    const head = pr.head.sha;
    const facts = pullFacts(gh, octokit, repo, pr.number);
    const at = (path: string) => ({ path, sha: blobAt(repo, head, path) });

    const [churn, churnSlash, models, all] = await Promise.all([
      facts.listFiles("head", "models/churn"),
      facts.listFiles("head", "models/churn/"),
      facts.listFiles("head", "models"),
      facts.listFiles("head", ""),
    ]);
    const base = await facts.listFiles("base", "models");

    expect(churn).toEqual([at("models/churn/eval/results.json"), at("models/churn/model.py")]);
    expect(churnSlash).toEqual(churn);
    expect(models.map((e) => e.path)).toEqual([
      "models/churn/eval/results.json",
      "models/churn/model.py",
      "models/churnish/x.txt",
    ]);
    expect(all).toHaveLength(4);
    expect(base).toEqual([]);
    expect(await facts.listFiles("head", "../x")).toEqual([]);
    // The two trees, and the base branch's tip (in an evaluation, already read by the first query).
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/git/trees/{tree_sha}")).toHaveLength(2);
    expect(facts.requestCount()).toBe(3);
  });
});

describe("who wrote the change, and what changed since a review", () => {
  it("co-authors count among commit authors, asked about only for commits whose message names one", async () => {
    const many = Array.from({ length: 104 }, (_, i) => `co${i}`);
    const repo = repository({ "models/churn/model.py": "weights = 1\n" });
    const pr = pull(repo, { "models/churn/model.py": "weights = 2\n" });
    const plain = pr.head.sha;
    const mallory = gh.addUser("mallory");
    // Any case of the trailer names a co-author, as git reads it.
    const paired = gh.commit(repo, {
      branch: "retrain",
      author: "dana",
      files: { "models/churn/model.py": "weights = 3\n" },
      // An email GitHub matches to no account names nobody.
      message: `Tune\n\nCO-AUTHORED-BY: Mallory <${noreplyEmail(mallory)}>\nCo-authored-by: Ghost <ghost@example.com>\n`,
    });
    const crowded = gh.commit(repo, {
      branch: "retrain",
      author: "dana",
      files: { "models/churn/model.py": "weights = 4\n" },
      message: "Mob session",
      coAuthors: many,
    });
    const facts = pullFacts(gh, octokit, repo, pr.number);

    const logins = await facts.people?.commitAuthors();

    expect(logins?.sort()).toEqual(["dana", "mallory", ...many].sort());
    // The PR; the authors of the two commits naming co-authors; the second page of the crowded one.
    expect(queries()).toHaveLength(3);
    expect(JSON.stringify(queries())).not.toContain(`"${plain}"`);
    expect(JSON.stringify(queries())).toContain(paired);
    expect(JSON.stringify(queries())).toContain(crowded);
  });

  it("past GitHub's 250 commits, the co-authors of the compared commits that name any are counted", async () => {
    const repo = repository({ "models/churn/model.py": "weights = 0\n" });
    const pr = pull(repo, { "models/churn/model.py": "weights = 1\n" });
    for (let i = 2; i <= 259; i++) {
      gh.commit(repo, {
        branch: "retrain",
        author: "dana",
        files: { "models/churn/model.py": `weights = ${i}\n` },
      });
    }
    // The 260th commit, past the 250 GitHub lists with the PR: only the comparison shows it.
    const trailer = gh.commit(repo, {
      branch: "retrain",
      author: "dana",
      files: { "models/churn/model.py": "weights = 260\n" },
      message: "Tune",
      coAuthors: ["mallory"],
    });
    const facts = pullFacts(gh, octokit, repo, pr.number);

    // As in an evaluation: the base policy (and with it the base's tip) in the first query.
    const [, authors] = await Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.people?.commitAuthors(),
    ]);

    expect(authors?.sort()).toEqual(["dana", "mallory"]);
    expect(gh.requestsTo("GET /repos/{owner}/{repo}/compare/{basehead}").length).toBeGreaterThan(0);
    // The PR's commits, 100 a page (the base's tip with the first), then only the commit whose
    // message names a co-author.
    expect(queries().map((b) => Object.values(b.variables).filter((v) => v === trailer))).toEqual([
      [],
      [],
      [],
      [trailer],
    ]);
    const commitsAskedAbout = queries().flatMap((b) =>
      Object.values(b.variables).filter((v) => typeof v === "string" && /^[0-9a-f]{40}$/.test(v)),
    );
    expect(commitsAskedAbout).toEqual([trailer]);
  });

  it("after a force-push, what changed since the review comes from the trees; a commit GitHub no longer knows means everything changed", async () => {
    const repo = repository({ "models/a.py": "1\n", "models/b.py": "2\n" });
    const pr = pull(repo, { "models/b.py": "3\n" });
    const reviewed = pr.head.sha;
    // dana rewrites the branch from main: the reviewed commit is no longer on it.
    const rewritten = gh.commit(repo, { parent: "main", files: { "models/b.py": "9\n" }, author: "dana" });
    gh.setBranch(repo, "retrain", rewritten);
    const facts = pullFacts(gh, octokit, repo, pr.number);

    expect(await facts.people?.changedSince(reviewed)).toEqual(["models/b.py"]);
    expect(await facts.people?.changedSince("0".repeat(40))).toEqual(["models/a.py", "models/b.py"]);
    // Two comparisons (the second not found), and the reviewed commit's tree and the head's.
    expect(gh.requests.map((r) => [r.route, r.status])).toEqual([
      ["GET /repos/{owner}/{repo}/compare/{basehead}", 200],
      ["GET /repos/{owner}/{repo}/git/trees/{tree_sha}", 200],
      ["GET /repos/{owner}/{repo}/git/trees/{tree_sha}", 200],
      ["GET /repos/{owner}/{repo}/compare/{basehead}", 404],
    ]);
    expect(facts.requestCount()).toBe(4);
  });
});
