// The GitHub facts source, one request at a time on nock: what each answer of GitHub becomes
// (files, reads, entry kinds, people, the org policy), answers the stand-in would never give
// (copied files, a deleted review author, errors, wrong shapes), and how many requests each takes.
// Scenarios of several requests run on the GitHub stand-in, in github-scenarios.test.ts.
import type { GraphQLResolveInfo } from "graphql";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import { type GitHubTarget, githubFacts, normalizeReviewState } from "../../src/facts/github.js";
import { EVIDENCE_SIZE_LIMIT, type FileRead } from "../../src/facts/types.js";
import { executeGitHubQuery, githubError, page } from "../support/github-graphql-schema.js";
import type { PageArgs } from "../support/github-standin/graphql-connections.js";

const API = "https://api.github.com";
const REPO = "/repos/acme/models";
const BASE = "b".repeat(40);
const HEAD = "c".repeat(40);
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

interface GraphQLBody {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * GitHub's GraphQL endpoint over `root`, each query validated against GitHub's official schema and
 * executed there; `bodies` records every request, `invalid` every query GitHub would refuse.
 */
function graphqlApi(root: object, reshape: (response: Answered) => void = () => undefined) {
  const bodies: GraphQLBody[] = [];
  const invalid: string[] = [];
  github()
    .persist()
    .post("/graphql")
    .reply(200, (_uri, body) => {
      bodies.push(body as GraphQLBody);
      const answer = executeGitHubQuery(body, root);
      if (answer.invalid) invalid.push(answer.invalid);
      reshape(answer.response as Answered);
      return answer.response;
    });
  return { bodies, invalid };
}

type Answered = { data?: Record<string, unknown> | null };

/**
 * An answer GitHub's schema would not give: under every question whose data has `path`, the
 * last key is deleted (or set to `value`).
 */
function misshapen(path: Array<string | number>, value?: unknown) {
  return (response: Answered) => {
    for (const data of Object.values(response.data ?? {})) {
      let node = data as Record<string | number, unknown> | null | undefined;
      for (const key of path.slice(0, -1)) node = node?.[key] as typeof node;
      const last = path[path.length - 1] as string | number;
      if (!node || !(last in node)) continue;
      if (value === undefined) delete node[last];
      else node[last] = value;
    }
  };
}

const notFound = (what: string): never => {
  throw githubError("NOT_FOUND", `Could not resolve to ${what}.`);
};

interface PullWorld {
  files?: Array<{ path: string; changeType: string }>;
  changedFiles?: number;
  reviews?: object[];
  commits?: object[];
  comments?: object[];
  /** The base branch's tip now (default BASE, the payload's); null once the branch is deleted. */
  baseTip?: string | null;
}

/** A commit's tree entry for `Commit.file`: a blob as a regular file, or an entry given whole. */
function treeEntry(node: object | null | undefined) {
  if (!node) return null;
  return "type" in node ? node : { type: "blob", mode: 0o100644, object: node };
}

/**
 * acme/models with `objects` by expression (`<sha>:<path>`, or a SHA) and pull request #7, whose
 * base branch's tip is `pull.baseTip`.
 */
function repositoryRoot(objects: Record<string, object | null> = {}, pull: PullWorld = {}) {
  const files = pull.files ?? [];
  const commitAt = (sha: string) => ({
    __typename: "Commit",
    oid: sha,
    file: ({ path }: { path: string }) => treeEntry(objects[`${sha}:${path}`]),
  });
  const tip = pull.baseTip === undefined ? BASE : pull.baseTip;
  const models = {
    object: ({ expression, oid }: { expression?: string; oid?: string }) =>
      objects[(oid ?? expression) as string] ?? null,
    pullRequest: ({ number }: { number: number }) =>
      number !== 7
        ? notFound(`a PullRequest with the number of ${number}`)
        : {
            changedFiles: pull.changedFiles ?? files.length,
            files: page(files),
            reviews: page(pull.reviews ?? []),
            commits: page(pull.commits ?? []),
            comments: page(pull.comments ?? []),
            baseRefName: "main",
            baseRef: tip === null ? null : { target: commitAt(tip) },
          },
  };
  return {
    repository: ({ owner, name }: { owner: string; name: string }) =>
      owner === "acme" && name === "models"
        ? models
        : notFound(`a Repository with the name '${owner}/${name}'`),
  };
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

/** GitHub's recursive listing of the tree at `sha` (`GET /git/trees/{sha}?recursive=1`). */
function recursiveTree(sha: string, answer: object) {
  return github().get(`${REPO}/git/trees/${sha}`).query({ recursive: "1" }).reply(200, answer);
}

/** One tree object, without recursion: a step down a truncated listing. */
function treeObject(sha: string, answer: object) {
  return github().get(`${REPO}/git/trees/${sha}`).reply(200, answer);
}

/** `from...HEAD` compared for its files (`per_page=1`: no commit list). */
function comparedWithHead(from: string, answer: object) {
  return github().get(`${REPO}/compare/${from}...${HEAD}`).query({ per_page: "1" }).reply(200, answer);
}

/** GitHub's GraphQL endpoint answering the next query with `status` and `body`, whatever it asks. */
function graphqlAnswers(status: number, body: object) {
  return github().post("/graphql").reply(status, body);
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("the files a change touches", () => {
  it("lists a PR's files, 100 per query, copies as added and type changes as modified", async () => {
    const files = [
      ...Array.from({ length: 100 }, (_, i) => ({ path: `models/churn/f${i}.py`, changeType: "MODIFIED" })),
      { path: "models/new.py", changeType: "ADDED" },
      { path: "models/copy.py", changeType: "COPIED" },
      { path: "models/run.sh", changeType: "CHANGED" },
      { path: "models/gone.py", changeType: "DELETED" },
    ];
    const api = graphqlApi(repositoryRoot({}, { files }));
    const facts = githubFacts(octokit(), pullTarget);

    const changes = await facts.changedFiles();
    await facts.changedFiles();

    expect(changes.incomplete).toBeUndefined();
    expect(changes.files).toHaveLength(104);
    expect(changes.files.slice(100)).toEqual([
      { path: "models/new.py", status: "added" },
      { path: "models/copy.py", status: "added" },
      { path: "models/run.sh", status: "modified" },
      { path: "models/gone.py", status: "removed" },
    ]);
    expect(api.invalid).toEqual([]);
    expect(facts.requestCount()).toBe(2);
  });

  it("lists a push's files from one comparison, and a push has no people", async () => {
    const scope = comparedWithHead(BASE, {
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
});

describe("reading files", () => {
  it("reads four files asked for together in one query: present, missing, too large; a path outside is unreadable", async () => {
    const api = graphqlApi(
      repositoryRoot({
        [`${BASE}:.github/readiness.yml`]: textBlob("version: 1\n"),
        [`${HEAD}:models/churn/artifact.yml`]: textBlob("owners: ['@acme/ml']\n", "e".repeat(40)),
        [`${HEAD}:models/churn/big.json`]: { ...textBlob(""), byteSize: EVIDENCE_SIZE_LIMIT + 1, text: null },
      }),
    );
    const facts = githubFacts(octokit(), pullTarget);

    const reads = await Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.readFile("head", "models/churn/artifact.yml"),
      facts.readFile("head", "models/churn/./missing.yml"),
      facts.readFile("head", "models/churn/big.json"),
    ]);
    const again = await facts.readFile("head", "models/churn/artifact.yml");
    const outside = await facts.readFile("head", "../secrets.txt");

    expect(reads.map((r) => r.kind)).toEqual(["ok", "ok", "missing", "too_large"]);
    expect(text(reads[0])).toBe("version: 1\n");
    expect(reads[1]).toMatchObject({ kind: "ok", sha: "e".repeat(40) });
    expect(reads[3]).toEqual({
      kind: "too_large",
      size: EVIDENCE_SIZE_LIMIT + 1,
      limit: EVIDENCE_SIZE_LIMIT,
    });
    expect(again).toBe(reads[1]);
    expect(outside.kind).toBe("unreadable");
    expect(api.bodies).toHaveLength(1);
    // The base read rides with the base branch's tip, asked a moment later in the same turn.
    expect(api.bodies[0]?.variables).toMatchObject({
      q1_expression: `${HEAD}:models/churn/missing.yml`,
      q3_number: 7,
      q3_path0: ".github/readiness.yml",
    });
    expect(api.invalid).toEqual([]);
    expect(facts.requestCount()).toBe(1);
  });

  it("asks about at most 50 files per query", async () => {
    const api = graphqlApi(repositoryRoot());
    const facts = githubFacts(octokit(), pullTarget);

    const reads = await Promise.all(
      Array.from({ length: 55 }, (_, i) => facts.readFile("head", `f${i}.txt`)),
    );

    expect(reads.every((r) => r.kind === "missing")).toBe(true);
    const expressions = (body: GraphQLBody) =>
      Object.keys(body.variables).filter((k) => k.endsWith("_expression"));
    expect(api.bodies.map((b) => expressions(b).length)).toEqual([50, 5]);
    expect(facts.requestCount()).toBe(2);
  });

  it("fails every file of a query GitHub answers with an error (rate limited), instead of calling the files missing", async () => {
    graphqlAnswers(200, {
      data: null,
      errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded for installation ID 1." }],
    });
    const facts = githubFacts(octokit(), pullTarget);

    const reads = Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.readFile("head", "a.txt"),
    ]);

    await expect(reads).rejects.toThrow(/API rate limit exceeded/);
    expect(facts.requestCount()).toBe(1);
  });

  it("never reads a repository GitHub does not return as a missing file", async () => {
    graphqlApi({ repository: () => notFound("a Repository with the name 'acme/models'") });
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.readFile("base", ".github/readiness.yml")).rejects.toThrow(
      /did not return pull request #7 of acme\/models/,
    );
    await expect(facts.readFile("head", "models/churn/artifact.yml")).rejects.toThrow(
      /did not return acme\/models/,
    );
  });
});

describe("githubFacts base side: reading the base", () => {
  it("reads a base file that is a symbolic link or a submodule as unreadable", async () => {
    graphqlApi(
      repositoryRoot({
        [`${BASE}:.github/readiness.yml`]: {
          type: "blob",
          mode: 0o120000,
          object: textBlob("../policy.yml"),
        },
        [`${BASE}:vendor/lib`]: { type: "commit", mode: 0o160000, object: null },
      }),
    );
    const facts = githubFacts(octokit(), pullTarget);

    const reads = await Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.readFile("base", "vendor/lib"),
    ]);

    expect(reads).toEqual([
      { kind: "unreadable", reason: "it is a symbolic link, not a file" },
      { kind: "unreadable", reason: "it is a submodule, not a file" },
    ]);
  });

  it("fails closed when the base branch no longer exists, never falling back to the payload's SHA", async () => {
    const api = graphqlApi(
      repositoryRoot({ [`${BASE}:.github/readiness.yml`]: textBlob("version: 1\n") }, { baseTip: null }),
    );
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.readFile("base", ".github/readiness.yml")).rejects.toThrow(
      /base branch main of pull request #7 no longer exists/,
    );
    await expect(facts.readFile("base", "models/churn/artifact.yml")).rejects.toThrow(/no longer exists/);
    expect(api.bodies).toHaveLength(1);
  });

