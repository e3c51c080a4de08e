// GitHub's GraphQL objects, built from the stand-in's state for graphql-js to execute against.
//
// Every object is a plain JavaScript object: `__typename` (graphql-js resolves interfaces and
// unions such as GitObject, Actor and RepositoryOwner with it) plus one property per implemented
// field, holding either the value or a resolver `(args, context, info) => value`. Resolvers keep
// the expensive parts (diffs, check-run grouping, nested objects) lazy: they run only when the
// query selects the field. A field of the schema that an object lacks is "not implemented by the
// stand-in" (see graphql.ts), never silently null.
//
// Names and shapes follow GitHub's schema (@octokit/graphql-schema): enum values are upper case
// (OPEN, APPROVED, COMPLETED, ...), a GitHub App's `Bot` login has no "[bot]" suffix (REST's
// `user.login` has it), pending team members and pending reviews are invisible.
//
// Implemented (connections take first/after/last/before, see graphql-connections.ts):
//
//   rateLimit { limit cost remaining used resetAt nodeCount }              # fixed numbers
//   repository(owner, name)                                                # NOT_FOUND when absent
//     id databaseId name nameWithOwner isPrivate isFork visibility url owner
//     defaultBranchRef / ref(qualifiedName) { id name prefix target repository }
//     collaborators(affiliation, login, query) { edges { permission node } } # owners, members, collaborators
//     object(expression: "<rev>" | "<rev>:<path>", oid)                    # Blob | Tree | Commit | Tag
//       Tag    { oid name message tagger target }                          # annotated tags (addTag with a message)
//       Blob   { oid abbreviatedOid byteSize text isBinary isTruncated }
//       Tree   { oid entries { name path type mode oid size extension lineCount object ... } }
//                # mode 33188 file, 40960 symlink, 16384 tree; type `commit` (57344) submodule
//       Commit { oid message messageHeadline messageBody committedDate authoredDate author
//                committer { name email date user } tree file(path) parents
//                authors { name email user }                               # Co-authored-by trailers
//                history(path, since, until, author: {emails})             # see history.ts
//                associatedPullRequests(orderBy) { <PullRequest> }         # see history.ts
//                checkSuites(filterBy: {appId, checkName}) { app { databaseId slug name }
//                  status conclusion checkRuns(filterBy: {checkName, checkType, status,
//                  statuses, conclusions, appId}) { databaseId name status conclusion title
//                  summary text externalId detailsUrl startedAt completedAt annotations } } }
//     pullRequests(states, headRefName, baseRefName, orderBy)              # the PRs below, listed
//     releases(orderBy) { nodes { tagName isDraft createdAt tagCommit … } }  # newest first by default
//     pullRequest(number)                                                  # NOT_FOUND when absent
//       number title body state isDraft merged baseRefName headRefName baseRefOid headRefOid baseRef
//       author changedFiles additions deletions labels
//       files { path changeType additions deletions }                      # first 3,000 only
//       reviews(author, states) { author state body submittedAt commit }
//       commits { commit { ... } }                                         # first 250 only
//       comments(orderBy) { author body createdAt updatedAt databaseId }
//   organization(login) { login team(slug) { slug name privacy
//     members(query, membership, role, orderBy) { nodes { login } edges { role } } } }
//   user(login) { login name organization(login) }                         # NOT_FOUND when absent
//   repositoryOwner(login) { __typename login }                            # null when absent
//
// Users, bots and organizations carry id/databaseId/login/url; most objects also carry `id`,
// `url` and `repository`. Mutations, `viewer`, `node(s)` and search are not implemented.
import type { GraphQLResolveInfo } from "graphql";
import { isBinary, lookupPath, type TreeEntry } from "./git.js";
import { connection, githubError, NOT_IMPLEMENTED, type PageArgs } from "./graphql-connections.js";
import { commitHistory } from "./history.js";
import type { Renderer } from "./render.js";
import {
  type Annotation,
  type CheckRunRecord,
  type CommitRecord,
  coAuthorTrailers,
  type GitHubState,
  type IssueCommentRecord,
  noreplyEmail,
  type OrgRecord,
  type PullRequestRecord,
  type ReleaseRecord,
  type RepoRecord,
  type ReviewRecord,
  type TagObjectRecord,
  type TeamRecord,
  type UserRecord,
  userByEmail,
} from "./state.js";

/** A GraphQL object: its type name and its fields (values or resolvers). */
export type GqlObject = { __typename: string } & Record<string, unknown>;

type Info = GraphQLResolveInfo;

/** GitHub lists at most 3,000 files of a pull request (the REST listing has the same cap). */
export const PULL_REQUEST_FILES_LIMIT = 3000;
/** GitHub lists at most 250 commits of a pull request (the REST listing has the same cap). */
export const PULL_REQUEST_COMMITS_LIMIT = 250;

function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString("base64url");
}

const PATCH_STATUS = {
  added: "ADDED",
  removed: "DELETED",
  modified: "MODIFIED",
  renamed: "RENAMED",
} as const;

/** A check suite as GraphQL shows it: the check runs of one app on one commit. */
interface Suite {
  appId: number;
  runs: CheckRunRecord[];
}

