// App, installation, org, team, user, release and deployment handlers.
import { toBuffer } from "./git.js";
import {
  type Handler,
  int,
  list,
  notFound,
  paginate,
  type RouteContext,
  repoOf,
  str,
  unprocessable,
} from "./http.js";
import type { Json } from "./render.js";
import type { ReleaseRecord, RepoRecord } from "./state.js";

/** The installation that reaches `account`, as GitHub describes it. */
function installation(ctx: RouteContext, account: string): Json {
  const id = ctx.state.installationOf(account);
  // Installed with everything the app asks for.
  const { permissions, events } = ctx.render.app();
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
    permissions,
    events,
    created_at: "2020-01-01T00:00:00Z",
    updated_at: "2020-01-01T00:00:00Z",
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The account an installation was made for; the default one's is the app owner's. */
function installedAccount(ctx: RouteContext, id: number): string {
  return ctx.state.accountOf(id) ?? ctx.state.app.owner;
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

export const accountRoutes: Record<string, Handler> = {
  "GET /app": (ctx) => ({ status: 200, json: ctx.render.app() }),
  "GET /app/installations": (ctx) => ({
    status: 200,
    json: ctx.state.installations().map((id) => installation(ctx, installedAccount(ctx, id))),
  }),
  "GET /app/installations/{installation_id}": (ctx) => {
    const id = int(ctx.params.installation_id) ?? -1;
    if (!ctx.state.installations().includes(id)) throw notFound();
    return { status: 200, json: installation(ctx, installedAccount(ctx, id)) };
  },
  "POST /app/installations/{installation_id}/access_tokens": (ctx) => {
    const id = int(ctx.params.installation_id) ?? -1;
    if (!ctx.state.installations().includes(id)) throw notFound();
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
  // The repositories the token's installation reaches (oldest first, paged like GitHub).
  "GET /installation/repositories": (ctx) => {
    const id = ctx.installation ?? ctx.state.installationId;
    const repos = [...ctx.state.repos.values()].filter((r) => ctx.state.installationOf(r.owner) === id);
    const page = paginate(ctx, repos);
    return {
      status: 200,
      json: {
        total_count: repos.length,
        repository_selection: "all",
        repositories: page.items.map((repo) => ctx.render.repository(repo)),
      },
      headers: page.headers,
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
