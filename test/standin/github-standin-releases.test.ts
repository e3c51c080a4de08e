// What the release gate, the deployment gate and bypass reports need from the stand-in: commit
// history by path, the pull requests holding a commit, release assets (and GitHub failing in the
// middle of an upload), and the release and deployment_protection_rule webhooks.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Webhooks } from "../e2e/webhooks.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { webhookProblems } from "../support/webhook-schema.js";
import { postGraphQL, type StandInOctokit, standInOctokit } from "./clients.js";

let gh: GitHubStandIn;
let octokit: StandInOctokit;

beforeAll(async () => {
  gh = await startGitHubStandIn();
  // No retries: a failure the stand-in injects reaches the test as the app's first attempt sees it.
  octokit = standInOctokit(gh, { enabled: false });
});

afterEach(() => {
  // Every request of every test is one GitHub would accept, and one the stand-in implements.
  expect(gh.violations).toEqual([]);
  expect(gh.unhandled.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  gh.clearLog();
  gh.clearFaults();
});

afterAll(async () => {
  await gh?.close();
});

const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphQL(gh, query, variables);

const HISTORY = `query ($owner: String!, $name: String!, $oid: GitObjectID!, $path: String, $after: String) {
  repository(owner: $owner, name: $name) {
    object(oid: $oid) {
      ... on Commit {
        history(first: 2, after: $after, path: $path) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { oid messageHeadline }
        }
      }
    }
  }
}`;

/** Every commit of `history(path:)` from `oid`, read two a page as an app would. */
async function historyOf(
  repo: string,
  oid: string,
  path?: string,
): Promise<{ total: number; oids: string[] }> {
  const [owner, name] = repo.split("/");
  const oids: string[] = [];
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const { data, errors } = await gql(HISTORY, { owner, name, oid, path, after });
    expect(errors).toBeUndefined();
    const history = data.repository.object.history;
    total = history.totalCount;
    oids.push(...history.nodes.map((n: { oid: string }) => n.oid));
    if (!history.pageInfo.hasNextPage) break;
    after = history.pageInfo.endCursor;
  }
  return { total, oids };
}

describe("Commit.history", () => {
  it("lists every commit reachable, a commit before its parents, and by path the ones that changed it", async () => {
    const repo = gh.addRepo("acme/history", {
      files: { "models/a/card.md": "v1\n", "README.md": "hi\n" },
      message: "root",
    });
    const root = gh.resolveRef(repo, "main") as string;
    const pr = gh.openPullRequest(repo, {
      head: "retrain",
      user: "dev",
      files: { "models/a/card.md": "v2\n" },
      title: "retrain a",
    });
    const side = pr.head.sha;
    const docs = gh.commit(repo, { files: { "README.md": "hello\n" }, message: "docs" });
    const merge = gh.mergePullRequest(repo, pr.number);
    const after = gh.commit(repo, { files: { "models/b/card.md": "b\n" }, message: "add b" });

    const all = await historyOf("acme/history", after);
    expect(all.total).toBe(5);
    expect(all.oids[0]).toBe(after);
    expect(all.oids[1]).toBe(merge);
    expect(new Set(all.oids)).toEqual(new Set([after, merge, side, docs, root]));
    // Topological: each commit is listed before its parents.
    for (const oid of all.oids) {
      for (const parent of gh.getCommit(repo, oid)?.parents ?? []) {
        expect(all.oids.indexOf(parent)).toBeGreaterThan(all.oids.indexOf(oid));
      }
    }
    expect(all.oids.at(-1)).toBe(root);

    // A directory matches the files below it: the merge (it differs from its first parent there),
    // the side branch's commit, and the root that added it; not "docs" nor "add b".
    const byDir = await historyOf("acme/history", after, "models/a");
    expect(byDir).toEqual({ total: 3, oids: [merge, side, root] });
    const byFile = await historyOf("acme/history", after, "models/a/card.md");
    expect(byFile.oids).toEqual([merge, side, root]);
    // "models/a" is not a prefix of "models/ab": paths match whole segments.
    expect((await historyOf("acme/history", after, "models/b")).oids).toEqual([after]);
    expect((await historyOf("acme/history", after, "models/")).oids).toEqual([after, merge, side, root]);
    expect((await historyOf("acme/history", after, "nothing/here")).total).toBe(0);
  });

  it("is reached through object(expression:) and filters by author email", async () => {
    const repo = gh.addRepo("acme/history-expr", { files: { "a.txt": "1\n" }, author: "owner" });
    gh.commit(repo, { files: { "a.txt": "2\n" }, author: "carol", message: "by carol" });
    const carol = gh.user("carol");
    const { data, errors } = await gql(
      `query ($email: String!) {
        repository(owner: "acme", name: "history-expr") {
          object(expression: "main") {
            ... on Commit {
              mine: history(first: 10, author: { emails: [$email] }) { totalCount nodes { messageHeadline } }
            }
          }
        }
      }`,
      { email: `${carol?.id}+carol@users.noreply.github.com` },
    );
    expect(errors).toBeUndefined();
    expect(data.repository.object.mine).toEqual({ totalCount: 1, nodes: [{ messageHeadline: "by carol" }] });
  });
});