export class GraphModel {
  private readonly state: GitHubState;
  /** Repositories (`owner/name`) and organisations the query asked about, first mention first. */
  readonly about: string[] = [];
  /** What the query asked about that its installation does not reach. */
  readonly beyondReach: string[] = [];

  /** `installation`: the one whose token sent the query; without it every account is reached. */
  constructor(
    private readonly render: Renderer,
    private readonly installation?: number,
  ) {
    this.state = render.state;
  }

  /** Per repository, the pull requests holding each commit: built once per query, when first asked. */
  private readonly pullsByCommit = new Map<RepoRecord, Map<string, PullRequestRecord[]>>();

  private pullRequestsByCommit(repo: RepoRecord): Map<string, PullRequestRecord[]> {
    let index = this.pullsByCommit.get(repo);
    if (!index) {
      index = this.state.pullRequestsByCommit(repo);
      this.pullsByCommit.set(repo, index);
    }
    return index;
  }

  /** Notes that the query asks about `what` (of `account`); false when its installation cannot see it. */
  private reaches(account: string, what: string): boolean {
    if (!this.about.includes(what)) this.about.push(what);
    if (this.installation === undefined || this.state.installationOf(account) === this.installation)
      return true;
    if (!this.beyondReach.includes(what)) this.beyondReach.push(what);
    return false;
  }

  private get web(): string {
    return this.render.web || "https://github.com";
  }

  // ---- the root --------------------------------------------------------------------------------

