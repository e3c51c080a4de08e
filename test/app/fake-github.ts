// A small GitHub for the app's handler tests, served through nock: one persistent interceptor per
// method routes every request to the handlers below, backed by the scenario's repository, people
// and check runs. Every request is recorded; one nobody handles answers 599 and is listed in
// `unhandled`, so a test sees exactly what the app asked for.

import type { GraphQLResolveInfo } from "graphql";
import nock from "nock";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { executeGitHubQuery, githubError, page } from "../support/github-graphql-schema.js";
import type { PageArgs } from "../support/github-standin/graphql-connections.js";
import type { Payload } from "./harness.js";

export const OWNER = "acme";
export const REPO = "app";
export const APP_ID = 1;
export const BOT_LOGIN = "readiness-gate[bot]";
export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "c".repeat(40);

export type Files = Record<string, string>;

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Payload;
}

export interface CheckRun {
  id: number;
  head_sha: string;
  name: string;
  external_id: string | null;
  app: { id: number };
  annotations: unknown[];
  body: Payload;
}

export interface Scenario {
  base: Files;
  head: Files;
  /** Defaults to the difference between base and head. */
  changed?: { filename: string; status: string }[];
  pull?: { number: number; author: string; state?: string };
  /** `acme/.github:.github/readiness.yml`; absent → 404. */
  orgPolicy?: string;
  /** `org/slug` → active member logins. */
  teams?: Record<string, string[]>;
  reviews?: { user: string; state: string; commit_id: string }[];
  commitAuthors?: string[];
  comments?: { user: { login: string; type: string }; body: string }[];
  /** Paths that answer 500, e.g. `/repos/acme/app/pulls/7/files`. */
  failing?: string[];
  /**
   * GraphQL fields that fail inside an answer (GitHub's partial data with an error): `pullRequest`,
   * or `object` (file reads by expression: the evidence, asked after the policy was read).
   */
  failingFields?: string[];
}

/** Where a fake lives: `acme/app` of installation 1 unless told otherwise. */
export interface FakeLocation {
  owner?: string;
  repo?: string;
  installation?: number;
  /**
   * Whether the fake answers api.github.com through nock itself (default). A test that fakes
   * several repositories routes the requests to each fake's `dispatch` instead.
   */
  intercept?: boolean;
}

type Handler = (
  call: Call,
  match: RegExpExecArray,
) => [number, unknown] | [number, unknown, Record<string, string>];

export class FakeGitHub {
  readonly calls: Call[] = [];
  readonly unhandled: Call[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly comments: { id: number; user: { login: string; type: string }; body: string }[] = [];
  readonly issues: Payload[] = [];
  private nextId = 100;
  private readonly routes: [string, RegExp, Handler][] = [];
  readonly owner: string;
  readonly repo: string;
  readonly installation: number;

  constructor(
    readonly scenario: Scenario,
    location: FakeLocation = {},
  ) {
    this.owner = location.owner ?? OWNER;
    this.repo = location.repo ?? REPO;
    this.installation = location.installation ?? 1;
    this.comments.push(...(scenario.comments ?? []).map((c) => ({ ...c, id: this.nextId++ })));
    this.define();
    if (location.intercept === false) return;
    const scope = nock("https://api.github.com").persist();
    for (const method of ["get", "post", "patch"] as const) {
      scope[method](/.*/).reply((uri, body) => this.dispatch(method.toUpperCase(), uri, body));
    }
  }

  /** Requests made, as `METHOD /path`, in order. */
  requests(): string[] {
    return this.calls.map((c) => `${c.method} ${c.path}`);
  }

  called(method: string, path: RegExp | string): Call[] {
    return this.calls.filter(
      (c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)),
    );
  }

  /** Answers one request (recorded in `calls`, or in `unhandled` when no route takes it). */
  dispatch(method: string, uri: string, body: unknown): [number, unknown, Record<string, string>?] {
    const url = new URL(uri, "https://api.github.com");
    const call: Call = {
      method,
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      body: typeof body === "string" && body ? JSON.parse(body) : body,
    };
    this.calls.push(call);
    if (this.scenario.failing?.includes(call.path)) return [500, { message: "Server Error" }];
    for (const [m, pattern, handler] of this.routes) {
      const match = m === method ? pattern.exec(call.path) : null;
      if (match) return handler(call, match);
    }
    this.unhandled.push(call);
    return [599, { message: `fake GitHub has no route for ${method} ${call.path}` }];
  }

