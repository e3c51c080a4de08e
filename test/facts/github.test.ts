import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTarget, githubFacts, normalizeReviewState } from "../../src/facts/github.js";
import { readOrgPolicy } from "../../src/facts/github-org-policy.js";
import { EVIDENCE_SIZE_LIMIT, type FileRead } from "../../src/facts/types.js";

const API = "https://api.github.com";
const REPO = "/repos/acme/models";
const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);
const MERGE_BASE = "a".repeat(40);
const REVIEWED = "d".repeat(40);

const TestOctokit = ProbotOctokit.defaults((options: object) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));
const octokit = () => new TestOctokit({ auth: { token: "test" } });

const pullTarget: GitHubTarget = {
  owner: "acme",
  repo: "models",
  baseSha: BASE,
  headSha: HEAD,
  pull: { number: 7, author: "dana" },
};
const pushTarget: GitHubTarget = { owner: "acme", repo: "models", baseSha: BASE, headSha: HEAD };

const github = () => nock(API);
const nextPage = (path: string, page: number) => ({
  link: `<${API}${path}?per_page=100&page=${page}>; rel="next"`,
});
const file = (filename: string, status = "modified", extra: object = {}) => ({ filename, status, ...extra });

function textBlob(text: string, oid = "f".repeat(40)) {
  return {
    __typename: "Blob",
    byteSize: Buffer.byteLength(text),
    isBinary: false,
    isTruncated: false,
    text,
    oid,
  };
}

/** Answers a batched GraphQL read from `objects` (by expression), recording each query's variables. */
function graphqlObjects(objects: Record<string, object | null>, queries: Record<string, string>[]) {
  return github()
    .post("/graphql")
    .reply(200, (_uri, body) => {
      const variables = (body as { variables: Record<string, string> }).variables;
      queries.push(variables);
      const repository: Record<string, object | null> = {};
      for (const [name, expression] of Object.entries(variables)) {
        if (/^e\d+$/.test(name)) repository[`f${name.slice(1)}`] = objects[expression] ?? null;
      }
      return { data: { repository } };
    });
}

function tree(sha: string, entries: Array<[string, "blob" | "tree", string]>, truncated = false) {
  return {
    sha,
    truncated,
    tree: entries.map(([path, type, entrySha]) => ({
      path,
      type,
      sha: entrySha,
      mode: type === "tree" ? "040000" : "100644",
    })),
  };
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("githubFacts changedFiles", () => {
  it("pages through a PR's files, 100 per request, keeping renames and normalising statuses", async () => {
    const path = `${REPO}/pulls/7/files`;
    const firstPage = Array.from({ length: 100 }, (_, i) => file(`models/churn/f${i}.py`));
    const scope = github()
      .get(path)
      .query({ per_page: "100" })
      .reply(200, firstPage, nextPage(path, 2))
      .get(path)
      .query({ per_page: "100", page: "2" })
      .reply(200, [
        file("prompts/new.txt", "renamed", { previous_filename: "prompts/old.txt" }),
        file("models/copy.py", "copied", { previous_filename: "models/churn/f1.py" }),
        file("models/run.sh", "changed"),
        file("models/gone.py", "removed"),
      ]);
    const facts = githubFacts(octokit(), pullTarget);

    const changes = await facts.changedFiles();
    await facts.changedFiles();

    expect(changes.incomplete).toBeUndefined();
    expect(changes.files).toHaveLength(104);
    expect(changes.files.slice(100)).toEqual([
      { path: "prompts/new.txt", status: "renamed", previousPath: "prompts/old.txt" },
      { path: "models/copy.py", status: "added" },
      { path: "models/run.sh", status: "modified" },
      { path: "models/gone.py", status: "removed" },
    ]);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(2);
  });

  it("marks a PR over GitHub's 3,000-file listing incomplete, so the engine fails closed", async () => {
    const path = `${REPO}/pulls/7/files`;
    const scope = github();
    for (let page = 1; page <= 30; page++) {
      const files = Array.from({ length: 100 }, (_, i) => file(`data/p${page}/f${i}.csv`));
      scope
        .get(path)
        .query(page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) })
        .reply(200, files, page < 30 ? nextPage(path, page + 1) : {});
    }
    scope.get(`${REPO}/pulls/7`).reply(200, { number: 7, changed_files: 3412 });
    const facts = githubFacts(octokit(), pullTarget);

    const changes = await facts.changedFiles();

    expect(changes.files).toHaveLength(3000);
    expect(changes.incomplete).toBe(
      "this pull request changes 3,412 files; GitHub lists only the first 3,000, so readiness cannot be evaluated — split the pull request",
    );
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(31);
  });

  it("compares base...head without a PR, in one request", async () => {
    const scope = github()
      .get(`${REPO}/compare/${BASE}...${HEAD}`)
      .query({ per_page: "1" })
      .reply(200, {
        status: "ahead",
        merge_base_commit: { sha: BASE },
        files: [file("models/churn/model.py"), file("b.txt", "renamed", { previous_filename: "a.txt" })],
      });
    const facts = githubFacts(octokit(), pushTarget);

    expect(await facts.changedFiles()).toEqual({
      files: [
        { path: "models/churn/model.py", status: "modified" },
        { path: "b.txt", status: "renamed", previousPath: "a.txt" },
      ],
    });
    expect(facts.people).toBeUndefined();
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(1);
  });

  it("diffs the merge base's tree against the head's when a comparison hits GitHub's 300 files", async () => {
    const listed = Array.from({ length: 300 }, (_, i) => file(`src/f${i}.ts`));
    const scope = github()
      .get(`${REPO}/compare/${BASE}...${HEAD}`)
      .query({ per_page: "1" })
      .reply(200, { status: "diverged", merge_base_commit: { sha: MERGE_BASE }, files: listed })
      .get(`${REPO}/git/trees/${MERGE_BASE}`)
      .query({ recursive: "1" })
      .reply(
        200,
        tree("t1", [
          ["models", "tree", "m1"],
          ["models/a.py", "blob", "1"],
          ["models/b.py", "blob", "2"],
        ]),
      )
      .get(`${REPO}/git/trees/${HEAD}`)
      .query({ recursive: "1" })
      .reply(
        200,
        tree("t2", [
          ["models", "tree", "m2"],
          ["models/a.py", "blob", "1"],
          ["models/c.py", "blob", "3"],
        ]),
      );
    const facts = githubFacts(octokit(), pushTarget);

    expect((await facts.changedFiles()).files).toEqual([
      { path: "models/b.py", status: "removed" },
      { path: "models/c.py", status: "added" },
    ]);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(3);
  });
});

