// Shared plumbing of the REST handlers: the request context, GitHub's error bodies, pagination.
import type { Json, Renderer } from "./render.js";
import type { GitHubState, PullRequestRecord, RepoRecord } from "./state.js";

export interface RouteContext {
  state: GitHubState;
  render: Renderer;
  params: Record<string, string>;
  /** Query parameters (coerced to the schema's types when validation is on). */
  query: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are validated JSON of many shapes
  body: any;
  rawBody: Buffer;
  accept: string;
  contentType: string;
  /** The full request URL, for pagination links. */
  url: URL;
  issueToken(installationId: number): { token: string; expires_at: string };
  /** The installation whose token sent the request; undefined for the app's JWT or with auth off. */
  installation?: number;
}

export interface RouteResult {
  status: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => RouteResult;

export const DOCS = "https://docs.github.com/rest";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

export function notFound(message = "Not Found"): HttpError {
  return new HttpError(404, { message, documentation_url: DOCS, status: "404" });
}

export function unprocessable(message: string, errors?: unknown[]): HttpError {
  return new HttpError(422, {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: DOCS,
    status: "422",
  });
}

export function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

export function int(value: unknown): number | undefined {
  const n = Number(value);
  return value === undefined || value === "" || !Number.isFinite(n) ? undefined : Math.trunc(n);
}

/** One page of `items` with GitHub's `Link` header (per_page default 30, at most 100). */
export function paginate<T>(ctx: RouteContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(int(ctx.query.per_page) ?? 30, 1), 100);
  const page = Math.max(int(ctx.query.page) ?? 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.url);
    url.searchParams.set("page", String(p));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
  if (page < last) links.push(link(page + 1, "next"));
  if (page !== last) links.push(link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

export function list<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown): RouteResult {
  const page = paginate(ctx, items);
  return { status: 200, json: page.items.map(render), headers: page.headers };
}

export function wantsRaw(ctx: RouteContext): boolean {
  return /application\/vnd\.github(?:\.v3)?\.raw/.test(ctx.accept);
}

export function raw(bytes: Buffer): RouteResult {
  return { status: 200, raw: bytes, contentType: "application/vnd.github.raw; charset=utf-8" };
}

export function repoOf(ctx: RouteContext): RepoRecord {
  const repo = ctx.state.findRepo(`${ctx.params.owner}/${ctx.params.repo}`);
  if (!repo) throw notFound();
  return repo;
}

export function pullOf(ctx: RouteContext, repo: RepoRecord): PullRequestRecord {
  const pr = repo.pulls.get(int(ctx.params.pull_number) ?? -1);
  if (!pr) throw notFound();
  return pr;
}

export function resolve(ctx: RouteContext, repo: RepoRecord, ref: string): string {
  const sha = ctx.state.resolveRef(repo, ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  return sha;
}

export function bot(ctx: RouteContext): string {
  return `${ctx.state.app.slug}[bot]`;
}

export function splitOnce(value: string, sep: string): [string, string | undefined] {
  const at = value.indexOf(sep);
  return at === -1 ? [value, undefined] : [value.slice(0, at), value.slice(at + sep.length)];
}