describe("pull requests holding a commit", () => {
  const ASSOCIATED = `query ($oid: GitObjectID!) {
    repository(owner: "acme", name: "assoc") {
      object(oid: $oid) {
        ... on Commit {
          associatedPullRequests(first: 10) {
            totalCount
            nodes {
              number title state merged mergedAt headRefOid baseRefName
              mergeCommit { oid }
              author { login }
            }
          }
        }
      }
    }
  }`;

  it("a merged PR's commits and its merge commit name that PR; a commit of an open PR names it", async () => {
    const repo = gh.addRepo("acme/assoc", { files: { "a.txt": "1\n" } });
    const pr = gh.openPullRequest(repo, {
      head: "one",
      user: "dev",
      files: { "a.txt": "2\n" },
      title: "one",
    });
    const first = pr.head.sha;
    const second = gh.commit(repo, { branch: "one", files: { "b.txt": "b\n" } });
    const merge = gh.mergePullRequest(repo, pr.number);
    const open = gh.openPullRequest(repo, {
      head: "two",
      user: "erin",
      files: { "c.txt": "c\n" },
      title: "two",
    });

    for (const oid of [first, second, merge]) {
      const { data, errors } = await gql(ASSOCIATED, { oid });
      expect(errors).toBeUndefined();
      expect(data.repository.object.associatedPullRequests).toEqual({
        totalCount: 1,
        nodes: [
          {
            number: pr.number,
            title: "one",
            state: "MERGED",
            merged: true,
            mergedAt: pr.merged_at,
            headRefOid: second,
            baseRefName: "main",
            mergeCommit: { oid: merge },
            author: { login: "dev" },
          },
        ],
      });
    }
    const { data } = await gql(ASSOCIATED, { oid: open.head.sha });
    expect(
      data.repository.object.associatedPullRequests.nodes.map((p: { number: number }) => p.number),
    ).toEqual([open.number]);
    // A commit that came through no PR has none.
    const direct = gh.commit(repo, { files: { "d.txt": "d\n" } });
    expect(
      (await gql(ASSOCIATED, { oid: direct })).data.repository.object.associatedPullRequests.totalCount,
    ).toBe(0);

    // REST agrees.
    const { data: rest } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: "acme",
      repo: "assoc",
      commit_sha: first,
    });
    expect(rest.map((p) => p.number)).toEqual([pr.number]);
  });

  it("on the default branch only the merged PR that brought the commit is listed", async () => {
    const repo = gh.addRepo("acme/assoc-default", { files: { "a.txt": "1\n" } });
    const pr = gh.openPullRequest(repo, { head: "x", user: "dev", files: { "a.txt": "2\n" } });
    const shared = pr.head.sha;
    // A second, still open PR from a branch that holds the same commit.
    gh.setBranch(repo, "y", shared);
    gh.commit(repo, { branch: "y", files: { "y.txt": "y\n" } });
    const other = gh.openPullRequest(repo, { head: "y", user: "erin" });
    expect(gh.pullRequestsWithCommit(repo, shared).map((p) => p.number)).toEqual([pr.number, other.number]);
    gh.mergePullRequest(repo, pr.number);
    expect(gh.pullRequestsWithCommit(repo, shared).map((p) => p.number)).toEqual([pr.number]);
  });
});

describe("merging", () => {
  it("merges onto the base branch as it is now: two pull requests opened together both land", () => {
    gh.addRepo("acme/merges", { files: { "a.txt": "a\n", "b.txt": "b\n" }, author: "alice" });
    const one = gh.openPullRequest("acme/merges", { head: "one", user: "dana", files: { "a.txt": "a1\n" } });
    const two = gh.openPullRequest("acme/merges", { head: "two", user: "dana", files: { "b.txt": "b2\n" } });
    const first = gh.mergePullRequest("acme/merges", one.number);
    const second = gh.mergePullRequest("acme/merges", two.number);
    expect(gh.getCommit("acme/merges", second)?.parents[0]).toBe(first);
    const files = gh.filesAt("acme/merges", "main");
    expect([files.get("a.txt"), files.get("b.txt")].map(String)).toEqual(["a1\n", "b2\n"]);
  });
});

