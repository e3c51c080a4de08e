// Repository and git-data handlers: repositories, branches, commits, compare, contents, trees, blobs.
import { lookupPath, type TreeEntry } from "./git.js";
import {
  type Handler,
  int,
  notFound,
  paginate,
  type RouteContext,
  type RouteResult,
  raw,
  repoOf,
  splitOnce,
  str,
  unprocessable,
  wantsRaw,
} from "./http.js";
import { type Json, UNSIGNED } from "./render.js";
import { noreplyEmail, type RepoRecord } from "./state.js";

// ---- git data ----------------------------------------------------------------------------------

function treeListing(repo: RepoRecord, treeSha: string, recursive: boolean, ctx: RouteContext) {
  const out: Json[] = [];
  const walk = (sha: string, prefix: string) => {
    for (const e of repo.objects.trees.get(sha) ?? []) {
      const path = prefix + e.name;
      // A submodule's entry (type `commit`) names a commit of another repository: no size, no url.
      out.push({
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === "blob" ? { size: repo.objects.blobs.get(e.sha)?.byteLength ?? 0 } : {}),
        ...(e.type === "commit"
          ? {}
          : {
              url: `${ctx.render.api}/repos/${repo.full_name}/git/${e.type === "blob" ? "blobs" : "trees"}/${e.sha}`,
            }),
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
    if (found.entry.type === "commit") {
      const entry = ctx.render.contentEntry(repo, ref, path, "submodule", found.entry.sha, 0);
      return { status: 200, json: { ...entry, submodule_git_url: null } };
    }
    if (found.entry.mode === "120000") {
      const target = (repo.objects.blobs.get(found.entry.sha) as Buffer).toString("utf8");
      return {
        status: 200,
        json: {
          ...ctx.render.contentEntry(repo, ref, path, "symlink", found.entry.sha, target.length),
          target,
        },
      };
    }
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
      e.type === "commit"
        ? "submodule"
        : e.mode === "120000"
          ? "symlink"
          : e.type === "blob"
            ? "file"
            : "dir",
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
  const basehead = ctx.params.basehead ?? "";
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

export const gitRoutes: Record<string, Handler> = {
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
  "GET /repos/{owner}/{repo}/compare/{basehead}": compare,
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
    // An annotated tag's ref points at its tag object (read it with GET git/tags/{sha}).
    const annotated = ref.startsWith("tags/") ? repo.annotatedTags.get(ref.slice(5)) : undefined;
    const object = annotated
      ? {
          sha: annotated.sha,
          type: "tag",
          url: `${ctx.render.api}/repos/${repo.full_name}/git/tags/${annotated.sha}`,
        }
      : { sha, type: "commit", url: `${ctx.render.api}/repos/${repo.full_name}/git/commits/${sha}` };
    return {
      status: 200,
      json: {
        ref: `refs/${ref}`,
        node_id: Buffer.from(`Ref:${ref}`).toString("base64url"),
        url: `${ctx.render.api}/repos/${repo.full_name}/git/refs/${ref}`,
        object,
      },
    };
  },
  "GET /repos/{owner}/{repo}/git/tags/{tag_sha}": (ctx) => {
    const repo = repoOf(ctx);
    const t = [...repo.annotatedTags.values()].find((tag) => tag.sha === ctx.params.tag_sha);
    if (!t) throw notFound();
    const tagger = ctx.state.user(t.tagger) ?? ctx.state.addUser(t.tagger);
    return {
      status: 200,
      json: {
        node_id: Buffer.from(`Tag:${t.sha}`).toString("base64url"),
        tag: t.name,
        sha: t.sha,
        url: `${ctx.render.api}/repos/${repo.full_name}/git/tags/${t.sha}`,
        message: t.message,
        tagger: { name: tagger.name, email: noreplyEmail(tagger), date: t.date },
        object: {
          sha: t.target,
          type: "commit",
          url: `${ctx.render.api}/repos/${repo.full_name}/git/commits/${t.target}`,
        },
        verification: UNSIGNED,
      },
    };
  },
};
