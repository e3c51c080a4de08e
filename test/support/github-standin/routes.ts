// REST handlers of the stand-in, keyed by the OpenAPI operation ("METHOD /template").
import { lookupPath, type TreeEntry, toBuffer } from "./git.js";
import type { Json, Renderer } from "./render.js";
import type {
  Annotation,
  CheckRunAction,
  CheckRunRecord,
  GitHubState,
  PullRequestRecord,
  ReleaseRecord,
  RepoRecord,
} from "./state.js";

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
}

export interface RouteResult {
  status: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => RouteResult;

const DOCS = "https://docs.github.com/rest";

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

function str(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function int(value: unknown): number | undefined {
  const n = Number(value);
  return value === undefined || value === "" || !Number.isFinite(n) ? undefined : Math.trunc(n);
}

/** One page of `items` with GitHub's `Link` header (per_page default 30, at most 100). */
function paginate<T>(ctx: RouteContext, items: T[]): { items: T[]; headers: Record<string, string> } {
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

function list<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown): RouteResult {
  const page = paginate(ctx, items);
  return { status: 200, json: page.items.map(render), headers: page.headers };
}

function wantsRaw(ctx: RouteContext): boolean {
  return /application\/vnd\.github(?:\.v3)?\.raw/.test(ctx.accept);
}

function raw(bytes: Buffer): RouteResult {
  return { status: 200, raw: bytes, contentType: "application/vnd.github.raw; charset=utf-8" };
}

function repoOf(ctx: RouteContext): RepoRecord {
  const repo = ctx.state.findRepo(`${ctx.params.owner}/${ctx.params.repo}`);
  if (!repo) throw notFound();
  return repo;
}

function pullOf(ctx: RouteContext, repo: RepoRecord): PullRequestRecord {
  const pr = repo.pulls.get(int(ctx.params.pull_number) ?? -1);
  if (!pr) throw notFound();
  return pr;
}

function resolve(ctx: RouteContext, repo: RepoRecord, ref: string): string {
  const sha = ctx.state.resolveRef(repo, ref);
  if (!sha) throw unprocessable(`No commit found for SHA: ${ref}`);
  return sha;
}

function bot(ctx: RouteContext): string {
  return `${ctx.state.app.slug}[bot]`;
}

function installation(ctx: RouteContext, account: string): Json {
  const id = ctx.state.installationId;
  return {
    id,
    account: ctx.render.user(account),
    repository_selection: "all",
    access_tokens_url: `${ctx.render.api}/app/installations/${id}/access_tokens`,
    repositories_url: `${ctx.render.api}/installation/repositories`,
    html_url: `${ctx.render.web}/settings/installations/${id}`,
    app_id: ctx.state.app.id,
    app_slug: ctx.state.app.slug,
    target_id: ctx.state.user(account)?.id ?? 0,
    target_type: ctx.state.user(account)?.type === "User" ? "User" : "Organization",
    permissions: {
      checks: "write",
      contents: "read",
      issues: "write",
      members: "read",
      pull_requests: "write",
    },
    events: ["pull_request", "pull_request_review", "issue_comment", "check_run", "release", "push"],
    created_at: "2020-01-01T00:00:00Z",
    updated_at: "2020-01-01T00:00:00Z",
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

// ---- git data ----------------------------------------------------------------------------------

function treeListing(repo: RepoRecord, treeSha: string, recursive: boolean, ctx: RouteContext) {
  const out: Json[] = [];
  const walk = (sha: string, prefix: string) => {
    for (const e of repo.objects.trees.get(sha) ?? []) {
      const path = prefix + e.name;
      out.push({
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === "blob" ? { size: repo.objects.blobs.get(e.sha)?.byteLength ?? 0 } : {}),
        url: `${ctx.render.api}/repos/${repo.full_name}/git/${e.type === "blob" ? "blobs" : "trees"}/${e.sha}`,
      });
      if (recursive && e.type === "tree") walk(e.sha, `${path}/`);
    }
  };
  walk(treeSha, "");
  const truncated = out.length > 100_000;
  return {
    sha: treeSha,
    url: `${ctx.render.api}/repos/${repo.full_name}/git/trees/${treeSha}`,
    tree: truncated ? out.slice(0, 100_000) : out,
    truncated,
  };
}

function findTree(ctx: RouteContext, repo: RepoRecord, ref: string): string {
  if (repo.objects.trees.has(ref)) return ref;
  const colon = ref.indexOf(":");
  const rev = colon === -1 ? ref : ref.slice(0, colon);
  const sha = ctx.state.resolveRef(repo, rev);
  const commit = sha ? repo.commits.get(sha) : undefined;
  if (!commit) throw notFound();
  if (colon === -1 || ref.slice(colon + 1).replace(/\/+$/, "") === "") return commit.tree;
  const found = lookupPath(repo.objects, commit.tree, ref.slice(colon + 1));
  if (found?.entry.type !== "tree") throw notFound();
  return found.entry.sha;
}

function contents(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const ref = str(ctx.query.ref) ?? repo.default_branch;
  if (repo.branches.size === 0) throw notFound("This repository is empty.");
  const sha = ctx.state.resolveRef(repo, ref);
  const commit = sha ? repo.commits.get(sha) : undefined;
  if (!commit) throw notFound(`No commit found for the ref ${ref}`);
  const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
  let entries: TreeEntry[] | undefined;
  if (path === "") entries = repo.objects.trees.get(commit.tree);
  else {
    const found = lookupPath(repo.objects, commit.tree, path);
    if (!found) throw notFound();
    if (found.entry.type === "blob") {
      const bytes = repo.objects.blobs.get(found.entry.sha) as Buffer;
      if (wantsRaw(ctx)) return raw(bytes);
      return { status: 200, json: ctx.render.fileContent(repo, ref, path, found.entry.sha, bytes) };
    }
    entries = repo.objects.trees.get(found.entry.sha);
  }
  const prefix = path === "" ? "" : `${path}/`;
  const listing = (entries ?? []).map((e) =>
    ctx.render.contentEntry(
      repo,
      ref,
      prefix + e.name,
      e.type === "blob" ? "file" : "dir",
      e.sha,
      e.type === "blob" ? (repo.objects.blobs.get(e.sha)?.byteLength ?? 0) : 0,
    ),
  );
  return { status: 200, json: listing };
}

interface Side {
  repo: RepoRecord;
  sha: string;
}

/** `base...head` or `base..head`; each side a ref, `owner:ref` or `owner:repo:ref` in the network. */
function compareSides(ctx: RouteContext, repo: RepoRecord): { base: Side; head: Side; threeDot: boolean } {
  const basehead = ctx.params.basehead ?? `${ctx.params.base}...${ctx.params.head}`;
  const threeDot = basehead.includes("...");
  const [baseSpec, headSpec] = threeDot ? splitOnce(basehead, "...") : splitOnce(basehead, "..");
  if (headSpec === undefined) throw notFound();
  const side = (spec: string): Side => {
    const parts = spec.split(":");
    let target = repo;
    let ref = spec;
    if (parts.length >= 2) {
      const owner = parts[0] as string;
      const name = parts.length === 3 ? (parts[1] as string) : undefined;
      ref = parts.slice(parts.length === 3 ? 2 : 1).join(":");
      const candidates = [...ctx.state.repos.values()].filter(
        (r) => r.commits === repo.commits && r.owner.toLowerCase() === owner.toLowerCase(),
      );
      const found = candidates.find((r) => !name || r.name.toLowerCase() === name.toLowerCase());
      if (!found) throw notFound();
      target = found;
    }
    const sha = ctx.state.resolveRef(target, ref);
    if (!sha) throw notFound(`No commit found for the ref ${ref}`);
    return { repo: target, sha };
  };
  return { base: side(baseSpec), head: side(headSpec), threeDot };
}

function splitOnce(value: string, sep: string): [string, string | undefined] {
  const at = value.indexOf(sep);
  return at === -1 ? [value, undefined] : [value.slice(0, at), value.slice(at + sep.length)];
}

function compare(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const { base, head, threeDot } = compareSides(ctx, repo);
  const result = ctx.state.compare(repo, base.sha, head.sha, threeDot);
  if (!result.mergeBase) throw notFound(`No common ancestor between ${base.sha} and ${head.sha}.`);
  const commit = (sha: string) => ctx.render.commit(repo, ctx.state.getCommit(repo, sha) as never);
  const paged = ctx.query.page !== undefined || ctx.query.per_page !== undefined;
  const page = paged ? paginate(ctx, result.ahead) : { items: result.ahead.slice(0, 250), headers: {} };
  const firstPage = !paged || (int(ctx.query.page) ?? 1) <= 1;
  const ahead = result.ahead.length;
  const behind = result.behind.length;
  const url = `${ctx.render.api}/repos/${repo.full_name}/compare/${ctx.params.basehead}`;
  const html = `${ctx.render.web}/${repo.full_name}/compare/${ctx.params.basehead}`;
  return {
    status: 200,
    headers: page.headers,
    json: {
      url,
      html_url: html,
      permalink_url: `${ctx.render.web}/${repo.full_name}/compare/${base.sha}...${head.sha}`,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: commit(base.sha),
      merge_base_commit: commit(result.mergeBase),
      status:
        ahead === 0 && behind === 0
          ? "identical"
          : behind === 0
            ? "ahead"
            : ahead === 0
              ? "behind"
              : "diverged",
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      commits: page.items.map(commit),
      files: firstPage ? result.files.slice(0, 300).map((f) => ctx.render.fileChange(repo, head.sha, f)) : [],
    },
  };
}

function singleCommit(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const sha = ctx.state.resolveRef(repo, ctx.params.ref ?? "");
  const c = sha ? repo.commits.get(sha) : undefined;
  if (!c) throw unprocessable(`No commit found for SHA: ${ctx.params.ref}`);
  const files = ctx.state.commitChanges(repo, c.sha);
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    status: 200,
    json: {
      ...ctx.render.commit(repo, c),
      stats: { total: additions + deletions, additions, deletions },
      files: files.slice(0, 300).map((f) => ctx.render.fileChange(repo, c.sha, f)),
    },
  };
}

// ---- check runs --------------------------------------------------------------------------------

function applyCheckRun(ctx: RouteContext, run: CheckRunRecord, body: Record<string, unknown>): void {
  const now = ctx.state.timestamp();
  if (typeof body.name === "string") run.name = body.name;
  if (body.details_url !== undefined) run.details_url = str(body.details_url) ?? null;
  if (body.external_id !== undefined) run.external_id = str(body.external_id) ?? null;
  if (typeof body.started_at === "string") run.started_at = body.started_at;
  if (typeof body.status === "string") run.status = body.status as CheckRunRecord["status"];
  if (typeof body.conclusion === "string") {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") run.completed_at = str(body.completed_at) ?? run.completed_at ?? now;
  else if (typeof body.status === "string") {
    run.conclusion = null;
    run.completed_at = null;
  }
  const output = body.output as
    | { title?: string; summary?: string; text?: string; annotations?: Annotation[]; images?: unknown[] }
    | undefined;
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
    run.output.annotations.push(...(output.annotations ?? []));
    run.output.images.push(...(output.images ?? []));
  }
  if (Array.isArray(body.actions)) run.actions = body.actions as CheckRunAction[];
  run.writes += 1;
}

function createCheckRun(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const headSha = String(ctx.body.head_sha);
  if (!repo.commits.has(headSha)) throw unprocessable(`No commit found for SHA: ${headSha}`);
  const run: CheckRunRecord = {
    id: ctx.state.nextId(),
    name: String(ctx.body.name),
    head_sha: headSha,
    status: "queued",
    conclusion: null,
    started_at: ctx.state.timestamp(),
    completed_at: null,
    output: { title: null, summary: null, text: null, annotations: [], images: [] },
    actions: [],
    details_url: null,
    external_id: null,
    app_id: ctx.state.app.id,
    writes: 0,
  };
  applyCheckRun(ctx, run, ctx.body);
  repo.checkRuns.set(run.id, run);
  return { status: 201, json: ctx.render.checkRun(repo, run) };
}

function checkRunOf(ctx: RouteContext, repo: RepoRecord): CheckRunRecord {
  const run = repo.checkRuns.get(int(ctx.params.check_run_id) ?? -1);
  if (!run) throw notFound();
  return run;
}

function updateCheckRun(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const run = checkRunOf(ctx, repo);
  if (run.app_id !== ctx.state.app.id) {
    const message = `Invalid app_id \`${run.app_id}\` - check run can only be modified by the GitHub App that created it.`;
    throw new HttpError(403, { message, documentation_url: DOCS, status: "403" });
  }
  applyCheckRun(ctx, run, ctx.body ?? {});
  return { status: 200, json: ctx.render.checkRun(repo, run) };
}

function listCheckRuns(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const sha = ctx.state.resolveRef(repo, ctx.params.ref ?? "");
  if (!sha) throw unprocessable(`No commit found for SHA: ${ctx.params.ref}`);
  let runs = ctx.state.checkRunsFor(repo, sha);
  const name = str(ctx.query.check_name);
  const status = str(ctx.query.status);
  const appId = int(ctx.query.app_id);
  if (name !== undefined) runs = runs.filter((r) => r.name === name);
  if (status !== undefined) runs = runs.filter((r) => r.status === status);
  if (appId !== undefined) runs = runs.filter((r) => r.app_id === appId);
  if ((str(ctx.query.filter) ?? "latest") === "latest") {
    const latest = new Map<string, CheckRunRecord>();
    for (const r of runs) latest.set(`${r.app_id}\0${r.name}`, r);
    runs = [...latest.values()];
  }
  runs = [...runs].sort((a, b) => b.id - a.id);
  const page = paginate(ctx, runs);
  return {
    status: 200,
    headers: page.headers,
    json: { total_count: runs.length, check_runs: page.items.map((r) => ctx.render.checkRun(repo, r)) },
  };
}

// ---- pull requests and issues ------------------------------------------------------------------

function issueOrPull(ctx: RouteContext, repo: RepoRecord) {
  const n = int(ctx.params.issue_number) ?? -1;
  const item = repo.issues.get(n) ?? repo.pulls.get(n);
  if (!item) throw notFound();
  return item;
}

function labelNames(value: unknown): string[] {
  const items = Array.isArray(value) ? value : ((value as { labels?: unknown[] } | undefined)?.labels ?? []);
  return items.map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name)));
}

