// Pull request, issue and check-run handlers.

import {
  bot,
  DOCS,
  type Handler,
  HttpError,
  int,
  list,
  notFound,
  paginate,
  pullOf,
  type RouteContext,
  type RouteResult,
  repoOf,
  resolve,
  splitOnce,
  str,
  unprocessable,
} from "./http.js";
import type { Json } from "./render.js";
import type { Annotation, CheckRunAction, CheckRunRecord, PullRequestRecord, RepoRecord } from "./state.js";

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

export const pullRoutes: Record<string, Handler> = {
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls": (ctx) => {
    const repo = repoOf(ctx);
    const sha = resolve(ctx, repo, ctx.params.commit_sha ?? "");
    return list(ctx, ctx.state.pullRequestsWithCommit(repo, sha), (pr) => simplePull(ctx, repo, pr));
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
};