  it("reads a push's or merge group's base at the SHA it names", async () => {
    const api = graphqlApi(repositoryRoot({ [`${BASE}:.github/readiness.yml`]: textBlob("version: 1\n") }));
    const facts = githubFacts(octokit(), pushTarget);

    expect(text(await facts.readFile("base", ".github/readiness.yml"))).toBe("version: 1\n");
    expect(facts.baseSha).toBe(BASE);
    expect(api.bodies[0]?.query).not.toContain("baseRef");
  });
});

describe("githubFacts entryKind: what a path is", () => {
  const entries = (list: Array<[string, string, number]>) =>
    list.map(([name, type, mode]) => ({ name, type, mode }));

  it("tells files, symlinks, submodules and directories apart, one question per directory, in one query", async () => {
    const api = graphqlApi(
      repositoryRoot({
        [HEAD]: {
          __typename: "Commit",
          tree: {
            entries: entries([
              ["models", "tree", 0o40000],
              ["README.md", "blob", 0o100644],
            ]),
          },
        },
        [`${HEAD}:models`]: {
          __typename: "Tree",
          entries: entries([
            ["churn", "tree", 0o40000],
            ["fraud", "blob", 0o120000],
            ["llm", "commit", 0o160000],
            ["evil.onnx", "blob", 0o100644],
          ]),
        },
        [`${HEAD}:models/fraud`]: textBlob("../shadow/fraud"),
      }),
    );
    const facts = githubFacts(octokit(), pullTarget);

    const paths = [
      "models",
      "README.md",
      "models/churn",
      "models/fraud",
      "models/llm",
      "models/evil.onnx",
      "models/none",
      "models/fraud/model.onnx",
      "../x",
      "",
    ];
    const kinds = await Promise.all(paths.map((p) => facts.entryKind("head", p)));

    expect(Object.fromEntries(paths.map((p, i) => [p, kinds[i]]))).toEqual({
      models: "directory",
      "README.md": "file",
      "models/churn": "directory",
      "models/fraud": "symlink",
      "models/llm": "submodule",
      "models/evil.onnx": "file",
      "models/none": "missing",
      "models/fraud/model.onnx": "missing", // git paths never go through a symlink
      "../x": "missing",
      "": "missing", // not a path, as every source says
    });
    expect(api.bodies).toHaveLength(1);
    expect(Object.keys(api.bodies[0]?.variables ?? {}).filter((k) => k.endsWith("_expression"))).toHaveLength(
      3,
    );
    expect(api.invalid).toEqual([]);
    expect(facts.requestCount()).toBe(1);
  });
});