  /** The root value: the fields of `Query`. */
  query(): GqlObject {
    return {
      __typename: "Query",
      rateLimit: () => ({
        __typename: "RateLimit",
        limit: 5000,
        cost: 1,
        remaining: 4999,
        used: 1,
        resetAt: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        nodeCount: 1,
      }),
      repository: ({ owner, name }: { owner: string; name: string }) => {
        // A repository the installation does not reach is as absent as one that is not there.
        const repo = this.reaches(owner, `${owner}/${name}`)
          ? this.state.findRepo(`${owner}/${name}`)
          : undefined;
        if (!repo) {
          throw githubError(
            "NOT_FOUND",
            `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          );
        }
        return this.repository(repo);
      },
      organization: ({ login }: { login: string }) => {
        const org = this.reaches(login, login) ? this.state.org(login) : undefined;
        if (!org) {
          throw githubError(
            "NOT_FOUND",
            `Could not resolve to an Organization with the login of '${login}'.`,
          );
        }
        return this.organization(org);
      },
      user: ({ login }: { login: string }) => {
        const user = this.state.user(login);
        // An organization (or a bot) is not a User.
        if (user?.type !== "User") {
          throw githubError("NOT_FOUND", `Could not resolve to a User with the login of '${login}'.`);
        }
        return this.user(user);
      },
      // Unlike `user` and `organization`, an unknown owner is plain null, without an error.
      repositoryOwner: ({ login }: { login: string }) => this.repositoryOwner(login),
    };
  }

  // ---- accounts --------------------------------------------------------------------------------

  private user(u: UserRecord): GqlObject {
    return {
      __typename: "User",
      id: nodeId("User", u.id),
      databaseId: u.id,
      login: u.login,
      name: u.name,
      email: "",
      url: `${this.web}/${u.login}`,
      resourcePath: `/${u.login}`,
      avatarUrl: () => `${this.web}/avatars/u/${u.id}`,
      isSiteAdmin: false,
      // An organisation the user is an active member of: not one they were only invited to, nor
      // one whose repository they collaborate on from outside.
      organization: ({ login }: { login: string }) => {
        const org = this.reaches(login, login) ? this.state.org(login) : undefined;
        return org?.members.has(u.login.toLowerCase()) ? this.organization(org) : null;
      },
    };
  }

  /** A GitHub App's bot account: `login` is the app slug, without REST's "[bot]" suffix. */
  private bot(u: UserRecord): GqlObject {
    const login = u.login.replace(/\[bot\]$/, "");
    return {
      __typename: "Bot",
      id: nodeId("Bot", u.id),
      databaseId: u.id,
      login,
      url: `${this.web}/apps/${login}`,
      resourcePath: `/apps/${login}`,
      avatarUrl: () => `${this.web}/avatars/u/${u.id}`,
    };
  }

  private organization(org: OrgRecord): GqlObject {
    return {
      __typename: "Organization",
      id: nodeId("Organization", org.id),
      databaseId: org.id,
      login: org.login,
      name: org.login,
      url: `${this.web}/${org.login}`,
      resourcePath: `/${org.login}`,
      avatarUrl: () => `${this.web}/avatars/u/${org.id}`,
      // An unknown team is null without an error, as on GitHub.
      team: ({ slug }: { slug: string }) => {
        const team = org.teams.get(slug.toLowerCase());
        return team ? this.team(org, team) : null;
      },
    };
  }

  /** A User or an Organization (the RepositoryOwner interface); null for bots and unknown logins. */
  private repositoryOwner(login: string): GqlObject | null {
    const org = this.state.org(login);
    if (org) return this.organization(org);
    const user = this.state.user(login);
    return user?.type === "User" ? this.user(user) : null;
  }

  /** The author of a comment, review or pull request (the Actor interface); null when unknown. */
  private actor(login: string): GqlObject | null {
    const user = this.state.user(login);
    if (!user) return null;
    if (user.type === "Bot") return this.bot(user);
    if (user.type === "Organization") {
      const org = this.state.org(login);
      return org ? this.organization(org) : null;
    }
    return this.user(user);
  }

  private team(org: OrgRecord, team: TeamRecord): GqlObject {
    return {
      __typename: "Team",
      id: nodeId("Team", team.id),
      databaseId: team.id,
      slug: team.slug,
      name: team.name,
      combinedSlug: `${org.login}/${team.slug}`,
      description: team.description,
      privacy: team.privacy === "secret" ? "SECRET" : "VISIBLE",
      url: `${this.web}/orgs/${org.login}/teams/${team.slug}`,
      resourcePath: `/orgs/${org.login}/teams/${team.slug}`,
      organization: () => this.organization(org),
      members: (
        args: PageArgs & {
          query?: string | null;
          membership?: string | null;
          role?: string | null;
          orderBy?: { field: string; direction: string } | null;
        },
        _ctx: unknown,
        info: Info,
      ) => {
        // Only active members count: an invitation that was not accepted yet is not membership.
        let members = [...team.members.entries()]
          .filter(([, m]) => m.state === "active")
          .map(([login, m]) => ({ user: this.state.user(login), role: m.role }))
          .filter((m): m is { user: UserRecord; role: "member" | "maintainer" } => m.user !== undefined);
        // The stand-in has no nested teams: members are all immediate ones.
        if (args.membership === "CHILD_TEAM") members = [];
        if (args.role) members = members.filter((m) => m.role.toUpperCase() === args.role);
        const query = args.query?.toLowerCase();
        if (query) {
          members = members.filter(
            (m) => m.user.login.toLowerCase().includes(query) || m.user.name.toLowerCase().includes(query),
          );
        }
        if (args.orderBy) {
          const key = (m: { user: UserRecord }) =>
            args.orderBy?.field === "LOGIN" ? m.user.login.toLowerCase() : m.user.id;
          members.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
          if (args.orderBy.direction === "DESC") members.reverse();
        }
        return connection(
          members,
          args,
          info,
          (m) => this.user(m.user),
          (m) => ({
            role: m.role.toUpperCase(),
            memberAccessResourcePath: `/orgs/${org.login}/teams/${team.slug}/members`,
            memberAccessUrl: `${this.web}/orgs/${org.login}/teams/${team.slug}/members`,
          }),
        );
      },
    };
  }

  // ---- repositories, refs and git objects --------------------------------------------------------

  private repository(repo: RepoRecord): GqlObject {
    return {
      __typename: "Repository",
      id: nodeId("Repository", repo.id),
      databaseId: repo.id,
      name: repo.name,
      nameWithOwner: repo.full_name,
      isPrivate: repo.private,
      isFork: repo.fork_of !== null,
      isArchived: false,
      visibility: repo.private ? "PRIVATE" : "PUBLIC",
      url: `${this.web}/${repo.full_name}`,
      resourcePath: `/${repo.full_name}`,
      owner: () => this.repositoryOwner(repo.owner),
      defaultBranchRef: () => this.ref(repo, `refs/heads/${repo.default_branch}`),
      ref: ({ qualifiedName }: { qualifiedName: string }) => this.ref(repo, qualifiedName),
      collaborators: (
        args: PageArgs & { affiliation?: string | null; login?: string | null; query?: string | null },
        _ctx: unknown,
        info: Info,
      ) => {
        const org = this.state.org(repo.owner);
        const login = args.login?.toLowerCase();
        const query = args.query?.toLowerCase();
        const people = [...this.state.repoPermissions(repo)]
          .filter(([who]) => {
            if (args.affiliation === "DIRECT") return repo.collaborators.has(who);
            if (args.affiliation === "OUTSIDE")
              return !!org && repo.collaborators.has(who) && !org.members.has(who);
            return true;
          })
          .filter(([who]) => (login ? who === login : true))
          .filter(([who]) => (query ? who.includes(query) : true))
          .flatMap(([who, role]) => {
            const user = this.state.user(who);
            return user?.type === "User" ? [{ user, role }] : [];
          })
          .sort((a, b) => a.user.id - b.user.id);
        return connection(
          people,
          args,
          info,
          (p) => this.user(p.user),
          (p) => ({ permission: p.role.toUpperCase() }),
        );
      },
      object: (args: { expression?: string | null; oid?: string | null }) => this.objectAt(repo, args),
      pullRequests: (
        args: PageArgs & {
          states?: string[] | null;
          headRefName?: string | null;
          baseRefName?: string | null;
          orderBy?: { field: string; direction: string } | null;
        },
        _ctx: unknown,
        info: Info,
      ) => {
        const stateOf = (pr: PullRequestRecord) => (pr.merged ? "MERGED" : pr.state.toUpperCase());
        let pulls = [...repo.pulls.values()];
        if (args.states) pulls = pulls.filter((pr) => args.states?.includes(stateOf(pr)));
        if (args.headRefName != null) pulls = pulls.filter((pr) => pr.head.ref === args.headRefName);
        if (args.baseRefName != null) pulls = pulls.filter((pr) => pr.base.ref === args.baseRefName);
        // IssueOrder: CREATED_AT (the number's order), UPDATED_AT or COMMENTS; ascending by default.
        const field = args.orderBy?.field ?? "CREATED_AT";
        const key = (pr: PullRequestRecord) =>
          field === "UPDATED_AT"
            ? pr.updated_at
            : field === "COMMENTS"
              ? (repo.comments.get(pr.number) ?? []).length
              : pr.number;
        pulls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number));
        if (args.orderBy?.direction === "DESC") pulls.reverse();
        return connection(pulls, args, info, (pr) => this.pullRequest(repo, pr));
      },
      // ReleaseOrder: CREATED_AT (GitHub's default, newest first for DESC) or NAME.
      releases: (
        args: PageArgs & { orderBy?: { field: string; direction: string } | null },
        _ctx: unknown,
        info: Info,
      ) => {
        const field = args.orderBy?.field ?? "CREATED_AT";
        const releases = [...repo.releases.values()].sort((a, b) =>
          field === "NAME"
            ? (a.name ?? "").localeCompare(b.name ?? "")
            : a.created_at < b.created_at
              ? -1
              : a.created_at > b.created_at
                ? 1
                : a.id - b.id,
        );
        if ((args.orderBy?.direction ?? "DESC") === "DESC") releases.reverse();
        return connection(releases, args, info, (r) => this.release(repo, r));
      },
      pullRequest: ({ number }: { number: number }) => {
        const pr = repo.pulls.get(number);
        if (!pr) {
          throw githubError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${number}.`);
        }
        return this.pullRequest(repo, pr);
      },
    };
  }

