// App, installation, org, team and user handlers.
import { type Handler, int, list, notFound, paginate, type RouteContext, repoOf, str } from "./http.js";
import type { Json } from "./render.js";

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
};