  private on(method: string, pattern: RegExp, handler: Handler): void {
    this.routes.push([method, pattern, handler]);
  }

  private define(): void {
    const s = this.scenario;
    const repo = `/repos/${this.owner}/${this.repo}`;
    const { pull, side } = this.world();

    this.on("POST", new RegExp(`^/app/installations/${this.installation}/access_tokens$`), () => [
      201,
      { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" },
    ]);
    this.on("GET", /^\/app$/, () => [200, { id: APP_ID, slug: "readiness-gate", name: "Readiness Gate" }]);
    this.on("GET", new RegExp(`^/repos/${this.owner}/\\.github/contents/\\.github/readiness\\.yml$`), () =>
      s.orgPolicy === undefined
        ? [404, { message: "Not Found" }]
        : [
            200,
            {
              type: "file",
              encoding: "base64",
              size: s.orgPolicy.length,
              content: Buffer.from(s.orgPolicy).toString("base64"),
            },
          ],
    );
    this.on("GET", new RegExp(`^${repo}/pulls/(\\d+)$`), () => [200, this.pullObject(pull)]);
    this.on("GET", new RegExp(`^${repo}/pulls$`), () => [200, [this.pullObject(pull)]]);
    this.on("GET", /^\/installation\/repositories$/, () => [
      200,
      { total_count: 1, repositories: [{ name: this.repo, owner: { login: this.owner }, archived: false }] },
    ]);
    this.on("GET", new RegExp(`^${repo}/compare/([0-9a-f]{40})\\.\\.\\.([0-9a-f]{40})$`), (_c, m) => {
      const before = side(m[1] as string);
      const after = side(m[2] as string);
      if (!before || !after) return [404, { message: "Not Found" }];
      return [
        200,
        {
          status: "ahead",
          merge_base_commit: { sha: m[1] },
          files: diff(before, after),
          commits: [],
          total_commits: 0,
        },
      ];
    });
    this.on("GET", new RegExp(`^${repo}/pulls/\\d+/files$`), () => [200, s.changed ?? diff(s.base, s.head)]);
    this.on("GET", new RegExp(`^${repo}/pulls/\\d+/reviews$`), () => [
      200,
      (s.reviews ?? []).map((r, i) => ({
        id: i + 1,
        user: { login: r.user },
        state: r.state,
        commit_id: r.commit_id,
        submitted_at: "2026-11-20T10:00:00Z",
      })),
    ]);
    this.on("GET", new RegExp(`^${repo}/pulls/\\d+/commits$`), () => [
      200,
      (s.commitAuthors ?? [pull.author]).map((login, i) => ({
        sha: `${i}`.repeat(40),
        author: { login },
        committer: { login },
      })),
    ]);
    this.on("GET", new RegExp(`^${repo}/git/trees/([0-9a-f]{40})$`), (_call, m) => {
      const files = side(m[1] as string);
      if (!files) return [404, { message: "Not Found" }];
      const tree = Object.entries(files).map(([path, text]) => ({
        path,
        mode: "100644",
        type: "blob",
        sha: sha(text),
      }));
      return [200, { sha: `t${m[1]?.slice(1)}`, truncated: false, tree }];
    });
    this.on("POST", /^\/graphql$/, (call) => {
      const { response, invalid } = executeGitHubQuery(call.body, this.graphql());
      if (invalid) this.unhandled.push(call); // GitHub would have refused the query
      return [200, response];
    });
    this.on("GET", /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/, (_c, m) =>
      (s.teams?.[`${m[1]}/${m[2]}`] ?? []).includes(m[3] as string)
        ? [200, { state: "active", role: "member" }]
        : [404, { message: "Not Found" }],
    );
    this.on("GET", /^\/orgs\/([^/]+)\/teams\/([^/]+)$/, (_c, m) =>
      s.teams?.[`${m[1]}/${m[2]}`] ? [200, { slug: m[2] }] : [404, { message: "Not Found" }],
    );
    this.on("GET", /^\/users\/([^/]+)$/, (_c, m) => [200, { login: m[1], type: "User" }]);
    this.on("GET", new RegExp(`^${repo}/commits/([0-9a-f]{40})/check-runs$`), (call, m) => {
      const runs = this.checkRuns.filter(
        (r) => r.head_sha === m[1] && r.name === call.query.get("check_name"),
      );
      const latest = runs.slice(-1).map((r) => ({
        id: r.id,
        name: r.name,
        head_sha: r.head_sha,
        external_id: r.external_id,
        app: r.app,
        output: { annotations_count: r.annotations.length },
      }));
      return [200, { total_count: latest.length, check_runs: latest }];
    });
    this.on("POST", new RegExp(`^${repo}/check-runs$`), (call) => {
      const run: CheckRun = {
        id: this.nextId++,
        head_sha: call.body.head_sha,
        name: call.body.name,
        external_id: call.body.external_id ?? null,
        app: { id: APP_ID },
        annotations: [...(call.body.output?.annotations ?? [])],
        body: call.body,
      };
      this.checkRuns.push(run);
      return [201, { id: run.id }];
    });
    this.on("PATCH", new RegExp(`^${repo}/check-runs/(\\d+)$`), (call, m) => {
      const run = this.checkRuns.find((r) => r.id === Number(m[1]));
      if (!run) return [404, { message: "Not Found" }];
      run.annotations.push(...(call.body.output?.annotations ?? [])); // GitHub appends
      run.external_id = call.body.external_id ?? run.external_id;
      run.body = { ...run.body, ...call.body };
      return [200, { id: run.id }];
    });
    this.on("GET", new RegExp(`^${repo}/issues/\\d+/comments$`), () => [200, this.comments]);
    this.on("POST", new RegExp(`^${repo}/issues/\\d+/comments$`), (call) => {
      const comment = { id: this.nextId++, user: { login: BOT_LOGIN, type: "Bot" }, body: call.body.body };
      this.comments.push(comment);
      return [201, comment];
    });
    this.on("POST", new RegExp(`^${repo}/issues$`), (call) => {
      const issue = { number: this.nextId++, ...call.body };
      this.issues.push(issue);
      return [201, issue];
    });
    this.on("POST", new RegExp(`^${repo}/pulls/\\d+/requested_reviewers$`), () => [201, {}]);
  }

  private world() {
    const s = this.scenario;
    const pull = s.pull ?? { number: 7, author: "dana" };
    const side = (sha: string) => (sha === BASE_SHA ? s.base : sha === HEAD_SHA ? s.head : undefined);
    return { pull, side };
  }

  /** The slice of GitHub's GraphQL graph the app reads, over the scenario: the query type's root. */
  graphql() {
    const s = this.scenario;
    const { pull, side } = this.world();
    const blob = (text: string | undefined) =>
      text === undefined
        ? null
        : {
            __typename: "Blob",
            byteSize: Buffer.byteLength(text),
            isBinary: false,
            isTruncated: false,
            text,
            oid: sha(text),
          };
    const notFound = (what: string): never => {
      throw githubError("NOT_FOUND", `Could not resolve to ${what}.`);
    };
    const entry = (text: string | undefined) =>
      text === undefined ? null : { type: "blob", mode: 0o100644, object: blob(text) };
    const commitAt = (sha: string) => ({
      __typename: "Commit",
      oid: sha,
      file: ({ path }: { path: string }) => entry(side(sha)?.[path]),
      checkSuites: page([{ checkRuns: page(this.latestRuns(sha)) }]),
    });
    const repository = {
      // The repository's open pull requests: the scenario's one, when it is open.
      pullRequests: page(
        (pull.state ?? "open") === "open" ? [{ number: pull.number, headRefOid: HEAD_SHA }] : [],
      ),
      object: ({ expression, oid }: { expression?: string; oid?: string }) => {
        if (oid) return side(oid) ? commitAt(oid) : null;
        if (s.failingFields?.includes("object")) throw githubError("INTERNAL", "GitHub is having a bad day.");
        const [commit, ...rest] = (expression ?? "").split(":");
        return blob(side(commit as string)?.[rest.join(":")]);
      },
      pullRequest: ({ number }: { number: number }) => {
        if (s.failingFields?.includes("pullRequest"))
          throw githubError(
            "INTERNAL",
            "Something went wrong while executing your query. Please try again later.",
          );
        if (number !== pull.number) return notFound(`a PullRequest with the number of ${number}`);
        const files = (s.changed ?? diff(s.base, s.head)).map((f) => ({
          path: f.filename,
          changeType: { added: "ADDED", removed: "DELETED", renamed: "RENAMED" }[f.status] ?? "MODIFIED",
        }));
        const user = (login: string) => ({ user: { login } });
        return {
          baseRefName: "main",
          baseRef: { target: commitAt(BASE_SHA) },
          changedFiles: files.length,
          files: page(files),
          reviews: page(
            (s.reviews ?? []).map((r) => ({
              author: { __typename: "User", login: r.user },
              state: r.state,
              submittedAt: "2026-11-20T10:00:00Z",
              commit: { oid: r.commit_id },
            })),
          ),
          commits: page(
            (s.commitAuthors ?? [pull.author]).map((login, i) => ({
              commit: {
                oid: `${i}`.repeat(40),
                message: "Change",
                author: user(login),
                authors: page([user(login)]),
                committer: user(login),
              },
            })),
          ),
          comments: page(
            this.comments.map((c) => ({
              // GraphQL names a bot without REST's `[bot]` suffix.
              author: { __typename: c.user.type, login: c.user.login.replace(/\[bot\]$/, "") },
              body: c.body,
            })),
          ),
        };
      },
    };
    const orgPolicyRepo = {
      object: ({ expression }: { expression?: string }) =>
        expression === "HEAD:.github/readiness.yml" ? blob(s.orgPolicy) : null,
    };
    return {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        if (owner === this.owner && name === this.repo) return repository;
        if (owner === this.owner && name === ".github" && s.orgPolicy !== undefined) return orgPolicyRepo;
        return notFound(`a Repository with the name '${owner}/${name}'`);
      },
      organization: ({ login }: { login: string }) => {
        return {
          team: ({ slug }: { slug: string }) => {
            const members = s.teams?.[`${login}/${slug}`];
            if (!members) return null;
            return {
              slug,
              members: (args: PageArgs & { query?: string }, context: unknown, info: GraphQLResolveInfo) =>
                page(
                  members
                    .filter((m) => m.toLowerCase().includes((args.query ?? "").toLowerCase()))
                    .map((login) => ({ login })),
                )(args, context, info),
            };
          },
        };
      },
      repositoryOwner: ({ login }: { login: string }) => ({ __typename: "User", login }),
    };
  }

  /** Our newest `Readiness gate` run on a head, as GitHub's LATEST filter gives it. */
  private latestRuns(head: string) {
    return this.checkRuns
      .filter((r) => r.head_sha === head)
      .slice(-1)
      .map((r) => ({
        databaseId: r.id,
        externalId: r.external_id,
        annotations: { totalCount: r.annotations.length },
      }));
  }

  private pullObject(pull: { number: number; author: string; state?: string }) {
    return {
      number: pull.number,
      state: pull.state ?? "open",
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`,
      user: { login: pull.author },
      base: { sha: BASE_SHA, ref: "main" },
      head: { sha: HEAD_SHA, ref: "feature" },
    };
  }
}

export function sha(text: string): string {
  return gitBlobSha(new TextEncoder().encode(text));
}

function diff(base: Files, head: Files) {
  const paths = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  return paths.flatMap((filename) => {
    if (!(filename in base)) return [{ filename, status: "added" }];
    if (!(filename in head)) return [{ filename, status: "removed" }];
    return base[filename] === head[filename] ? [] : [{ filename, status: "modified" }];
  });
}