function requestReviewers(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const pr = pullOf(ctx, repo);
  const users: string[] = ctx.body?.reviewers ?? [];
  const teams: string[] = ctx.body?.team_reviewers ?? [];
  const notCollaborator = `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.full_name} repository.`;
  for (const login of users) {
    if (login.toLowerCase() === pr.user.toLowerCase()) {
      throw unprocessable("Review cannot be requested from pull request author.");
    }
    const user = ctx.state.user(login);
    if (user?.type !== "User") throw unprocessable(notCollaborator);
  }
  for (const slug of teams) {
    if (!ctx.state.team(repo.owner, slug)) throw unprocessable(notCollaborator);
  }
  for (const login of users) {
    const name = ctx.state.user(login)?.login ?? login;
    if (!pr.requested_reviewers.some((u) => u.toLowerCase() === name.toLowerCase()))
      pr.requested_reviewers.push(name);
  }
  for (const slug of teams) {
    const team = ctx.state.team(repo.owner, slug);
    if (team && !pr.requested_teams.includes(team.slug)) pr.requested_teams.push(team.slug);
  }
  return { status: 201, json: ctx.render.pullRequest(repo, pr) };
}

function simplePull(ctx: RouteContext, repo: RepoRecord, pr: PullRequestRecord): Json {
  const {
    merged: _m,
    mergeable: _a,
    rebaseable: _r,
    mergeable_state: _s,
    merged_by: _b,
    comments: _c,
    review_comments: _rc,
    maintainer_can_modify: _mm,
    commits: _cm,
    additions: _ad,
    deletions: _de,
    changed_files: _cf,
    ...rest
  } = ctx.render.pullRequest(repo, pr);
  return rest;
}