describe("listing a directory", () => {
  it("lists symbolic links and submodules, marked, instead of leaving them out", async () => {
    recursiveTree(HEAD, {
      sha: "root",
      truncated: false,
      tree: [
        { path: "models", type: "tree", mode: "040000", sha: "t1" },
        { path: "models/fraud", type: "blob", mode: "120000", sha: "l1" },
        { path: "models/llm", type: "commit", mode: "160000", sha: "c".repeat(40) },
        { path: "models/run.sh", type: "blob", mode: "100755", sha: "x1" },
      ],
    });
    const facts = githubFacts(octokit(), pullTarget);

    expect(await facts.listFiles("head", "models")).toEqual([
      { path: "models/fraud", sha: "l1", kind: "symlink" },
      { path: "models/llm", sha: "c".repeat(40), kind: "submodule" },
      { path: "models/run.sh", sha: "x1" },
    ]);
  });

  it("walks down to the directory's own tree when the recursive listing is truncated", async () => {
    // The head's listing is cut short; the walk goes root → models → churn, then lists churn.
    const scopes = [
      recursiveTree(HEAD, tree("root", [["vendor", "tree", "v"]], true)),
      treeObject(
        "root",
        tree("root", [
          ["models", "tree", "m"],
          ["vendor", "tree", "v"],
        ]),
      ),
      treeObject("m", tree("m", [["churn", "tree", "c"]])),
      recursiveTree(
        "c",
        tree("c", [
          ["eval", "tree", "e"],
          ["eval/results.json", "blob", "s1"],
          ["ROLLBACK.md", "blob", "s2"],
        ]),
      ),
    ];
    const facts = githubFacts(octokit(), pullTarget);

    const files = await facts.listFiles("head", "models/churn");
    await facts.listFiles("head", "models/churn");

    expect(files).toEqual([
      { path: "models/churn/eval/results.json", sha: "s1" },
      { path: "models/churn/ROLLBACK.md", sha: "s2" },
    ]);
    expect(await facts.listFiles("head", "models/none")).toEqual([]);
    expect(scopes.every((s) => s.isDone())).toBe(true);
    expect(facts.requestCount()).toBe(4);
  });
});

