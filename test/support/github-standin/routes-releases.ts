// Release, release asset and deployment handlers.
import { toBuffer } from "./git.js";
import { type Handler, int, list, notFound, type RouteContext, repoOf, str, unprocessable } from "./http.js";
import type { ReleaseAssetRecord, ReleaseRecord, RepoRecord } from "./state.js";

function releaseOf(ctx: RouteContext, repo: RepoRecord): ReleaseRecord {
  const release = repo.releases.get(int(ctx.params.release_id) ?? -1);
  if (!release) throw notFound();
  return release;
}

/** An asset by its id (ids are unique across the repository's releases), with its release. */
function assetOf(ctx: RouteContext, repo: RepoRecord): { release: ReleaseRecord; asset: ReleaseAssetRecord } {
  const id = int(ctx.params.asset_id) ?? -1;
  for (const release of repo.releases.values()) {
    const asset = release.assets.find((a) => a.id === id);
    if (asset) return { release, asset };
  }
  throw notFound();
}

/** GitHub refuses a second asset of one name on a release. */
function refuseDuplicateName(release: ReleaseRecord, name: string, except?: ReleaseAssetRecord): void {
  if (release.assets.some((a) => a.name === name && a !== except)) {
    throw unprocessable("Validation Failed", [
      { resource: "ReleaseAsset", code: "already_exists", field: "name" },
    ]);
  }
}

export const releaseRoutes: Record<string, Handler> = {
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
    refuseDuplicateName(release, name);
    const asset: ReleaseAssetRecord = {
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
  // With `Accept: application/octet-stream` GitHub redirects (302) to the file on its storage; the
  // stand-in answers the bytes at once, which is where an Octokit client ends up after following it.
  "GET /repos/{owner}/{repo}/releases/assets/{asset_id}": (ctx) => {
    const repo = repoOf(ctx);
    const { release, asset } = assetOf(ctx, repo);
    if (ctx.accept.includes("application/octet-stream")) {
      // GitHub's storage serves the bytes as application/octet-stream, whatever the upload said.
      return { status: 200, raw: asset.data, contentType: "application/octet-stream" };
    }
    return { status: 200, json: ctx.render.releaseAsset(repo, release, asset) };
  },
  "PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}": (ctx) => {
    const repo = repoOf(ctx);
    const { release, asset } = assetOf(ctx, repo);
    const body = ctx.body ?? {};
    if (typeof body.name === "string") {
      refuseDuplicateName(release, body.name, asset);
      asset.name = body.name;
    }
    if (typeof body.label === "string") asset.label = body.label;
    asset.updated_at = ctx.state.timestamp();
    return { status: 200, json: ctx.render.releaseAsset(repo, release, asset) };
  },
  "DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}": (ctx) => {
    const repo = repoOf(ctx);
    const { release, asset } = assetOf(ctx, repo);
    release.assets.splice(release.assets.indexOf(asset), 1);
    return { status: 204 };
  },

  // deployments
  "GET /repos/{owner}/{repo}/deployments/{deployment_id}": (ctx) => {
    const repo = repoOf(ctx);
    const deployment = repo.deployments.get(int(ctx.params.deployment_id) ?? -1);
    if (!deployment) throw notFound();
    return { status: 200, json: ctx.render.deployment(repo, deployment) };
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