describe("githubFacts readFile", () => {
  it("reads five files asked for in the same tick with ONE GraphQL request", async () => {
    const queries: Record<string, string>[] = [];
    const scope = graphqlObjects(
      {
        [`${BASE}:.github/readiness.yml`]: textBlob("version: 1\n"),
        [`${HEAD}:models/churn/artifact.yml`]: textBlob("owners: ['@acme/ml']\n", "e".repeat(40)),
        [`${HEAD}:models/churn/big.json`]: { ...textBlob(""), byteSize: EVIDENCE_SIZE_LIMIT + 1, text: null },
        [`${HEAD}:models/churn/logo.png`]: { ...textBlob(""), byteSize: 120, isBinary: true, text: null },
      },
      queries,
    );
    const facts = githubFacts(octokit(), pullTarget);

    const reads = await Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.readFile("head", "models/churn/artifact.yml"),
      facts.readFile("head", "models/churn/./missing.yml"),
      facts.readFile("head", "models/churn/big.json"),
      facts.readFile("head", "models/churn/logo.png"),
    ]);
    const again = await facts.readFile("head", "models/churn/artifact.yml");
    const outside = await facts.readFile("head", "../secrets.txt");

    expect(reads.map((r) => r.kind)).toEqual(["ok", "ok", "missing", "too_large", "unreadable"]);
    expect(text(reads[0])).toBe("version: 1\n");
    expect(reads[1]).toMatchObject({ kind: "ok", sha: "e".repeat(40) });
    expect(reads[3]).toEqual({
      kind: "too_large",
      size: EVIDENCE_SIZE_LIMIT + 1,
      limit: EVIDENCE_SIZE_LIMIT,
    });
    expect(reads[4]).toEqual({ kind: "unreadable", reason: "binary file" });
    expect(again).toBe(reads[1]);
    expect(outside.kind).toBe("unreadable");
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({
      owner: "acme",
      name: "models",
      e2: `${HEAD}:models/churn/missing.yml`,
    });
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(1);
  });

  it("sends at most 50 reads per query", async () => {
    const queries: Record<string, string>[] = [];
    graphqlObjects({}, queries);
    graphqlObjects({}, queries);
    const facts = githubFacts(octokit(), pullTarget);

    const reads = await Promise.all(
      Array.from({ length: 55 }, (_, i) => facts.readFile("head", `f${i}.txt`)),
    );

    expect(reads.every((r) => r.kind === "missing")).toBe(true);
    expect(queries.map((q) => Object.keys(q).length - 2)).toEqual([50, 5]);
    expect(facts.requestCount()).toBe(2);
  });

  it("fails every read of a query GitHub answers with an error, instead of calling the files missing", async () => {
    github()
      .post("/graphql")
      .reply(200, {
        data: { repository: null },
        errors: [{ type: "NOT_FOUND", message: "Could not resolve" }],
      });
    const facts = githubFacts(octokit(), pullTarget);

    const reads = Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.readFile("head", "a.txt"),
    ]);

    await expect(reads).rejects.toThrow(/Could not resolve/);
    expect(facts.requestCount()).toBe(1);
  });

  it("fetches the exact bytes from the blob API when GraphQL's text does not match the size", async () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1, not UTF-8
    const oid = "9".repeat(40);
    const queries: Record<string, string>[] = [];
    graphqlObjects(
      { [`${HEAD}:notes.txt`]: { ...textBlob("caf\uFFFD\n", oid), byteSize: latin1.byteLength } },
      queries,
    );
    const scope = github()
      .get(`${REPO}/git/blobs/${oid}`)
      .reply(200, { sha: oid, size: 5, encoding: "base64", content: latin1.toString("base64") });
    const facts = githubFacts(octokit(), pullTarget);

    const read = await facts.readFile("head", "notes.txt");

    expect(read.kind === "ok" && Buffer.from(read.bytes).equals(latin1)).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(2);
  });
});