function listPulls(ctx: RouteContext): RouteResult {
  const repo = repoOf(ctx);
  const state = str(ctx.query.state) ?? "open";
  const base = str(ctx.query.base);
  const head = str(ctx.query.head);
  let pulls = [...repo.pulls.values()].filter((pr) => state === "all" || pr.state === state);
  if (base !== undefined) pulls = pulls.filter((pr) => pr.base.ref === base);
  if (head !== undefined) {
    const [owner, ref] = head.includes(":") ? splitOnce(head, ":") : [undefined, head];
    pulls = pulls.filter(
      (pr) =>
        pr.head.ref === ref && (!owner || pr.head.repo.split("/")[0]?.toLowerCase() === owner.toLowerCase()),
    );
  }
  const sort = str(ctx.query.sort) ?? "created";
  const direction = str(ctx.query.direction) ?? (sort === "created" ? "desc" : "desc");
  const key = (pr: PullRequestRecord) => (sort === "updated" ? pr.updated_at : pr.created_at);
  pulls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number));
  if (direction === "desc") pulls.reverse();
  return list(ctx, pulls, (pr) => simplePull(ctx, repo, pr));
}

function releaseOf(ctx: RouteContext, repo: RepoRecord): ReleaseRecord {
  const release = repo.releases.get(int(ctx.params.release_id) ?? -1);
  if (!release) throw notFound();
  return release;
}