describe("release assets", () => {
  const UPLOAD = "POST /repos/{owner}/{repo}/releases/{release_id}/assets";

  async function upload(releaseId: number, uploadUrl: string, name: string, data: string) {
    const { data: asset } = await octokit.rest.repos.uploadReleaseAsset({
      owner: "acme",
      repo: "assets",
      release_id: releaseId,
      url: uploadUrl,
      name,
      data: data as never,
      headers: { "content-type": "application/json" },
    });
    return asset;
  }

  async function names(releaseId: number): Promise<string[]> {
    const { data } = await octokit.rest.repos.listReleaseAssets({
      owner: "acme",
      repo: "assets",
      release_id: releaseId,
    });
    return data.map((a) => a.name);
  }

  it("are read, renamed, deleted and uploaded again, and a second one of a name is refused", async () => {
    gh.addRepo("acme/assets", { files: { "a.txt": "1\n" } });
    const release = gh.addRelease("acme/assets", { tag_name: "v1.0.0" });
    const { data: json } = await octokit.rest.repos.getRelease({
      owner: "acme",
      repo: "assets",
      release_id: release.id,
    });
    const report = await upload(
      release.id,
      json.upload_url,
      "readiness-report.json",
      '{"verdict":"unready"}',
    );
    await upload(release.id, json.upload_url, "readiness-report.md", "# Unready\n");
    expect(await names(release.id)).toEqual(["readiness-report.json", "readiness-report.md"]);

    const { data: got } = await octokit.rest.repos.getReleaseAsset({
      owner: "acme",
      repo: "assets",
      asset_id: report.id,
    });
    expect(got).toMatchObject({
      id: report.id,
      name: "readiness-report.json",
      size: 21,
      content_type: "application/json",
    });
    const bytes = await octokit.request("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", {
      owner: "acme",
      repo: "assets",
      asset_id: report.id,
      headers: { accept: "application/octet-stream" },
    });
    expect(Buffer.from(bytes.data as unknown as ArrayBuffer).toString()).toBe('{"verdict":"unready"}');

    const { data: renamed } = await octokit.rest.repos.updateReleaseAsset({
      owner: "acme",
      repo: "assets",
      asset_id: report.id,
      name: "old-report.json",
      label: "superseded",
    });
    expect(renamed).toMatchObject({ name: "old-report.json", label: "superseded" });

    // Replacing: delete, then upload under the same name.
    const deleted = await octokit.rest.repos.deleteReleaseAsset({
      owner: "acme",
      repo: "assets",
      asset_id: report.id,
    });
    expect(deleted.status).toBe(204);
    expect(await names(release.id)).toEqual(["readiness-report.md"]);
    await expect(
      octokit.rest.repos.getReleaseAsset({ owner: "acme", repo: "assets", asset_id: report.id }),
    ).rejects.toMatchObject({ status: 404 });
    const again = await upload(release.id, json.upload_url, "readiness-report.json", '{"verdict":"ready"}');
    expect(again.id).not.toBe(report.id);
    expect(await names(release.id)).toEqual(["readiness-report.md", "readiness-report.json"]);

    // GitHub refuses a duplicate name, on upload and on rename (422s GitHub would send are violations).
    await expect(upload(release.id, json.upload_url, "readiness-report.md", "x")).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      octokit.rest.repos.updateReleaseAsset({
        owner: "acme",
        repo: "assets",
        asset_id: again.id,
        name: "readiness-report.md",
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.violations.map((v) => v.status)).toEqual([422, 422]);
    gh.clearLog();
  });

  it("failNext makes GitHub fail mid-upload: the failed requests change nothing and are logged by route", async () => {
    const release = gh.addRelease("acme/assets", { tag_name: "v1.1.0" });
    const { data: json } = await octokit.rest.repos.getRelease({
      owner: "acme",
      repo: "assets",
      release_id: release.id,
    });
    gh.failNext("POST", "/repos/{owner}/{repo}/releases/{release_id}/assets", { status: 502, times: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(upload(release.id, json.upload_url, "readiness-report.json", "{}")).rejects.toMatchObject({
        status: 502,
      });
    }
    expect(await names(release.id)).toEqual([]);
    await upload(release.id, json.upload_url, "readiness-report.json", "{}");
    expect(await names(release.id)).toEqual(["readiness-report.json"]);
    expect(gh.requestsTo(UPLOAD).map((r) => r.status)).toEqual([502, 502, 201]);
  });
});

describe("deployments", () => {
  it("a recorded deployment is read back as GitHub describes it", async () => {
    gh.addRepo("acme/deploys", { files: { "a.txt": "1\n" } });
    const sha = gh.resolveRef("acme/deploys", "main") as string;
    const deployment = gh.addDeployment("acme/deploys", { environment: "production", sha, ref: "main" });
    const { data } = await octokit.rest.repos.getDeployment({
      owner: "acme",
      repo: "deploys",
      deployment_id: deployment.id,
    });
    expect(data).toMatchObject({
      id: deployment.id,
      sha,
      ref: "main",
      environment: "production",
      task: "deploy",
    });
  });
});

describe("webhooks for releases, deployments and pushes", () => {
  /** Every problem, one a line ("" when GitHub could send it), with the installation GitHub adds. */
  function problems(event: string, payload: Record<string, unknown>): string {
    return webhookProblems(event, {
      ...payload,
      installation: gh.render.installation(gh.installationId),
    }).join("\n");
  }

  it("release created, published and edited are payloads GitHub could send", () => {
    const hooks = new Webhooks(gh);
    gh.addRepo("acme/hooks-release", { files: { "a.txt": "1\n" } });
    const release = gh.addRelease("acme/hooks-release", {
      tag_name: "v2.0.0",
      body: "notes",
      author: "rel-eng",
    });
    for (const action of ["created", "published"] as const) {
      const payload = hooks.release("acme/hooks-release", release.id, action);
      expect(problems("release", payload), action).toBe("");
      expect(payload).toMatchObject({
        action,
        release: { id: release.id, tag_name: "v2.0.0" },
        sender: { login: "rel-eng" },
      });
    }
    const edited = hooks.release("acme/hooks-release", release.id, "edited", "dana", {
      body: { from: "old" },
    });
    expect(problems("release", edited)).toBe("");
    expect(edited).toMatchObject({ changes: { body: { from: "old" } }, sender: { login: "dana" } });
  });

  it("deployment_protection_rule.requested names a callback the app can answer and a deployment it can read", async () => {
    const hooks = new Webhooks(gh);
    gh.addRepo("acme/hooks-deploy", { files: { "a.txt": "1\n" } });
    const sha = gh.resolveRef("acme/hooks-deploy", "main") as string;
    const payload = hooks.deploymentProtectionRule("acme/hooks-deploy", {
      environment: "production",
      sha,
      runId: 4242,
    });
    expect(problems("deployment_protection_rule", payload)).toBe("");
    const deployment = payload.deployment as { id: number; sha: string; ref: string; environment: string };
    expect(deployment).toMatchObject({ sha, ref: "main", environment: "production" });
    expect(payload).toMatchObject({ action: "requested", environment: "production", event: "push" });

    const { data } = await octokit.rest.repos.getDeployment({
      owner: "acme",
      repo: "hooks-deploy",
      deployment_id: deployment.id,
    });
    expect(data.sha).toBe(sha);
    // The callback is the REST operation that reviews the rule (Octokit posts to it by URL).
    await octokit.request(`POST ${payload.deployment_callback_url}`, {
      environment_name: "production",
      state: "rejected",
      comment: "unready: models/a lacks a privacy review",
    });
    expect(gh.repo("acme/hooks-deploy").deploymentReviews).toEqual([
      {
        run_id: 4242,
        environment_name: "production",
        state: "rejected",
        comment: "unready: models/a lacks a privacy review",
      },
    ]);
  });

  it("push says what a force-push and a deletion are", () => {
    const hooks = new Webhooks(gh);
    const repo = gh.addRepo("acme/hooks-push", { files: { "a.txt": "1\n" } });
    const root = gh.resolveRef(repo, "main") as string;
    const old = gh.commit(repo, { files: { "a.txt": "2\n" }, message: "old" });
    const plain = hooks.push("acme/hooks-push", "refs/heads/main", root, "pat");
    expect(problems("push", plain)).toBe("");
    expect(plain).toMatchObject({ forced: false, deleted: false, after: old, pusher: { name: "pat" } });
    expect(
      (plain.commits as Array<{ id: string; modified: string[] }>).map((c) => [c.id, c.modified]),
    ).toEqual([[old, ["a.txt"]]]);
    expect(plain.head_commit).toMatchObject({ id: old });

    // A new branch lists the commits it adds to the default branch; one made at an existing commit
    // lists none, but still names its tip.
    const topicTip = gh.commit(repo, { branch: "feature", parent: old, files: { "c.txt": "c\n" } });
    const created = hooks.push("acme/hooks-push", "refs/heads/feature", "0".repeat(40), "pat");
    expect(problems("push", created)).toBe("");
    expect(created).toMatchObject({ created: true, forced: false, head_commit: { id: topicTip } });
    expect((created.commits as Array<{ id: string }>).map((c) => c.id)).toEqual([topicTip]);
    gh.setBranch(repo, "same", old);
    const same = hooks.push("acme/hooks-push", "refs/heads/same", "0".repeat(40), "pat");
    expect(same).toMatchObject({ created: true, commits: [], head_commit: { id: old } });

    // Rewritten: main now points at a commit that does not descend from `old`.
    const rewritten = gh.commit(repo, { parent: root, files: { "b.txt": "b\n" }, message: "rewritten" });
    gh.setBranch(repo, "main", rewritten);
    const forced = hooks.push("acme/hooks-push", "refs/heads/main", old, "pat");
    expect(problems("push", forced)).toBe("");
    expect(forced).toMatchObject({ forced: true, after: rewritten, head_commit: { id: rewritten } });

    gh.setBranch(repo, "topic", rewritten);
    gh.deleteBranch(repo, "topic");
    const deleted = hooks.push("acme/hooks-push", "refs/heads/topic", rewritten, "pat");
    expect(problems("push", deleted)).toBe("");
    expect(deleted).toMatchObject({ deleted: true, after: "0".repeat(40), commits: [], head_commit: null });
  });
});

describe("annotated tags", () => {
  it("a release's annotated tag is a Tag object that points at the commit, in GraphQL and REST", async () => {
    const repo = gh.addRepo("acme/tags", { files: { "a.txt": "1\n" } });
    const commit = gh.resolveRef(repo, "main") as string;
    gh.addTag(repo, "v1.0.0", commit, { message: "Release 1.0.0\n", tagger: "rel-eng" });
    gh.addTag(repo, "light", commit);
    gh.addRelease(repo, { tag_name: "v1.0.0" });
    const tagSha = repo.annotatedTags.get("v1.0.0")?.sha as string;
    expect(tagSha).toMatch(/^[0-9a-f]{40}$/);
    expect(tagSha).not.toBe(commit);

    const { data, errors } = await gql(`{
      repository(owner: "acme", name: "tags") {
        annotated: ref(qualifiedName: "refs/tags/v1.0.0") { target { __typename oid ... on Tag { name message tagger { name } target { oid } } } }
        light: ref(qualifiedName: "refs/tags/light") { target { __typename oid } }
        byName: object(expression: "v1.0.0") { __typename oid ... on Tag { target { oid } } }
        byOid: object(oid: "${tagSha}") { __typename ... on Tag { name } }
        file: object(expression: "v1.0.0:a.txt") { ... on Blob { text } }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data.repository).toEqual({
      annotated: {
        target: {
          __typename: "Tag",
          oid: tagSha,
          name: "v1.0.0",
          message: "Release 1.0.0\n",
          tagger: { name: "rel-eng" },
          target: { oid: commit },
        },
      },
      light: { target: { __typename: "Commit", oid: commit } },
      byName: { __typename: "Tag", oid: tagSha, target: { oid: commit } },
      byOid: { __typename: "Tag", name: "v1.0.0" },
      file: { text: "1\n" },
    });

    const { data: ref } = await octokit.rest.git.getRef({ owner: "acme", repo: "tags", ref: "tags/v1.0.0" });
    expect(ref.object).toMatchObject({ type: "tag", sha: tagSha });
    const { data: tag } = await octokit.rest.git.getTag({ owner: "acme", repo: "tags", tag_sha: tagSha });
    expect(tag).toMatchObject({
      tag: "v1.0.0",
      message: "Release 1.0.0\n",
      object: { type: "commit", sha: commit },
    });
    // Everything else resolves the tag to its commit, as before.
    const { data: viaTag } = await octokit.rest.repos.getCommit({
      owner: "acme",
      repo: "tags",
      ref: "v1.0.0",
    });
    expect(viaTag.sha).toBe(commit);
  });
});