describe("githubFacts listFiles", () => {
  it("answers every directory of a side from one recursive tree request", async () => {
    const scope = github()
      .get(`${REPO}/git/trees/${HEAD}`)
      .query({ recursive: "1" })
      .reply(
        200,
        tree("root", [
          ["models", "tree", "t1"],
          ["models/churn", "tree", "t2"],
          ["models/churn/model.py", "blob", "s1"],
          ["models/churn/eval/results.json", "blob", "s2"],
          ["models/churnish/x.txt", "blob", "s3"],
          ["README.md", "blob", "s4"],
        ]),
      )
      .get(`${REPO}/git/trees/${BASE}`)
      .query({ recursive: "1" })
      .reply(200, tree("root0", [["README.md", "blob", "s0"]]));
    const facts = githubFacts(octokit(), pullTarget);

    const [churn, churnSlash, models, all] = await Promise.all([
      facts.listFiles("head", "models/churn"),
      facts.listFiles("head", "models/churn/"),
      facts.listFiles("head", "models"),
      facts.listFiles("head", ""),
    ]);
    const base = await facts.listFiles("base", "models");

    expect(churn).toEqual([
      { path: "models/churn/model.py", sha: "s1" },
      { path: "models/churn/eval/results.json", sha: "s2" },
    ]);
    expect(churnSlash).toEqual(churn);
    expect(models.map((e) => e.path)).toEqual([
      "models/churn/model.py",
      "models/churn/eval/results.json",
      "models/churnish/x.txt",
    ]);
    expect(all).toHaveLength(4);
    expect(base).toEqual([]);
    expect(await facts.listFiles("head", "../x")).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(2);
  });

  it("walks down to the directory's own tree when the recursive listing is truncated", async () => {
    const scope = github()
      .get(`${REPO}/git/trees/${HEAD}`)
      .query({ recursive: "1" })
      .reply(200, tree("root", [["vendor", "tree", "v"]], true))
      .get(`${REPO}/git/trees/root`)
      .reply(
        200,
        tree("root", [
          ["models", "tree", "m"],
          ["vendor", "tree", "v"],
        ]),
      )
      .get(`${REPO}/git/trees/m`)
      .reply(200, tree("m", [["churn", "tree", "c"]]))
      .get(`${REPO}/git/trees/c`)
      .query({ recursive: "1" })
      .reply(
        200,
        tree("c", [
          ["eval", "tree", "e"],
          ["eval/results.json", "blob", "s1"],
          ["ROLLBACK.md", "blob", "s2"],
        ]),
      );
    const facts = githubFacts(octokit(), pullTarget);

    const files = await facts.listFiles("head", "models/churn");
    await facts.listFiles("head", "models/churn");

    expect(files).toEqual([
      { path: "models/churn/eval/results.json", sha: "s1" },
      { path: "models/churn/ROLLBACK.md", sha: "s2" },
    ]);
    expect(await facts.listFiles("head", "models/none")).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(4);
  });
});