  /** A release: its tag and, while the tag exists, the commit it names. */
  private release(repo: RepoRecord, r: ReleaseRecord): GqlObject {
    const sha = repo.tags.get(r.tag_name);
    return {
      __typename: "Release",
      id: nodeId("Release", `${repo.id}:${r.id}`),
      databaseId: r.id,
      name: r.name,
      tagName: r.tag_name,
      isDraft: r.draft,
      isPrerelease: r.prerelease,
      createdAt: r.created_at,
      publishedAt: r.published_at,
      tagCommit: () => {
        const commit = sha ? repo.commits.get(sha) : undefined;
        return commit ? this.commit(repo, commit) : null;
      },
    };
  }

  /** `refs/heads/x`, `refs/tags/x`, or a short name (branches before tags); null when absent. */
  private ref(repo: RepoRecord, qualified: string): GqlObject | null {
    const branch = qualified.replace(/^refs\/heads\//, "");
    const tag = qualified.replace(/^refs\/tags\//, "");
    const isTag = qualified.startsWith("refs/tags/") || (!repo.branches.has(branch) && repo.tags.has(tag));
    const name = isTag ? tag : branch;
    const sha = isTag ? repo.tags.get(tag) : repo.branches.get(branch);
    if (!sha) return null;
    const prefix = isTag ? "refs/tags/" : "refs/heads/";
    const annotated = isTag ? repo.annotatedTags.get(name) : undefined;
    return {
      __typename: "Ref",
      id: nodeId("Ref", `${repo.id}:${prefix}${name}`),
      name,
      prefix,
      // An annotated tag's ref points at its tag object, which points at the commit.
      target: () => (annotated ? this.tag(repo, annotated) : this.gitObject(repo, sha)),
      repository: () => this.repository(repo),
    };
  }

  /**
   * `object(expression: "<rev>" | "<rev>:<path>")` or `object(oid:)`. The rev is a SHA (full or
   * abbreviated), a branch, a tag or HEAD (the default branch); a missing object is null.
   */
  private objectAt(repo: RepoRecord, args: { expression?: string | null; oid?: string | null }) {
    if (typeof args.oid === "string") return this.gitObject(repo, args.oid);
    if (typeof args.expression !== "string") return null;
    const expression = args.expression;
    const colon = expression.indexOf(":");
    const rev = colon === -1 ? expression : expression.slice(0, colon);
    // A rev naming an annotated tag (not a branch) is its tag object, as `git rev-parse v1` says.
    const tagName = rev.replace(/^(refs\/)?tags\//, "");
    const annotated = repo.branches.has(rev) ? undefined : repo.annotatedTags.get(tagName);
    if (annotated && colon === -1) return this.tag(repo, annotated);
    const sha = this.state.resolveRef(repo, rev || "HEAD");
    if (!sha) return null;
    const commit = repo.commits.get(sha);
    if (!commit) return this.gitObject(repo, sha);
    if (colon === -1) return this.commit(repo, commit);
    const path = expression.slice(colon + 1);
    if (path.replace(/\/+$/, "") === "") return this.gitObject(repo, commit.tree);
    const found = lookupPath(repo.objects, commit.tree, path);
    if (!found) return null;
    return this.gitObject(
      repo,
      found.entry.sha,
      found.dir ? `${found.dir}/${found.entry.name}` : found.entry.name,
    );
  }

  /** A commit, tree or blob by SHA; `path` is a tree's own path (for its entries' paths). */
  private gitObject(repo: RepoRecord, sha: string, path = ""): GqlObject | null {
    const commit = repo.commits.get(sha);
    if (commit) return this.commit(repo, commit);
    const annotated = [...repo.annotatedTags.values()].find((t) => t.sha === sha);
    if (annotated) return this.tag(repo, annotated);
    const entries = repo.objects.trees.get(sha);
    if (entries) return this.tree(repo, sha, entries, path);
    const bytes = repo.objects.blobs.get(sha);
    if (bytes) return this.blob(repo, sha, bytes);
    return null;
  }

  /** The fields every GitObject has. */
  private gitObjectFields(repo: RepoRecord, kind: string, sha: string) {
    return {
      id: nodeId(kind, sha),
      oid: sha,
      abbreviatedOid: sha.slice(0, 7),
      repository: () => this.repository(repo),
    };
  }

  /** An annotated tag's object. */
  private tag(repo: RepoRecord, t: TagObjectRecord): GqlObject {
    return {
      __typename: "Tag",
      ...this.gitObjectFields(repo, "Tag", t.sha),
      name: t.name,
      message: t.message,
      tagger: () => this.gitActor(t.tagger, t.date),
      target: () => this.gitObject(repo, t.target),
      commitUrl: `${this.web}/${repo.full_name}/commit/${t.target}`,
      commitResourcePath: `/${repo.full_name}/commit/${t.target}`,
    };
  }

  private blob(repo: RepoRecord, sha: string, bytes: Buffer): GqlObject {
    const binary = isBinary(bytes);
    return {
      __typename: "Blob",
      ...this.gitObjectFields(repo, "Blob", sha),
      byteSize: bytes.byteLength,
      isBinary: binary,
      // The stand-in never truncates; a binary blob has no text. Text that is not valid UTF-8 is
      // decoded with replacement characters, so it no longer re-encodes to `byteSize` bytes.
      isTruncated: false,
      text: () => (binary ? null : bytes.toString("utf8")),
    };
  }

  private tree(repo: RepoRecord, sha: string, entries: TreeEntry[], dir: string): GqlObject {
    return {
      __typename: "Tree",
      ...this.gitObjectFields(repo, "Tree", sha),
      entries: () => entries.map((entry) => this.treeEntry(repo, entry, dir)),
    };
  }

  private treeEntry(repo: RepoRecord, entry: TreeEntry, dir: string): GqlObject {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    const dot = entry.name.lastIndexOf(".");
    const bytes = entry.type === "blob" ? repo.objects.blobs.get(entry.sha) : undefined;
    return {
      __typename: "TreeEntry",
      name: entry.name,
      nameRaw: Buffer.from(entry.name, "utf8").toString("base64"),
      path,
      pathRaw: Buffer.from(path, "utf8").toString("base64"),
      type: entry.type,
      mode: Number.parseInt(entry.mode, 8),
      oid: entry.sha,
      size: bytes?.byteLength ?? 0,
      extension: dot > 0 ? entry.name.slice(dot) : "",
      isGenerated: false,
      lineCount: () => {
        if (!bytes || isBinary(bytes)) return null;
        const text = bytes.toString("utf8");
        return text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
      },
      language: null,
      submodule: null,
      object: () => this.gitObject(repo, entry.sha, path),
      repository: () => this.repository(repo),
    };
  }

  private commit(repo: RepoRecord, c: CommitRecord): GqlObject {
    const newline = c.message.indexOf("\n");
    return {
      __typename: "Commit",
      ...this.gitObjectFields(repo, "Commit", c.sha),
      message: c.message,
      messageHeadline: newline === -1 ? c.message : c.message.slice(0, newline),
      messageBody: newline === -1 ? "" : c.message.slice(newline + 1).trim(),
      committedDate: c.date,
      authoredDate: c.date,
      url: `${this.web}/${repo.full_name}/commit/${c.sha}`,
      commitUrl: `${this.web}/${repo.full_name}/commit/${c.sha}`,
      resourcePath: `/${repo.full_name}/commit/${c.sha}`,
      author: () => this.gitActor(c.author, c.date),
      committer: () => this.gitActor(c.committer, c.date),
      // The git author first, then each `Co-authored-by:` trailer (its user when the email is known).
      authors: (args: PageArgs, _ctx: unknown, info: Info) =>
        connection(
          [
            () => this.gitActor(c.author, c.date),
            ...coAuthorTrailers(c.message).map((t) => () => this.trailerActor(t.name, t.email, c.date)),
          ],
          args,
          info,
          (actor) => actor(),
        ),
      tree: () => this.gitObject(repo, c.tree),
      file: ({ path }: { path: string }) => {
        const found = lookupPath(repo.objects, c.tree, path);
        return found ? this.treeEntry(repo, found.entry, found.dir) : null;
      },
      parents: (args: PageArgs, _ctx: unknown, info: Info) =>
        connection(c.parents, args, info, (sha) => this.gitObject(repo, sha)),
      // Newest first, each commit before its parents, merges followed into every parent; `path`
      // keeps the commits whose files there differ from their first parent's (history.ts).
      history: (
        args: PageArgs & {
          path?: string | null;
          since?: string | null;
          until?: string | null;
          author?: { id?: string | null; emails?: string[] | null } | null;
        },
        _ctx: unknown,
        info: Info,
      ) => {
        if (args.author?.id != null) {
          throw githubError(
            NOT_IMPLEMENTED,
            "The GitHub stand-in does not implement Commit.history(author: {id}); filter by emails.",
          );
        }
        const commits = commitHistory(repo, c.sha, { ...args, emails: args.author?.emails }, (commit) =>
          noreplyEmail(this.state.user(commit.author) ?? this.state.addUser(commit.author)),
        );
        return connection(commits, args, info, (commit) => this.commit(repo, commit));
      },
      // The merged PR that brought a default-branch commit there; elsewhere open and merged PRs too.
      associatedPullRequests: (
        args: PageArgs & { orderBy?: { field: string; direction: string } | null },
        _ctx: unknown,
        info: Info,
      ) => {
        const pulls = [...(this.pullRequestsByCommit(repo).get(c.sha) ?? [])];
        const field = args.orderBy?.field ?? "CREATED_AT";
        const key = (pr: PullRequestRecord) => (field === "UPDATED_AT" ? pr.updated_at : pr.number);
        pulls.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number));
        if (args.orderBy?.direction === "DESC") pulls.reverse();
        return connection(pulls, args, info, (pr) => this.pullRequest(repo, pr));
      },
      checkSuites: (
        args: PageArgs & { filterBy?: { appId?: number | null; checkName?: string | null } | null },
        _ctx: unknown,
        info: Info,
      ) => {
        let suites = this.suites(repo, c.sha);
        const appId = args.filterBy?.appId;
        const checkName = args.filterBy?.checkName;
        if (appId != null) suites = suites.filter((s) => s.appId === appId);
        if (checkName != null) suites = suites.filter((s) => s.runs.some((r) => r.name === checkName));
        return connection(suites, args, info, (s) => this.checkSuite(repo, c, s));
      },
    };
  }

  /** Name, email and date of a commit's author or committer, and the User behind them (if one). */
  private gitActor(login: string, date: string): GqlObject {
    const u = this.state.user(login) ?? this.state.addUser(login);
    return {
      __typename: "GitActor",
      name: u.name,
      email: noreplyEmail(u),
      date,
      // GitActor.user is a User: commits by a bot or an organization have none.
      user: () => (u.type === "User" ? this.user(u) : null),
      avatarUrl: () => `${this.web}/avatars/u/${u.id}`,
    };
  }

  /** A co-author as a trailer names them: the user only when GitHub knows the email. */
  private trailerActor(name: string, email: string, date: string): GqlObject {
    const u = userByEmail(this.state, email);
    return {
      __typename: "GitActor",
      name,
      email,
      date,
      user: () => (u?.type === "User" ? this.user(u) : null),
      avatarUrl: () => `${this.web}/avatars/u/${u?.id ?? 0}`,
    };
  }

  // ---- checks ----------------------------------------------------------------------------------

  /** The check runs on a commit, grouped into one suite per app (ordered by their first run). */
  private suites(repo: RepoRecord, sha: string): Suite[] {
    const byApp = new Map<number, Suite>();
    for (const run of [...repo.checkRuns.values()]
      .filter((r) => r.head_sha === sha)
      .sort((a, b) => a.id - b.id)) {
      const suite = byApp.get(run.app_id) ?? { appId: run.app_id, runs: [] };
      suite.runs.push(run);
      byApp.set(run.app_id, suite);
    }
    return [...byApp.values()];
  }

  private app(appId: number): GqlObject {
    const own = appId === this.state.app.id;
    // Other apps' runs render as "app-<id>" in REST too (render.ts).
    const slug = own ? this.state.app.slug : `app-${appId}`;
    return {
      __typename: "App",
      id: nodeId("App", appId),
      databaseId: appId,
      slug,
      name: own ? this.state.app.name : slug,
      url: `${this.web}/apps/${slug}`,
    };
  }

  private checkSuite(repo: RepoRecord, commit: CommitRecord, suite: Suite): GqlObject {
    const runs = suite.runs;
    // REST renders each run's check_suite.id as run.id + 500000; the suite takes its first run's.
    const databaseId = (runs[0]?.id ?? 0) + 500000;
    const completed = runs.every((r) => r.status === "completed");
    return {
      __typename: "CheckSuite",
      id: nodeId("CheckSuite", databaseId),
      databaseId,
      app: () => this.app(suite.appId),
      status: completed
        ? "COMPLETED"
        : runs.some((r) => r.status === "in_progress")
          ? "IN_PROGRESS"
          : "QUEUED",
      conclusion: completed ? suiteConclusion(runs) : null,
      createdAt: runs[0]?.started_at,
      updatedAt: runs.at(-1)?.completed_at ?? runs.at(-1)?.started_at,
      commit: () => this.commit(repo, commit),
      repository: () => this.repository(repo),
      checkRuns: (
        args: PageArgs & {
          filterBy?: {
            appId?: number | null;
            checkName?: string | null;
            checkType?: string | null;
            status?: string | null;
            statuses?: string[] | null;
            conclusions?: string[] | null;
          } | null;
        },
        _ctx: unknown,
        info: Info,
      ) => {
        const filter = args.filterBy ?? {};
        let selected = runs;
        // LATEST (assumed the default, as REST's filter=latest is): the newest run of each name.
        if ((filter.checkType ?? "LATEST") === "LATEST") {
          const latest = new Map<string, CheckRunRecord>();
          for (const run of selected) latest.set(run.name, run);
          selected = [...latest.values()].sort((a, b) => a.id - b.id);
        }
        if (filter.appId != null) selected = selected.filter((r) => r.app_id === filter.appId);
        if (filter.checkName != null) selected = selected.filter((r) => r.name === filter.checkName);
        if (filter.status != null)
          selected = selected.filter((r) => r.status.toUpperCase() === filter.status);
        if (filter.statuses) {
          const statuses = filter.statuses;
          selected = selected.filter((r) => statuses.includes(r.status.toUpperCase()));
        }
        if (filter.conclusions) {
          const conclusions = filter.conclusions;
          selected = selected.filter(
            (r) => r.conclusion !== null && conclusions.includes(r.conclusion.toUpperCase()),
          );
        }
        return connection(selected, args, info, (run) => this.checkRun(repo, commit, suite, run));
      },
    };
  }

  private checkRun(repo: RepoRecord, commit: CommitRecord, suite: Suite, run: CheckRunRecord): GqlObject {
    return {
      __typename: "CheckRun",
      id: nodeId("CheckRun", run.id),
      databaseId: run.id,
      name: run.name,
      status: run.status.toUpperCase(),
      conclusion: run.conclusion?.toUpperCase() ?? null,
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      externalId: run.external_id,
      detailsUrl: run.details_url,
      startedAt: run.started_at,
      completedAt: run.completed_at,
      url: `${this.web}/${repo.full_name}/runs/${run.id}`,
      permalink: `${this.web}/${repo.full_name}/runs/${run.id}`,
      resourcePath: `/${repo.full_name}/runs/${run.id}`,
      checkSuite: () => this.checkSuite(repo, commit, suite),
      repository: () => this.repository(repo),
      annotations: (args: PageArgs, _ctx: unknown, info: Info) =>
        connection(run.output.annotations, args, info, (a) => this.annotation(repo, run, a)),
    };
  }

  private annotation(repo: RepoRecord, run: CheckRunRecord, a: Annotation): GqlObject {
    return {
      __typename: "CheckAnnotation",
      path: a.path,
      message: a.message,
      title: a.title ?? null,
      rawDetails: a.raw_details ?? null,
      annotationLevel: a.annotation_level.toUpperCase(),
      databaseId: null,
      blobUrl: `${this.web}/${repo.full_name}/blob/${run.head_sha}/${a.path}`,
      location: {
        start: { line: a.start_line, column: a.start_column ?? null },
        end: { line: a.end_line, column: a.end_column ?? null },
      },
    };
  }

  // ---- pull requests ---------------------------------------------------------------------------

  private pullRequest(repo: RepoRecord, pr: PullRequestRecord): GqlObject {
    const url = `${this.web}/${repo.full_name}/pull/${pr.number}`;
    const files = () => this.state.pullRequestFiles(repo, pr.number);
    const headRepo = this.state.findRepo(pr.head.repo);
    return {
      __typename: "PullRequest",
      id: nodeId("PullRequest", pr.id),
      databaseId: pr.id,
      number: pr.number,
      title: pr.title,
      body: pr.body ?? "",
      state: pr.merged ? "MERGED" : pr.state.toUpperCase(),
      isDraft: pr.draft,
      merged: pr.merged,
      closed: pr.state === "closed",
      createdAt: pr.created_at,
      updatedAt: pr.updated_at,
      closedAt: pr.closed_at,
      mergedAt: pr.merged_at,
      url,
      permalink: url,
      resourcePath: `/${repo.full_name}/pull/${pr.number}`,
      baseRefName: pr.base.ref,
      headRefName: pr.head.ref,
      baseRefOid: pr.base.sha,
      // The base branch as it is now (null once deleted); `baseRefOid` is the base the PR records.
      baseRef: () => this.ref(repo, `refs/heads/${pr.base.ref}`),
      headRefOid: pr.head.sha,
      isCrossRepository: pr.head.repo.toLowerCase() !== repo.full_name.toLowerCase(),
      author: () => this.actor(pr.user),
      authorAssociation: () => this.render.association(repo, pr.user),
      baseRepository: () => this.repository(repo),
      headRepository: () => (headRepo ? this.repository(headRepo) : null),
      mergeCommit: () => {
        const merge = pr.merge_commit_sha ? repo.commits.get(pr.merge_commit_sha) : undefined;
        return merge ? this.commit(repo, merge) : null;
      },
      changedFiles: () => files().length,
      additions: () => files().reduce((n, f) => n + f.additions, 0),
      deletions: () => files().reduce((n, f) => n + f.deletions, 0),
      labels: (args: PageArgs, _ctx: unknown, info: Info) =>
        connection(pr.labels, args, info, (name) => ({
          __typename: "Label",
          id: nodeId("Label", `${repo.id}:${name}`),
          name,
          color: "ededed",
          description: null,
        })),
      files: (args: PageArgs, _ctx: unknown, info: Info) =>
        connection(files().slice(0, PULL_REQUEST_FILES_LIMIT), args, info, (f) => ({
          __typename: "PullRequestChangedFile",
          path: f.filename,
          changeType: PATCH_STATUS[f.status],
          additions: f.additions,
          deletions: f.deletions,
          viewerViewedState: "UNVIEWED",
        })),
      reviews: (
        args: PageArgs & { author?: string | null; states?: string[] | null },
        _ctx: unknown,
        info: Info,
      ) => {
        // Pending reviews are visible to their authors only, and the app authors none.
        let reviews = (repo.reviews.get(pr.number) ?? []).filter((r) => r.state !== "PENDING");
        const author = args.author?.toLowerCase();
        if (author) reviews = reviews.filter((r) => r.user.toLowerCase() === author);
        const states = args.states;
        if (states) reviews = reviews.filter((r) => states.includes(r.state));
        return connection(reviews, args, info, (r) => this.review(repo, pr, r));
      },
      // The first 250 commits are listed; totalCount counts them all, so a reader can tell.
      commits: (args: PageArgs, _ctx: unknown, info: Info) => {
        const all = this.state.pullRequestCommits(repo, pr.number);
        const listed = connection(all.slice(0, PULL_REQUEST_COMMITS_LIMIT), args, info, (sha) => ({
          __typename: "PullRequestCommit",
          id: nodeId("PullRequestCommit", `${pr.id}:${sha}`),
          url: `${url}/commits/${sha}`,
          resourcePath: `/${repo.full_name}/pull/${pr.number}/commits/${sha}`,
          commit: () => {
            const c = repo.commits.get(sha);
            return c ? this.commit(repo, c) : null;
          },
          pullRequest: () => this.pullRequest(repo, pr),
        }));
        return { ...listed, totalCount: all.length };
      },
      comments: (
        args: PageArgs & { orderBy?: { field: string; direction: string } | null },
        _ctx: unknown,
        info: Info,
      ) => {
        const comments = [...(repo.comments.get(pr.number) ?? [])];
        if (args.orderBy) {
          // UPDATED_AT is the only IssueCommentOrderField.
          comments.sort((a, b) =>
            a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.id - b.id,
          );
          if (args.orderBy.direction === "DESC") comments.reverse();
        }
        return connection(comments, args, info, (c) => this.issueComment(repo, pr, c));
      },
    };
  }

  private review(repo: RepoRecord, pr: PullRequestRecord, r: ReviewRecord): GqlObject {
    return {
      __typename: "PullRequestReview",
      id: nodeId("PullRequestReview", r.id),
      databaseId: r.id,
      fullDatabaseId: String(r.id),
      author: () => this.actor(r.user),
      authorAssociation: () => this.render.association(repo, r.user),
      body: r.body,
      bodyText: r.body,
      state: r.state,
      submittedAt: r.submitted_at,
      publishedAt: r.submitted_at,
      createdAt: r.submitted_at,
      updatedAt: r.submitted_at,
      url: `${this.web}/${repo.full_name}/pull/${pr.number}#pullrequestreview-${r.id}`,
      commit: () => {
        const c = repo.commits.get(r.commit_id);
        return c ? this.commit(repo, c) : null;
      },
      pullRequest: () => this.pullRequest(repo, pr),
      repository: () => this.repository(repo),
    };
  }

  private issueComment(repo: RepoRecord, pr: PullRequestRecord, c: IssueCommentRecord): GqlObject {
    return {
      __typename: "IssueComment",
      id: nodeId("IssueComment", c.id),
      databaseId: c.id,
      fullDatabaseId: String(c.id),
      author: () => this.actor(c.user),
      authorAssociation: () => this.render.association(repo, c.user),
      body: c.body,
      bodyText: c.body,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      publishedAt: c.created_at,
      lastEditedAt: c.updated_at !== c.created_at ? c.updated_at : null,
      includesCreatedEdit: c.updated_at !== c.created_at,
      isMinimized: false,
      minimizedReason: null,
      // The viewer is the app's installation, whose comments are by its bot.
      viewerDidAuthor: c.user.toLowerCase() === `${this.state.app.slug}[bot]`.toLowerCase(),
      url: `${this.web}/${repo.full_name}/pull/${pr.number}#issuecomment-${c.id}`,
      pullRequest: () => this.pullRequest(repo, pr),
      repository: () => this.repository(repo),
    };
  }
}

/** A completed suite's conclusion: the most severe of its runs' conclusions. */
function suiteConclusion(runs: CheckRunRecord[]): string | null {
  const order = [
    "action_required",
    "startup_failure",
    "timed_out",
    "failure",
    "cancelled",
    "stale",
    "neutral",
    "skipped",
    "success",
  ];
  const ranked = runs
    .map((r) => r.conclusion)
    .filter((c): c is string => c !== null)
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return ranked[0]?.toUpperCase() ?? null;
}