function teamOf(ctx: RouteContext) {
  const team = ctx.state.team(ctx.params.org ?? "", ctx.params.team_slug ?? "");
  if (!team) throw notFound();
  return team;
}

// ---- the route table ---------------------------------------------------------------------------

export const routes: Record<string, Handler> = {
  "GET /app": (ctx) => ({ status: 200, json: ctx.render.app() }),
  "GET /app/installations": (ctx) => ({ status: 200, json: [installation(ctx, ctx.state.app.owner)] }),
  "GET /app/installations/{installation_id}": (ctx) => {
    if (int(ctx.params.installation_id) !== ctx.state.installationId) throw notFound();
    return { status: 200, json: installation(ctx, ctx.state.app.owner) };
  },
  "POST /app/installations/{installation_id}/access_tokens": (ctx) => {
    const id = int(ctx.params.installation_id) ?? -1;
    if (id !== ctx.state.installationId) throw notFound();
    const { token, expires_at } = ctx.issueToken(id);
    return {
      status: 201,
      json: {
        token,
        expires_at,
        permissions: installation(ctx, ctx.state.app.owner).permissions,
        repository_selection: "all",
      },
    };
  },
  "GET /repos/{owner}/{repo}/installation": (ctx) => ({
    status: 200,
    json: installation(ctx, repoOf(ctx).owner),
  }),
  "GET /orgs/{org}/installation": (ctx) => {
    const org = ctx.state.org(ctx.params.org ?? "");
    if (!org) throw notFound();
    return { status: 200, json: installation(ctx, org.login) };
  },
  "GET /users/{username}/installation": (ctx) => {
    const user = ctx.state.user(ctx.params.username ?? "");
    if (!user) throw notFound();
    return { status: 200, json: installation(ctx, user.login) };
  },

  // repositories and git data
  "GET /repos/{owner}/{repo}": (ctx) => ({ status: 200, json: ctx.render.repository(repoOf(ctx)) }),
  "GET /repos/{owner}/{repo}/branches/{branch}": (ctx) => {
    const repo = repoOf(ctx);
    const sha = repo.branches.get(ctx.params.branch ?? "");
    if (!sha) throw notFound("Branch not found");
    const url = `${ctx.render.api}/repos/${repo.full_name}/branches/${ctx.params.branch}`;
    return {
      status: 200,
      json: {
        name: ctx.params.branch,
        commit: ctx.render.commit(repo, repo.commits.get(sha) as never),
        _links: { self: url, html: `${ctx.render.web}/${repo.full_name}/tree/${ctx.params.branch}` },
        protected: false,
        protection: {
          enabled: false,
          required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
        },
        protection_url: `${url}/protection`,
      },
    };
  },
  "GET /repos/{owner}/{repo}/commits/{ref}": singleCommit,
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls": (ctx) => {
    const repo = repoOf(ctx);
    const sha = resolve(ctx, repo, ctx.params.commit_sha ?? "");
    const pulls = [...repo.pulls.values()].filter(
      (pr) => pr.merge_commit_sha === sha || ctx.state.pullRequestCommits(repo, pr.number).includes(sha),
    );
    return list(ctx, pulls, (pr) => simplePull(ctx, repo, pr));
  },
  "GET /repos/{owner}/{repo}/compare/{basehead}": compare,
  "GET /repos/{owner}/{repo}/compare/{base}...{head}": compare,
  "GET /repos/{owner}/{repo}/contents/{path}": contents,
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": (ctx) => {
    const repo = repoOf(ctx);
    const tree = findTree(ctx, repo, ctx.params.tree_sha ?? "");
    return { status: 200, json: treeListing(repo, tree, ctx.query.recursive !== undefined, ctx) };
  },
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.params.file_sha ?? "";
    const bytes = repo.objects.blobs.get(sha);
    if (!bytes) throw notFound();
    if (wantsRaw(ctx)) return raw(bytes);
    return { status: 200, json: ctx.render.blob(repo, sha, bytes) };
  },
  "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": (ctx) => {
    const repo = repoOf(ctx);
    const c = repo.commits.get(ctx.params.commit_sha ?? "");
    if (!c) throw notFound();
    return {
      status: 200,
      json: {
        sha: c.sha,
        node_id: Buffer.from(`Commit:${c.sha}`).toString("base64url"),
        html_url: `${ctx.render.web}/${repo.full_name}/commit/${c.sha}`,
        ...ctx.render.gitCommit(repo, c),
        parents: c.parents.map((p) => ({
          sha: p,
          url: `${ctx.render.api}/repos/${repo.full_name}/git/commits/${p}`,
          html_url: `${ctx.render.web}/${repo.full_name}/commit/${p}`,
        })),
      },
    };
  },
  "GET /repos/{owner}/{repo}/git/ref/{ref}": (ctx) => {
    const repo = repoOf(ctx);
    const ref = ctx.params.ref ?? "";
    const sha = ref.startsWith("heads/")
      ? repo.branches.get(ref.slice(6))
      : ref.startsWith("tags/")
        ? repo.tags.get(ref.slice(5))
        : undefined;
    if (!sha) throw notFound();
    return {
      status: 200,
      json: {
        ref: `refs/${ref}`,
        node_id: Buffer.from(`Ref:${ref}`).toString("base64url"),
        url: `${ctx.render.api}/repos/${repo.full_name}/git/refs/${ref}`,
        object: { sha, type: "commit", url: `${ctx.render.api}/repos/${repo.full_name}/git/commits/${sha}` },
      },
    };
  },

  // pull requests
  "GET /repos/{owner}/{repo}/pulls": listPulls,
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: ctx.render.pullRequest(repo, pullOf(ctx, repo)) };
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": (ctx) => {
    const repo = repoOf(ctx);
    const pr = pullOf(ctx, repo);
    const files = ctx.state.pullRequestFiles(repo, pr.number).slice(0, 3000);
    return list(ctx, files, (f) => ctx.render.fileChange(repo, pr.head.sha, f));
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": (ctx) => {
    const repo = repoOf(ctx);
    const pr = pullOf(ctx, repo);
    const shas = ctx.state.pullRequestCommits(repo, pr.number).slice(0, 250);
    return list(ctx, shas, (sha) => ctx.render.commit(repo, repo.commits.get(sha) as never));
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (ctx) => {
    const repo = repoOf(ctx);
    const pr = pullOf(ctx, repo);
    const reviews = (repo.reviews.get(pr.number) ?? []).filter((r) => r.state !== "PENDING");
    return list(ctx, reviews, (r) => ctx.render.review(repo, pr.number, r));
  },
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": (ctx) => {
    const repo = repoOf(ctx);
    const json = ctx.render.pullRequest(repo, pullOf(ctx, repo));
    return { status: 200, json: { users: json.requested_reviewers, teams: json.requested_teams } };
  },
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": requestReviewers,

  // issues and comments
  "GET /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = repoOf(ctx);
    const state = str(ctx.query.state) ?? "open";
    const labels =
      str(ctx.query.labels)
        ?.split(",")
        .filter((l) => l !== "") ?? [];
    const creator = str(ctx.query.creator)?.toLowerCase();
    const items = [...repo.issues.values(), ...repo.pulls.values()]
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .filter((i) => creator === undefined || i.user.toLowerCase() === creator)
      .sort((a, b) => b.number - a.number);
    return list(ctx, items, (i) => ctx.render.issue(repo, i));
  },
  "POST /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = repoOf(ctx);
    const issue = ctx.state.addIssue(repo, {
      title: String(ctx.body.title),
      body: ctx.body.body ?? null,
      user: bot(ctx),
      labels: labelNames(ctx.body.labels ?? []),
      assignees: ctx.body.assignees ?? [],
    });
    return { status: 201, json: ctx.render.issue(repo, issue) };
  },
  "GET /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: ctx.render.issue(repo, issueOrPull(ctx, repo)) };
  },
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const repo = repoOf(ctx);
    const item = issueOrPull(ctx, repo);
    if (typeof ctx.body?.title === "string") item.title = ctx.body.title;
    if (ctx.body?.body !== undefined) item.body = ctx.body.body;
    if (ctx.body?.state === "open" || ctx.body?.state === "closed") item.state = ctx.body.state;
    if (ctx.body?.labels !== undefined) item.labels = labelNames(ctx.body.labels);
    for (const label of item.labels) repo.labels.add(label);
    item.updated_at = ctx.state.timestamp();
    return { status: 200, json: ctx.render.issue(repo, item) };
  },
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const repo = repoOf(ctx);
    const item = issueOrPull(ctx, repo);
    for (const label of labelNames(ctx.body)) {
      if (!item.labels.includes(label)) item.labels.push(label);
      repo.labels.add(label);
    }
    return { status: 200, json: item.labels.map((l) => ctx.render.label(repo, l)) };
  },
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const repo = repoOf(ctx);
    const item = issueOrPull(ctx, repo);
    return list(ctx, repo.comments.get(item.number) ?? [], (c) => ctx.render.issueComment(repo, c));
  },
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const repo = repoOf(ctx);
    const item = issueOrPull(ctx, repo);
    const comment = ctx.state.addIssueComment(repo, item.number, {
      user: bot(ctx),
      body: String(ctx.body.body),
    });
    return { status: 201, json: ctx.render.issueComment(repo, comment) };
  },
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = repoOf(ctx);
    const id = int(ctx.params.comment_id);
    const comment = [...repo.comments.values()].flat().find((c) => c.id === id);
    if (!comment) throw notFound();
    comment.body = String(ctx.body.body);
    comment.updated_at = ctx.state.timestamp();
    return { status: 200, json: ctx.render.issueComment(repo, comment) };
  },

  // checks
  "POST /repos/{owner}/{repo}/check-runs": createCheckRun,
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": updateCheckRun,
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}": (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: ctx.render.checkRun(repo, checkRunOf(ctx, repo)) };
  },
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": (ctx) => {
    const repo = repoOf(ctx);
    const run = checkRunOf(ctx, repo);
    return list(ctx, [...run.output.annotations.keys()], (i) => ctx.render.annotation(repo, run, i));
  },
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": listCheckRuns,

  // orgs, teams, users
  "GET /orgs/{org}": (ctx) => {
    if (!ctx.state.org(ctx.params.org ?? "")) throw notFound();
    return { status: 200, json: ctx.render.org(ctx.params.org ?? "") };
  },
  "GET /orgs/{org}/members/{username}": (ctx) => {
    const org = ctx.state.org(ctx.params.org ?? "");
    if (!org?.members.has((ctx.params.username ?? "").toLowerCase()))
      throw notFound("User does not exist or is not a member of the organization");
    return { status: 204 };
  },
  "GET /orgs/{org}/teams": (ctx) => {
    const org = ctx.state.org(ctx.params.org ?? "");
    if (!org) throw notFound();
    return list(ctx, [...org.teams.values()], (t) => ctx.render.team(t));
  },
  "GET /orgs/{org}/teams/{team_slug}": (ctx) => ({ status: 200, json: ctx.render.teamFull(teamOf(ctx)) }),
  "GET /orgs/{org}/teams/{team_slug}/members": (ctx) => {
    const team = teamOf(ctx);
    const role = str(ctx.query.role) ?? "all";
    const members = [...team.members.entries()]
      .filter(([, m]) => m.state === "active" && (role === "all" || m.role === role))
      .map(([login]) => login);
    return list(ctx, members, (login) => ctx.render.user(login));
  },
  "GET /orgs/{org}/teams/{team_slug}/memberships/{username}": (ctx) => {
    const team = teamOf(ctx);
    const login = ctx.params.username ?? "";
    const membership = team.members.get(login.toLowerCase());
    if (!membership) throw notFound();
    return {
      status: 200,
      json: {
        url: `${ctx.render.api}/organizations/${ctx.state.org(team.org)?.id}/team/${team.id}/memberships/${login}`,
        role: membership.role,
        state: membership.state,
      },
    };
  },
  "GET /users/{username}": (ctx) => {
    const user = ctx.state.user(ctx.params.username ?? "");
    if (!user) throw notFound();
    return { status: 200, json: ctx.render.userProfile(user.login) };
  },

  // releases and deployments
  "GET /repos/{owner}/{repo}/releases": (ctx) => {
    const repo = repoOf(ctx);
    const releases = [...repo.releases.values()].sort((a, b) => b.id - a.id);
    return list(ctx, releases, (r) => ctx.render.release(repo, r));
  },
  "GET /repos/{owner}/{repo}/releases/latest": (ctx) => {
    const repo = repoOf(ctx);
    const latest = [...repo.releases.values()]
      .filter((r) => !r.draft && !r.prerelease)
      .sort((a, b) => b.id - a.id)[0];
    if (!latest) throw notFound();
    return { status: 200, json: ctx.render.release(repo, latest) };
  },
  "GET /repos/{owner}/{repo}/releases/tags/{tag}": (ctx) => {
    const repo = repoOf(ctx);
    const release = [...repo.releases.values()].find((r) => r.tag_name === ctx.params.tag);
    if (!release) throw notFound();
    return { status: 200, json: ctx.render.release(repo, release) };
  },
  "GET /repos/{owner}/{repo}/releases/{release_id}": (ctx) => {
    const repo = repoOf(ctx);
    return { status: 200, json: ctx.render.release(repo, releaseOf(ctx, repo)) };
  },
  "PATCH /repos/{owner}/{repo}/releases/{release_id}": (ctx) => {
    const repo = repoOf(ctx);
    const release = releaseOf(ctx, repo);
    const body = ctx.body ?? {};
    for (const key of ["tag_name", "target_commitish", "name", "body", "prerelease"] as const) {
      if (body[key] !== undefined) (release as unknown as Record<string, unknown>)[key] = body[key];
    }
    if (typeof body.draft === "boolean") {
      release.draft = body.draft;
      release.published_at = body.draft ? null : (release.published_at ?? ctx.state.timestamp());
    }
    return { status: 200, json: ctx.render.release(repo, release) };
  },
  "GET /repos/{owner}/{repo}/releases/{release_id}/assets": (ctx) => {
    const repo = repoOf(ctx);
    const release = releaseOf(ctx, repo);
    return list(ctx, release.assets, (a) => ctx.render.releaseAsset(repo, release, a));
  },
  "POST /repos/{owner}/{repo}/releases/{release_id}/assets": (ctx) => {
    const repo = repoOf(ctx);
    const release = releaseOf(ctx, repo);
    const name = String(ctx.query.name);
    if (release.assets.some((a) => a.name === name)) {
      throw unprocessable("Validation Failed", [
        { resource: "ReleaseAsset", code: "already_exists", field: "name" },
      ]);
    }
    const asset = {
      id: ctx.state.nextId(),
      name,
      label: str(ctx.query.label) ?? null,
      content_type: ctx.contentType || "application/octet-stream",
      data: toBuffer(ctx.rawBody),
      created_at: ctx.state.timestamp(),
    };
    release.assets.push(asset);
    return { status: 201, json: ctx.render.releaseAsset(repo, release, asset) };
  },
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule": (ctx) => {
    const repo = repoOf(ctx);
    repo.deploymentReviews.push({
      run_id: int(ctx.params.run_id) ?? 0,
      environment_name: String(ctx.body.environment_name),
      state: ctx.body.state ?? null,
      comment: ctx.body.comment ?? null,
    });
    return { status: 204 };
  },
};