describe("githubFacts people", () => {
  it("lists reviews oldest first, upper-casing states and skipping pending ones", async () => {
    const review = (user: string | null, state: string, at: string) => ({
      user: user ? { login: user } : null,
      state,
      commit_id: HEAD,
      submitted_at: at,
    });
    const scope = github()
      .get(`${REPO}/pulls/7/reviews`)
      .query({ per_page: "100" })
      .reply(200, [
        review("erin", "approved", "2025-01-01T00:00:00Z"),
        review("frank", "changes_requested", "2025-01-02T00:00:00Z"),
        review("gail", "PENDING", "2025-01-03T00:00:00Z"),
        review(null, "APPROVED", "2025-01-04T00:00:00Z"),
        review("erin", "DISMISSED", "2025-01-05T00:00:00Z"),
      ]);
    const people = githubFacts(octokit(), pullTarget).people;

    const reviews = await people?.reviews();
    await people?.reviews();

    expect(reviews).toEqual([
      { user: "erin", state: "APPROVED", commitId: HEAD, submittedAt: "2025-01-01T00:00:00Z" },
      { user: "frank", state: "CHANGES_REQUESTED", commitId: HEAD, submittedAt: "2025-01-02T00:00:00Z" },
      { user: "erin", state: "DISMISSED", commitId: HEAD, submittedAt: "2025-01-05T00:00:00Z" },
    ]);
    expect(normalizeReviewState("commented")).toBe("COMMENTED");
    expect(normalizeReviewState("bogus")).toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it("names commit authors and committers, without web-flow or unknown accounts", async () => {
    github()
      .get(`${REPO}/pulls/7/commits`)
      .query({ per_page: "100" })
      .reply(200, [
        { sha: "1", author: { login: "dana" }, committer: { login: "web-flow" } },
        { sha: "2", author: null, committer: { login: "hank" } },
        { sha: "3", author: { login: "dana" }, committer: { login: "dana" } },
      ]);
    const facts = githubFacts(octokit(), pullTarget);

    expect(await facts.people?.commitAuthors()).toEqual(["dana", "hank"]);
    expect(facts.people?.author).toBe("dana");
    expect(facts.requestCount()).toBe(1);
  });

  it("counts only active team members; pending and 404 are not members, other errors propagate", async () => {
    const membership = (login: string) => `/orgs/acme/teams/privacy/memberships/${login}`;
    const scope = github()
      .get(membership("alice"))
      .reply(200, { state: "active", role: "member" })
      .get(membership("bob"))
      .reply(200, { state: "pending", role: "member" })
      .get(membership("carol"))
      .reply(404, { message: "Not Found" })
      .get(membership("dave"))
      .reply(500, { message: "boom" });
    const facts = githubFacts(octokit(), pullTarget);
    const people = facts.people;
    if (!people) throw new Error("expected people");

    expect(await people.isTeamMember("@acme/privacy", "alice")).toBe(true);
    expect(await people.isTeamMember("@acme/privacy", "Alice")).toBe(true);
    expect(await people.isTeamMember("@acme/privacy", "bob")).toBe(false);
    expect(await people.isTeamMember("@acme/privacy", "carol")).toBe(false);
    await expect(people.isTeamMember("@acme/privacy", "dave")).rejects.toMatchObject({ status: 500 });
    expect(await people.isTeamMember("not-a-team", "alice")).toBe(false);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(4);
  });

  it("tells whether users and teams exist", async () => {
    const scope = github()
      .get("/users/alice")
      .reply(200, { login: "alice", type: "User" })
      .get("/users/ghost-owner")
      .reply(404, { message: "Not Found" })
      .get("/users/acme")
      .reply(200, { login: "acme", type: "Organization" })
      .get("/orgs/acme/teams/privacy")
      .reply(200, { slug: "privacy" })
      .get("/orgs/acme/teams/nope")
      .reply(404, { message: "Not Found" });
    const facts = githubFacts(octokit(), pullTarget);
    const people = facts.people;
    if (!people) throw new Error("expected people");

    expect(await people.principalExists("@alice")).toBe(true);
    expect(await people.principalExists("alice")).toBe(true);
    expect(await people.principalExists("ghost-owner")).toBe(false);
    expect(await people.principalExists("acme")).toBe(false);
    expect(await people.principalExists("@acme/privacy")).toBe(true);
    expect(await people.principalExists("@acme/nope")).toBe(false);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(5);
  });

  it("lists paths changed since a reviewed commit, both sides of renames", async () => {
    const scope = github()
      .get(`${REPO}/compare/${REVIEWED}...${HEAD}`)
      .query({ per_page: "1" })
      .reply(200, {
        status: "ahead",
        merge_base_commit: { sha: REVIEWED },
        files: [
          file("models/churn/new.py", "renamed", { previous_filename: "models/churn/old.py" }),
          file("README.md"),
        ],
      });
    const facts = githubFacts(octokit(), pullTarget);

    expect(await facts.people?.changedSince(REVIEWED)).toEqual([
      "models/churn/new.py",
      "models/churn/old.py",
      "README.md",
    ]);
    expect(await facts.people?.changedSince(HEAD)).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(1);
  });

  it("diffs trees after a force-push, and treats a commit GitHub no longer knows as everything changed", async () => {
    const gone = "0".repeat(40);
    const scope = github()
      .get(`${REPO}/compare/${REVIEWED}...${HEAD}`)
      .query({ per_page: "1" })
      .reply(200, { status: "diverged", merge_base_commit: { sha: BASE }, files: [] })
      .get(`${REPO}/git/trees/${REVIEWED}`)
      .query({ recursive: "1" })
      .reply(
        200,
        tree("r", [
          ["models/a.py", "blob", "1"],
          ["models/b.py", "blob", "2"],
        ]),
      )
      .get(`${REPO}/git/trees/${HEAD}`)
      .query({ recursive: "1" })
      .reply(
        200,
        tree("h", [
          ["models/a.py", "blob", "1"],
          ["models/b.py", "blob", "9"],
        ]),
      )
      .get(`${REPO}/compare/${gone}...${HEAD}`)
      .query({ per_page: "1" })
      .reply(404, { message: "Not Found" });
    const facts = githubFacts(octokit(), pullTarget);

    expect(await facts.people?.changedSince(REVIEWED)).toEqual(["models/b.py"]);
    expect(await facts.people?.changedSince(gone)).toEqual(["models/a.py", "models/b.py"]);
    expect(scope.isDone()).toBe(true);
    expect(facts.requestCount()).toBe(4);
  });

  it("passes the app's override through", async () => {
    const override = { by: "ivy", reason: "hotfix", at: "t", expiresAt: "t2", headSha: HEAD };
    const facts = githubFacts(octokit(), pullTarget, { override: async () => override });

    expect(await facts.people?.activeOverride?.()).toEqual(override);
    expect(facts.requestCount()).toBe(0);
  });
});

describe("readOrgPolicy", () => {
  const contents = "/repos/acme/.github/contents/.github%2Freadiness.yml";

  it("is undefined when the org has no policy", async () => {
    github().get(contents).reply(404, { message: "Not Found" });
    expect(await readOrgPolicy(octokit(), "acme")).toBeUndefined();
  });

  it("returns the policy text labelled with its repository", async () => {
    const text = "version: 1\n";
    github()
      .get(contents)
      .reply(200, {
        type: "file",
        encoding: "base64",
        size: text.length,
        content: Buffer.from(text).toString("base64"),
      });
    expect(await readOrgPolicy(octokit(), "acme")).toEqual({
      path: ".github/readiness.yml",
      label: "acme/.github:.github/readiness.yml",
      text,
    });
  });

  it("is an error value when the file cannot be used", async () => {
    github().get(contents).reply(200, { type: "file", encoding: "none", size: 2_000_000, content: "" });
    expect(await readOrgPolicy(octokit(), "acme")).toEqual({
      label: "acme/.github:.github/readiness.yml",
      error: {
        path: "acme/.github:.github/readiness.yml",
        message: "the org policy is too large to read (2000000 bytes)",
      },
    });
  });

  it("propagates other errors", async () => {
    github().get(contents).reply(500, { message: "boom" });
    await expect(readOrgPolicy(octokit(), "acme")).rejects.toMatchObject({ status: 500 });
  });
});

function text(read: FileRead | undefined): string | undefined {
  return read?.kind === "ok" ? new TextDecoder().decode(read.bytes) : undefined;
}
