// One repository of one installation, served through nock, for the shared-queries tests: the
// GitHub stand-in has a single installation, and those tests need several. It answers what an
// evaluation of PR #7 asks (tokens, GraphQL, the check run it creates); every request is recorded,
// and one nobody handles answers 599 and is listed in `unhandled`. Every other scenario runs on the
// stand-in (on-standin.ts).

import type { GraphQLResolveInfo } from "graphql";
import nock from "nock";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { executeGitHubQuery, githubError, page } from "../support/github-graphql-schema.js";
import type { PageArgs } from "../support/github-standin/graphql-connections.js";
import type { Payload } from "./harness.js";

export const OWNER = "acme";
export const REPO = "app";
export const APP_ID = 1;
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
  /** `org/slug` → active member logins. */
  teams?: Record<string, string[]>;
  reviews?: { user: string; state: string; commit_id: string }[];
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
    this.define();
    if (location.intercept === false) return;
    const scope = nock("https://api.github.com").persist();
    for (const method of ["get", "post", "patch"] as const) {
      scope[method](/.*/).reply((uri, body) => this.dispatch(method.toUpperCase(), uri, body));
    }
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
    const repo = `/repos/${this.owner}/${this.repo}`;
    this.on("POST", new RegExp(`^/app/installations/${this.installation}/access_tokens$`), () => [
      201,
      { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" },
    ]);
    this.on("GET", /^\/app$/, () => [200, { id: APP_ID, slug: "readiness-gate", name: "Readiness Gate" }]);
    this.on("POST", /^\/graphql$/, (call) => {
      const { response, invalid } = executeGitHubQuery(call.body, this.graphql());
      if (invalid) this.unhandled.push(call); // GitHub would have refused the query
      return [200, response];
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
  }

  private world() {
    const s = this.scenario;
    const pull = { number: 7, author: "dana" };
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
      pullRequests: page([{ number: pull.number, headRefOid: HEAD_SHA }]),
      object: ({ expression, oid }: { expression?: string; oid?: string }) => {
        if (oid) return side(oid) ? commitAt(oid) : null;
        const [commit, ...rest] = (expression ?? "").split(":");
        return blob(side(commit as string)?.[rest.join(":")]);
      },
      pullRequest: ({ number }: { number: number }) => {
        if (number !== pull.number) return notFound(`a PullRequest with the number of ${number}`);
        const files = diff(s.base, s.head).map((f) => ({
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
            [pull.author].map((login, i) => ({
              commit: {
                oid: `${i}`.repeat(40),
                message: "Change",
                author: user(login),
                authors: page([user(login)]),
                committer: user(login),
              },
            })),
          ),
          comments: page([]),
        };
      },
    };
    return {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        if (owner === this.owner && name === this.repo) return repository;
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