describe("who reviewed, who wrote the change, who belongs", () => {
  it("lists reviews oldest first, skipping pending ones and deleted accounts", async () => {
    let ids = 0;
    const review = (login: string | null, state: string, at: string) => ({
      databaseId: ++ids,
      author: login ? { __typename: "User", login } : null,
      state,
      commit: { oid: HEAD },
      submittedAt: at,
    });
    const api = graphqlApi(
      repositoryRoot(
        {},
        {
          reviews: [
            review("erin", "APPROVED", "2025-01-01T00:00:00Z"),
            review("frank", "CHANGES_REQUESTED", "2025-01-02T00:00:00Z"),
            review("gail", "PENDING", "2025-01-03T00:00:00Z"),
            review(null, "APPROVED", "2025-01-04T00:00:00Z"),
            review("erin", "DISMISSED", "2025-01-05T00:00:00Z"),
          ],
        },
      ),
    );
    const facts = githubFacts(octokit(), pullTarget);

    const reviews = await facts.people?.reviews();
    await facts.people?.reviews();

    expect(reviews).toEqual([
      { id: 1, user: "erin", state: "APPROVED", commitId: HEAD, submittedAt: "2025-01-01T00:00:00Z" },
      {
        id: 2,
        user: "frank",
        state: "CHANGES_REQUESTED",
        commitId: HEAD,
        submittedAt: "2025-01-02T00:00:00Z",
      },
      { id: 5, user: "erin", state: "DISMISSED", commitId: HEAD, submittedAt: "2025-01-05T00:00:00Z" },
    ]);
    expect(normalizeReviewState("commented")).toBe("COMMENTED");
    expect(normalizeReviewState("bogus")).toBeUndefined();
    expect(api.invalid).toEqual([]);
    expect(facts.requestCount()).toBe(1);
  });

  it("reads the PR's files, commit authors and comments (ours as slug[bot]) with the base policy in one query", async () => {
    const user = (login: string | null) => ({ user: login ? { login } : null });
    const commit = (author: string | null, committer: string | null) => ({
      commit: { oid: "1".repeat(40), message: "Retrain", author: user(author), committer: user(committer) },
    });
    const api = graphqlApi(
      repositoryRoot(
        { [`${BASE}:.github/readiness.yml`]: textBlob("version: 1\n") },
        {
          files: [{ path: "models/churn/model.py", changeType: "MODIFIED" }],
          commits: [commit("dana", "web-flow"), commit(null, "hank"), commit("dana", "dana")],
          comments: [
            { author: { __typename: "Bot", login: "readiness-gate" }, body: "marker" },
            { author: { __typename: "User", login: "dana" }, body: "hi" },
          ],
        },
      ),
    );
    const facts = githubFacts(octokit(), pullTarget);

    const [policy, changes, authors, comments] = await Promise.all([
      facts.readFile("base", ".github/readiness.yml"),
      facts.changedFiles(),
      facts.people?.commitAuthors(),
      facts.comments(),
    ]);

    expect(text(policy)).toBe("version: 1\n");
    expect(changes.files).toEqual([{ path: "models/churn/model.py", status: "modified" }]);
    expect(authors).toEqual(["dana", "hank"]);
    expect(facts.people?.author).toBe("dana");
    // As REST names them, so the app's `slug[bot]` login matches.
    expect(comments).toEqual([
      { author: "readiness-gate[bot]", body: "marker" },
      { author: "dana", body: "hi" },
    ]);
    expect(api.invalid).toEqual([]);
    expect(facts.requestCount()).toBe(1);
  });

  it("counts only active team members, asked together; a missing org is no member, other errors propagate", async () => {
    const team = (members: string[]) => ({
      slug: "privacy",
      members: (args: PageArgs & { query?: string }, context: unknown, info: GraphQLResolveInfo) => {
        if (args.query === "dave")
          throw githubError("INTERNAL", "Something went wrong while executing your query.");
        const found = members.filter((m) => m.includes(args.query ?? ""));
        return page(found.map((login) => ({ login })))(args, context, info);
      },
    });
    const api = graphqlApi({
      organization: ({ login }: { login: string }) =>
        login === "acme"
          ? {
              team: ({ slug }: { slug: string }) => (slug === "privacy" ? team(["alice", "alicebob"]) : null),
            }
          : notFound(`an Organization with the login of '${login}'`),
    });
    const facts = githubFacts(octokit(), pullTarget);
    const people = facts.people;
    if (!people) throw new Error("expected people");

    const answers = await Promise.all([
      people.isTeamMember("@acme/privacy", "alice"),
      people.isTeamMember("@acme/privacy", "Alice"),
      people.isTeamMember("@acme/privacy", "bob"), // invited, not accepted: GitHub does not list him
      people.isTeamMember("@acme/other", "alice"),
      people.isTeamMember("@elsewhere/privacy", "alice"),
      people.isTeamMember("not-a-team", "alice"),
    ]);
    expect(answers).toEqual([true, true, false, false, false, false]);
    expect(facts.requestCount()).toBe(1);
    await expect(people.isTeamMember("@acme/privacy", "dave")).rejects.toThrow(/Something went wrong/);
    expect(api.invalid).toEqual([]);
  });

  it("tells who belongs to the organisation: active members and its own teams, nobody else", async () => {
    // acme: alice is a member; bob was invited and has not accepted; carl collaborates from outside.
    const members: Record<string, string[]> = { acme: ["alice"], other: ["carl"] };
    const api = graphqlApi({
      user: ({ login }: { login: string }) =>
        ["alice", "bob", "carl"].includes(login.toLowerCase())
          ? {
              login,
              organization: ({ login: org }: { login: string }) =>
                members[org]?.includes(login.toLowerCase()) ? { login: org } : null,
            }
          : notFound(`a User with the login of '${login}'`),
      organization: ({ login }: { login: string }) => ({
        team: ({ slug }: { slug: string }) => (login === "acme" && slug === "privacy" ? { slug } : null),
      }),
    });
    const facts = githubFacts(octokit(), pullTarget);
    const people = facts.people;
    if (!people) throw new Error("expected people");

    const principals = [
      "@alice",
      "ALICE",
      "bob",
      "carl",
      "ghost",
      "acme",
      "@acme/privacy",
      "@acme/nope",
      "@other/privacy",
    ];
    const answers = await Promise.all(principals.map((p) => people.isOrgPrincipal(p)));

    expect(Object.fromEntries(principals.map((p, i) => [p, answers[i]]))).toEqual({
      "@alice": true,
      ALICE: true,
      bob: false,
      carl: false,
      ghost: false,
      acme: false,
      "@acme/privacy": true,
      "@acme/nope": false,
      "@other/privacy": false, // another organisation's team, never asked about
    });
    expect(facts.requestCount()).toBe(1);
    expect(api.invalid).toEqual([]);
    expect(JSON.stringify(api.bodies)).not.toContain('"other"');
  });

  it("in a repository owned by a user, only that user belongs", async () => {
    graphqlApi({
      user: ({ login }: { login: string }) =>
        ["dana", "erin"].includes(login)
          ? { login, organization: () => null }
          : notFound(`a User '${login}'`),
      organization: ({ login }: { login: string }) =>
        notFound(`an Organization with the login of '${login}'`),
    });
    const facts = githubFacts(octokit(), { ...pullTarget, owner: "dana" });
    const people = facts.people;
    if (!people) throw new Error("expected people");

    expect(await Promise.all(["@dana", "erin", "@dana/team"].map((p) => people.isOrgPrincipal(p)))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("tells repository admins, org owners included, from everyone else", async () => {
    const roles: Record<string, string> = { owner: "ADMIN", admin: "ADMIN", writer: "WRITE" };
    const api = graphqlApi({
      repository: ({ owner, name }: { owner: string; name: string }) =>
        owner === "acme" && name === "models"
          ? {
              collaborators: (
                args: PageArgs & { login?: string },
                context: unknown,
                info: GraphQLResolveInfo,
              ) => {
                const role = args.login ? roles[args.login.toLowerCase()] : undefined;
                const edges = role ? [{ login: args.login, role }] : [];
                return {
                  ...page([])(args, context, info),
                  edges: edges.map((e) => ({ permission: e.role, node: { login: e.login } })),
                };
              },
            }
          : notFound("a Repository"),
    });
    const facts = githubFacts(octokit(), pullTarget);
    const people = facts.people;
    if (!people) throw new Error("expected people");

    const answers = await Promise.all(
      ["owner", "@Admin", "writer", "stranger"].map((l) => people.isRepoAdmin(l)),
    );

    expect(answers).toEqual([true, true, false, false]);
    expect(facts.requestCount()).toBe(1);
    expect(api.invalid).toEqual([]);
  });

  it("lists paths changed since a reviewed commit, both sides of renames", async () => {
    const scope = comparedWithHead(REVIEWED, {
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
});

describe("the organisation's policy", () => {
  const orgRoot = (objects: Record<string, object | null> | undefined) => ({
    repository: ({ owner, name }: { owner: string; name: string }) =>
      owner === "acme" && name === ".github" && objects
        ? { object: ({ expression }: { expression: string }) => objects[expression] ?? null }
        : notFound(`a Repository with the name '${owner}/${name}'`),
  });
  const policyAt = "HEAD:.github/readiness.yml";

  it("is none when the org has no .github repository, or no policy in it", async () => {
    graphqlApi(orgRoot(undefined));
    expect(await githubFacts(octokit(), pullTarget).orgPolicy()).toBeUndefined();
    nock.cleanAll();
    graphqlApi(orgRoot({}));
    expect(await githubFacts(octokit(), pullTarget).orgPolicy()).toBeUndefined();
  });

  it("returns the policy text of the default branch, labelled with its repository", async () => {
    const api = graphqlApi(orgRoot({ [policyAt]: textBlob("version: 1\n") }));
    expect(await githubFacts(octokit(), pullTarget).orgPolicy()).toEqual({
      path: ".github/readiness.yml",
      label: "acme/.github:.github/readiness.yml",
      text: "version: 1\n",
    });
    expect(api.invalid).toEqual([]);
  });

  it("is an error naming the file when it cannot be used (too large)", async () => {
    graphqlApi(orgRoot({ [policyAt]: { ...textBlob(""), byteSize: EVIDENCE_SIZE_LIMIT + 1, text: null } }));
    expect(await githubFacts(octokit(), pullTarget).orgPolicy()).toEqual({
      label: "acme/.github:.github/readiness.yml",
      error: {
        path: "acme/.github:.github/readiness.yml",
        message: `the org policy is too large to read (${EVIDENCE_SIZE_LIMIT + 1} bytes)`,
      },
    });
  });

  it("fails when GitHub fails (502), never read as no org policy", async () => {
    graphqlAnswers(502, { message: "Bad Gateway" });
    await expect(githubFacts(octokit(), pullTarget).orgPolicy()).rejects.toMatchObject({ status: 502 });
  });
});

function text(read: FileRead | undefined): string | undefined {
  return read?.kind === "ok" ? new TextDecoder().decode(read.bytes) : undefined;
}

describe("answers of the wrong shape", () => {
  const AT = "GitHub's answer is not in the expected shape at";
  const user = (login: string) => ({ user: { login } });
  const commit = (message: string) => ({
    commit: { oid: "1".repeat(40), message, author: user("dana"), committer: user("dana") },
  });
  const pull: PullWorld = {
    files: [{ path: "models/churn/model.py", changeType: "MODIFIED" }],
    commits: [commit("Tune\n\nCo-authored-by: Carol <carol@example.com>")],
    reviews: [
      {
        databaseId: 1,
        author: { __typename: "User", login: "carol" },
        state: "APPROVED",
        submittedAt: null,
        commit: { oid: HEAD },
      },
    ],
  };

  it("fails the pull request when a file comes without its path, naming the field", async () => {
    graphqlApi(repositoryRoot({}, pull), misshapen(["pullRequest", "files", "nodes", 0, "path"]));
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.changedFiles()).rejects.toThrow(
      `${AT} repository.pullRequest.files.nodes[0].path: expected string, received undefined`,
    );
  });

  it("never reads a commit without its message as one that names no co-author", async () => {
    // Read as `undefined`, the message would name nobody: the co-author could approve their own work.
    graphqlApi(
      repositoryRoot({}, pull),
      misshapen(["pullRequest", "commits", "nodes", 0, "commit", "message"]),
    );
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.people?.commitAuthors()).rejects.toThrow(
      `${AT} repository.pullRequest.commits.nodes[0].commit.message: expected string, received undefined`,
    );
  });

  it("never reads a base file GitHub left out of the answer as a missing policy", async () => {
    const policy = { [`${BASE}:.github/readiness.yml`]: textBlob("version: 1\n") };
    graphqlApi(repositoryRoot(policy, pull), misshapen(["pullRequest", "baseRef", "target", "file0"]));
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.readFile("base", ".github/readiness.yml")).rejects.toThrow(
      `${AT} repository.pullRequest.baseRef.target.file0: expected object, received undefined`,
    );
  });

  it("fails a file read whose blob has no size, and a review whose state is not text", async () => {
    const head = { [`${HEAD}:models/churn/artifact.yml`]: textBlob("owners: []\n") };
    graphqlApi(repositoryRoot(head, pull), (response) => {
      misshapen(["object", "byteSize"])(response);
      misshapen(["pullRequest", "reviews", "nodes", 0, "state"], 1)(response);
    });
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.readFile("head", "models/churn/artifact.yml")).rejects.toThrow(
      `${AT} repository.object.byteSize: expected number, received undefined`,
    );
    await expect(facts.people?.reviews()).rejects.toThrow(
      `${AT} repository.pullRequest.reviews.nodes[0].state: expected string, received number`,
    );
  });

  it("fails a file read whose object is of a kind GitHub does not have", async () => {
    const head = { [`${HEAD}:models/churn/artifact.yml`]: textBlob("owners: []\n") };
    graphqlApi(repositoryRoot(head, pull), misshapen(["object", "__typename"], "Mystery"));
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.readFile("head", "models/churn/artifact.yml")).rejects.toThrow(
      `${AT} repository.object.__typename: expected 'Blob' | 'Tree' | 'Commit' | 'Tag'`,
    );
  });

  it("fails a team membership whose members come without paging, and a tree listing without its flag", async () => {
    graphqlApi(
      { organization: () => ({ team: () => ({ slug: "privacy", members: page([{ login: "alice" }]) }) }) },
      misshapen(["team", "members", "pageInfo"]),
    );
    recursiveTree(HEAD, { sha: "t", tree: [] });
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.people?.isTeamMember("@acme/privacy", "alice")).rejects.toThrow(
      `${AT} organization.team.members.pageInfo: expected object, received undefined`,
    );
    await expect(facts.listFiles("head", "models")).rejects.toThrow(
      `${AT} tree(${HEAD}).truncated: expected boolean, received undefined`,
    );
  });

  it("fails every question of a response that is not GraphQL's shape", async () => {
    graphqlAnswers(200, { data: { q0: null }, errors: "overloaded" });
    const facts = githubFacts(octokit(), pullTarget);

    await expect(facts.readFile("head", "models/churn/artifact.yml")).rejects.toThrow(
      `${AT} the query's response.errors: expected array, received string`,
    );
  });

  it("fails an evaluation whose team membership answer is misshapen, naming the field", async () => {
    const policy = [
      "version: 1",
      "artifacts:",
      '  model: { roots: ["models/*"], tier: high }',
      "approvals:",
      '  - { name: Compliance sign-off, teams: ["@acme/ai-compliance"], count: 1 }',
      "",
    ].join("\n");
    const world = repositoryRoot(
      { [`${BASE}:.github/readiness.yml`]: textBlob(policy) },
      {
        ...pull,
        commits: [commit("Retrain")],
      },
    );
    const members = page([{ login: "carol" }]);
    graphqlApi(
      {
        ...world,
        organization: () => ({ team: () => ({ slug: "ai-compliance", members }) }),
        user: ({ login }: { login: string }) => ({ login, organization: { login: "acme" } }),
      },
      misshapen(["team", "members", "nodes", 0, "login"]),
    );
    recursiveTree(HEAD, tree("t", []));
    const facts = githubFacts(octokit(), pullTarget);
    const builtins = () => undefined;
    const effective = await loadEffectivePolicy(facts, { builtins });
    if (!effective) throw new Error("expected the base policy");

    // The evaluation stops at the place the answer differs; the app publishes it as "Readiness
    // could not be evaluated: <this message>".
    await expect(evaluate({ facts, policy: effective, builtins, now: new Date() })).rejects.toThrow(
      `${AT} organization.team.members.nodes[0].login: expected string, received undefined`,
    );
  });
});
