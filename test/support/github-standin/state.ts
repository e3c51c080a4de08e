// The mutable model of GitHub the stand-in serves, with helpers that build it for a test.
import {
  ancestors,
  commitSha,
  commitsBetween,
  diffFiles,
  type FileChange,
  type FileContent,
  type GraphCommit,
  mergeBase,
  type Signature,
  tagSha,
  writeTree,
} from "./git.js";
import { pullRequestsByCommit } from "./history.js";

import type {
  AppRecord,
  CheckRunRecord,
  CommitRecord,
  DeploymentRecord,
  IssueCommentRecord,
  IssueRecord,
  MembershipState,
  OrgRecord,
  PullRequestRecord,
  ReleaseRecord,
  RepoPermission,
  RepoRecord,
  ReviewRecord,
  ReviewState,
  TeamRecord,
  UserRecord,
} from "./records.js";

export type * from "./records.js";

export type RepoRef = string | RepoRecord;

/** Repository roles, weakest first. */
const REPO_ROLES: readonly RepoPermission[] = ["read", "triage", "write", "maintain", "admin"];

export interface CommitOptions {
  /** Parent commit (SHA or branch). Defaults to the head of `branch`, else of the default branch. */
  parent?: string;
  /** Several parents make a merge commit; `files` apply to the first. */
  parents?: string[];
  /** Branch that moves to the new commit. Defaults to the default branch when no parent is given. */
  branch?: string;
  /** Changes relative to the first parent: content to write, `null` to delete. */
  files?: Record<string, FileContent | null>;
  /** Replace the whole tree instead of applying `files` as changes. */
  tree?: Record<string, FileContent>;
  author?: string;
  committer?: string;
  /** Logins named as co-authors: `Co-authored-by:` trailers (with their noreply emails) end the message. */
  coAuthors?: string[];
  message?: string;
  date?: Date;
}

export interface OpenPullRequestOptions {
  /** Head branch (in `headRepo` for a fork). */
  head: string;
  /**
   * Commit these changes on the head branch first (branching from `base` when the head branch
   * does not exist yet), authored by `author` (default: `user`).
   */
  files?: Record<string, FileContent | null>;
  author?: string;
  /** Co-authors of that commit (see CommitOptions). */
  coAuthors?: string[];
  base?: string;
  user: string;
  title?: string;
  body?: string;
  draft?: boolean;
  /** Full name of the head repository when the PR comes from a fork. */
  headRepo?: string;
  labels?: string[];
}

export class GitHubState {
  readonly users = new Map<string, UserRecord>();
  readonly orgs = new Map<string, OrgRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly app: AppRecord;
  /** The default installation: it reaches every account that has no installation of its own. */
  readonly installationId: number;
  now: () => Date;
  private lastId = 1000;
  private lastCommitSecond = 0;
  /** Accounts (lower case) with an installation of their own (`addInstallation`), to its id. */
  private readonly installedOn = new Map<string, { account: string; id: number }>();

  constructor(options: { appId: number; appSlug: string; installationId: number; now?: () => Date }) {
    this.app = { id: options.appId, slug: options.appSlug, name: "Readiness Gate", owner: "readiness-gate" };
    this.installationId = options.installationId;
    this.now = options.now ?? (() => new Date());
    this.addUser(`${options.appSlug}[bot]`, { type: "Bot" });
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  timestamp(): string {
    return isoSeconds(this.now());
  }

  // ---- installations of the app -------------------------------------------------------------

  /**
   * Installs the app on `account` as installation `id`: from then on the account's repositories,
   * organisation and teams answer that installation's tokens only, as on GitHub, where each
   * account installs the app for itself. Every other account stays with the default installation.
   */
  addInstallation(account: string, id: number): void {
    if (this.installations().includes(id)) throw new Error(`installation ${id} exists`);
    if (this.installedOn.has(account.toLowerCase())) throw new Error(`${account} has an installation`);
    this.installedOn.set(account.toLowerCase(), { account, id });
  }

  /** Every installation of the app, the default one first. */
  installations(): number[] {
    return [this.installationId, ...[...this.installedOn.values()].map((i) => i.id)];
  }

  /** The installation that reaches an account: its own, else the default one. */
  installationOf(account: string): number {
    return this.installedOn.get(account.toLowerCase())?.id ?? this.installationId;
  }

  /** The account an installation was added for; undefined for the default one. */
  accountOf(installation: number): string | undefined {
    return [...this.installedOn.values()].find((i) => i.id === installation)?.account;
  }

  // ---- users, orgs, teams ------------------------------------------------------------------

  addUser(login: string, options: { type?: UserRecord["type"]; name?: string } = {}): UserRecord {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const user: UserRecord = {
      login,
      id: this.nextId(),
      type: options.type ?? "User",
      name: options.name ?? login,
    };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  user(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  addOrg(login: string): OrgRecord {
    const existing = this.orgs.get(login.toLowerCase());
    if (existing) return existing;
    const user = this.addUser(login, { type: "Organization" });
    const org: OrgRecord = {
      login,
      id: user.id,
      teams: new Map(),
      members: new Set(),
      owners: new Set(),
      invitees: new Set(),
    };
    this.orgs.set(login.toLowerCase(), org);
    return org;
  }

  org(login: string): OrgRecord | undefined {
    return this.orgs.get(login.toLowerCase());
  }

  /** `members` as logins (all active) or login → state. Creates the org and users as needed. */
  addTeam(
    org: string,
    slug: string,
    options: {
      members?: string[] | Record<string, MembershipState>;
      maintainers?: string[];
      name?: string;
      privacy?: "closed" | "secret";
    } = {},
  ): TeamRecord {
    const o = this.addOrg(org);
    let team = o.teams.get(slug.toLowerCase());
    if (!team) {
      team = {
        id: this.nextId(),
        org: o.login,
        slug,
        name: options.name ?? slug,
        description: null,
        privacy: options.privacy ?? "closed",
        members: new Map(),
      };
      o.teams.set(slug.toLowerCase(), team);
    }
    const members = Array.isArray(options.members)
      ? Object.fromEntries(options.members.map((m) => [m, "active" as const]))
      : (options.members ?? {});
    for (const [login, state] of Object.entries(members)) this.addTeamMember(org, slug, login, state);
    for (const login of options.maintainers ?? [])
      this.addTeamMember(org, slug, login, "active", "maintainer");
    return team;
  }

  addTeamMember(
    org: string,
    slug: string,
    login: string,
    state: MembershipState = "active",
    role: "member" | "maintainer" = "member",
  ): void {
    const team = this.team(org, slug) ?? this.addTeam(org, slug);
    this.addUser(login);
    team.members.set(login.toLowerCase(), { state, role });
    if (state === "active") this.addOrgMember(org, login);
  }

  /** An active member; `owner` makes them an owner of the organisation (admin of every repository). */
  addOrgMember(org: string, login: string, role: "member" | "owner" = "member"): void {
    this.addUser(login);
    const o = this.addOrg(org);
    o.members.add(login.toLowerCase());
    o.invitees.delete(login.toLowerCase());
    if (role === "owner") o.owners.add(login.toLowerCase());
  }

  /** An invitation to the organisation that was not accepted: the user is not a member. */
  inviteOrgMember(org: string, login: string): void {
    this.addUser(login);
    const o = this.addOrg(org);
    if (!o.members.has(login.toLowerCase())) o.invitees.add(login.toLowerCase());
  }

  /**
   * Grants `login` a role on the repository itself. In an organisation's repository, someone who
   * is not a member of the organisation becomes an outside collaborator.
   */
  addCollaborator(ref: RepoRef, login: string, permission: RepoPermission = "write"): void {
    this.addUser(login);
    this.repo(ref).collaborators.set(login.toLowerCase(), permission);
  }

  /**
   * Everyone with access to a repository and their highest role, as GitHub computes it: the owner
   * of a user's repository, an organisation's owners (admin), its members (the base role, read),
   * and the repository's own collaborators.
   */
  repoPermissions(ref: RepoRef): Map<string, RepoPermission> {
    const repo = this.repo(ref);
    const roles = new Map<string, RepoPermission>();
    const grant = (login: string, role: RepoPermission) => {
      const had = roles.get(login);
      if (!had || REPO_ROLES.indexOf(role) > REPO_ROLES.indexOf(had)) roles.set(login, role);
    };
    const org = this.org(repo.owner);
    if (org) {
      for (const login of org.members) grant(login, org.owners.has(login) ? "admin" : "read");
    } else grant(repo.owner.toLowerCase(), "admin");
    for (const [login, role] of repo.collaborators) grant(login, role);
    return roles;
  }

  removeTeamMember(org: string, slug: string, login: string): void {
    this.team(org, slug)?.members.delete(login.toLowerCase());
  }

  team(org: string, slug: string): TeamRecord | undefined {
    return this.org(org)?.teams.get(slug.toLowerCase());
  }

  // ---- repositories and commits -------------------------------------------------------------

  /**
   * Creates a repository (its owner becomes an org unless it is a known user). With `files`,
   * makes an initial commit on the default branch.
   */
  addRepo(
    fullName: string,
    options: {
      defaultBranch?: string;
      private?: boolean;
      files?: Record<string, FileContent>;
      author?: string;
      message?: string;
      /** Full name of the parent: the fork shares its commits, and gets the parent's branches. */
      forkOf?: string;
    } = {},
  ): RepoRecord {
    const [owner, name] = fullName.split("/");
    if (!owner || !name) throw new Error(`repository name must be owner/name: ${fullName}`);
    if (this.repos.has(fullName.toLowerCase())) throw new Error(`repository exists: ${fullName}`);
    const ownerUser = this.user(owner);
    if (!ownerUser) this.addOrg(owner);
    const parent = options.forkOf ? this.repo(options.forkOf) : undefined;
    const repo: RepoRecord = {
      id: this.nextId(),
      owner: this.user(owner)?.login ?? owner,
      name,
      full_name: `${this.user(owner)?.login ?? owner}/${name}`,
      private: options.private ?? true,
      default_branch: options.defaultBranch ?? parent?.default_branch ?? "main",
      fork_of: parent?.full_name ?? null,
      commits: parent?.commits ?? new Map(),
      objects: parent?.objects ?? { blobs: new Map(), trees: new Map() },
      branches: new Map(parent?.branches ?? []),
      tags: new Map(),
      annotatedTags: new Map(),
      pulls: new Map(),
      reviews: new Map(),
      comments: new Map(),
      issues: new Map(),
      checkRuns: new Map(),
      releases: new Map(),
      labels: new Set(),
      deployments: new Map(),
      deploymentReviews: [],
      collaborators: new Map(),
      nextNumber: 1,
    };
    this.repos.set(fullName.toLowerCase(), repo);
    if (options.files) {
      this.commit(repo, {
        tree: options.files,
        author: options.author,
        message: options.message ?? "Initial commit",
      });
    }
    return repo;
  }

  findRepo(ref: RepoRef): RepoRecord | undefined {
    return typeof ref === "string" ? this.repos.get(ref.toLowerCase()) : ref;
  }

  repo(ref: RepoRef): RepoRecord {
    const repo = this.findRepo(ref);
    if (!repo) throw new Error(`no such repository in the stand-in: ${String(ref)}`);
    return repo;
  }

  /** Creates a commit and returns its (real git) SHA. */
  commit(ref: RepoRef, options: CommitOptions = {}): string {
    const repo = this.repo(ref);
    const branch = options.branch ?? (options.parent || options.parents ? undefined : repo.default_branch);
    let parents: string[];
    if (options.parents) parents = options.parents.map((p) => this.mustResolve(repo, p));
    else if (options.parent) parents = [this.mustResolve(repo, options.parent)];
    else {
      const tip = branch ? (repo.branches.get(branch) ?? repo.branches.get(repo.default_branch)) : undefined;
      parents = tip ? [tip] : [];
    }
    const first = parents[0] ? repo.commits.get(parents[0]) : undefined;
    const files = new Map<string, FileContent>(options.tree ? [] : (first?.files ?? []));
    for (const [path, content] of Object.entries(options.tree ?? {})) files.set(normalisePath(path), content);
    for (const [path, content] of Object.entries(options.files ?? {})) {
      if (content === null) files.delete(normalisePath(path));
      else files.set(normalisePath(path), content);
    }
    const sortedFiles = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const { tree, shas } = writeTree(repo.objects, sortedFiles);
    const author = this.addUser(options.author ?? repo.owner);
    const committer = this.addUser(options.committer ?? options.author ?? repo.owner);
    let seconds = Math.floor((options.date ?? this.now()).getTime() / 1000);
    if (!options.date) {
      seconds = Math.max(seconds, this.lastCommitSecond + 1);
      this.lastCommitSecond = seconds;
    }
    const date = new Date(seconds * 1000);
    const trailers = (options.coAuthors ?? []).map((login) => {
      const u = this.addUser(login);
      return `Co-authored-by: ${u.name} <${noreplyEmail(u)}>`;
    });
    const subject = options.message ?? `Commit ${repo.commits.size + 1}`;
    const message = trailers.length > 0 ? `${subject}\n\n${trailers.join("\n")}\n` : subject;
    const sig = (u: UserRecord): Signature => ({ name: u.name, email: noreplyEmail(u), date });
    const sha = commitSha(tree, parents, sig(author), sig(committer), message);
    repo.commits.set(sha, {
      sha,
      parents,
      files: sortedFiles,
      shas,
      tree,
      author: author.login,
      committer: committer.login,
      message,
      date: isoSeconds(date),
    });
    if (branch) this.setBranch(repo, branch, sha);
    return sha;
  }

  /** Points a branch at a commit (a push or force-push); open pull requests follow it. */
  setBranch(ref: RepoRef, branch: string, sha: string): void {
    const repo = this.repo(ref);
    const target = this.mustResolve(repo, sha);
    repo.branches.set(branch, target);
    for (const other of this.repos.values()) {
      for (const pr of other.pulls.values()) {
        if (pr.state !== "open") continue;
        if (pr.head.repo.toLowerCase() === repo.full_name.toLowerCase() && pr.head.ref === branch) {
          pr.head.sha = target;
          pr.updated_at = this.timestamp();
        }
        if (other === repo && pr.base.ref === branch) pr.base.sha = target;
      }
    }
  }

  deleteBranch(ref: RepoRef, branch: string): void {
    this.repo(ref).branches.delete(branch);
  }

  /**
   * Tags `target`. With a `message` the tag is annotated (`git tag -a`): a tag object by `tagger`
   * (default: the repository's owner) that GraphQL shows as a `Tag` and REST as `type: "tag"`.
   */
  addTag(
    ref: RepoRef,
    tag: string,
    target: string,
    options: { message?: string; tagger?: string } = {},
  ): void {
    const repo = this.repo(ref);
    const commit = this.mustResolve(repo, target);
    repo.tags.set(tag, commit);
    repo.annotatedTags.delete(tag);
    if (options.message === undefined) return;
    const tagger = this.addUser(options.tagger ?? repo.owner);
    const date = this.now();
    const signature = { name: tagger.name, email: noreplyEmail(tagger), date };
    repo.annotatedTags.set(tag, {
      sha: tagSha(commit, tag, signature, options.message),
      name: tag,
      target: commit,
      message: options.message,
      tagger: tagger.login,
      date: isoSeconds(date),
    });
  }

  /**
   * A commit SHA for a ref as GitHub's API accepts it: a full or abbreviated SHA (≥ 7 hex
   * digits), a branch, a tag, `heads/x`, `tags/x`, `refs/heads/x`, `refs/tags/x`, or `HEAD`.
   */
  resolveRef(ref: RepoRef, name: string): string | undefined {
    const repo = this.repo(ref);
    if (name === "HEAD") return repo.branches.get(repo.default_branch);
    if (repo.commits.has(name)) return name;
    const stripped = name.replace(/^refs\//, "");
    if (stripped.startsWith("heads/")) return repo.branches.get(stripped.slice(6));
    if (stripped.startsWith("tags/")) return repo.tags.get(stripped.slice(5));
    const direct = repo.branches.get(name) ?? repo.tags.get(name);
    if (direct) return direct;
    if (/^[0-9a-f]{7,40}$/i.test(name)) {
      const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(name.toLowerCase()));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  private mustResolve(repo: RepoRecord, name: string): string {
    const sha = this.resolveRef(repo, name);
    if (!sha) throw new Error(`${repo.full_name}: no commit for ${name}`);
    return sha;
  }

  getCommit(ref: RepoRef, sha: string): CommitRecord | undefined {
    const repo = this.repo(ref);
    const resolved = this.resolveRef(repo, sha);
    return resolved ? repo.commits.get(resolved) : undefined;
  }

  /** The files of a commit (a snapshot). */
  filesAt(ref: RepoRef, rev: string): Map<string, FileContent> {
    const commit = this.getCommit(ref, rev);
    if (!commit) throw new Error(`no commit ${rev}`);
    return commit.files;
  }

  lookup(ref: RepoRef): (sha: string) => GraphCommit | undefined {
    const repo = this.repo(ref);
    return (sha) => repo.commits.get(sha);
  }

  mergeBase(ref: RepoRef, a: string, b: string): string | undefined {
    return mergeBase(this.lookup(ref), a, b);
  }

  /** Three-dot comparison: files changed from the merge base of base and head to head. */
  compare(ref: RepoRef, base: string, head: string, threeDot = true) {
    const repo = this.repo(ref);
    const lookup = this.lookup(repo);
    const mergeBaseSha = threeDot ? mergeBase(lookup, base, head) : base;
    const from = mergeBaseSha ? repo.commits.get(mergeBaseSha) : undefined;
    const to = repo.commits.get(head) as CommitRecord;
    const files: FileChange[] = diffFiles(from ?? emptySnapshot(), to);
    const ahead = commitsBetween(lookup, base, head);
    const behind = commitsBetween(lookup, head, base);
    return { mergeBase: mergeBaseSha, files, ahead, behind };
  }

  /** Files a commit changes from its first parent (every file, as added, for a root commit). */
  commitChanges(ref: RepoRef, sha: string): FileChange[] {
    const repo = this.repo(ref);
    const commit = repo.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    const parent = commit.parents[0] ? repo.commits.get(commit.parents[0]) : undefined;
    return diffFiles(parent ?? emptySnapshot(), commit);
  }

  // ---- pull requests and their conversation -------------------------------------------------

  openPullRequest(ref: RepoRef, options: OpenPullRequestOptions): PullRequestRecord {
    const repo = this.repo(ref);
    const headRepo = options.headRepo ? this.repo(options.headRepo) : repo;
    const baseRef = options.base ?? repo.default_branch;
    if (options.files) {
      const exists = headRepo.branches.has(options.head);
      this.commit(headRepo, {
        branch: options.head,
        ...(exists ? {} : { parent: repo.branches.get(baseRef) ?? baseRef }),
        files: options.files,
        author: options.author ?? options.user,
        ...(options.coAuthors ? { coAuthors: options.coAuthors } : {}),
        message: options.title ?? "Change",
      });
    }
    const headSha = headRepo.branches.get(options.head);
    const baseSha = repo.branches.get(baseRef);
    if (!headSha) throw new Error(`${headRepo.full_name} has no branch ${options.head}`);
    if (!baseSha) throw new Error(`${repo.full_name} has no branch ${baseRef}`);
    this.addUser(options.user);
    const number = repo.nextNumber++;
    const at = this.timestamp();
    const pr: PullRequestRecord = {
      id: this.nextId(),
      number,
      user: options.user,
      title: options.title ?? `Pull request ${number}`,
      body: options.body ?? null,
      state: "open",
      draft: options.draft ?? false,
      merged: false,
      merged_by: null,
      merge_commit_sha: null,
      head: { ref: options.head, sha: headSha, repo: headRepo.full_name },
      base: { ref: baseRef, sha: baseSha },
      labels: [...(options.labels ?? [])],
      requested_reviewers: [],
      requested_teams: [],
      created_at: at,
      updated_at: at,
      closed_at: null,
      merged_at: null,
    };
    for (const label of pr.labels) repo.labels.add(label);
    repo.pulls.set(number, pr);
    return pr;
  }

  pullRequest(ref: RepoRef, number: number): PullRequestRecord {
    const pr = this.repo(ref).pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number}`);
    return pr;
  }

  /** Retarget (`base`), retitle, close or reopen a pull request. */
  updatePullRequest(
    ref: RepoRef,
    number: number,
    patch: { base?: string; title?: string; body?: string; state?: "open" | "closed"; draft?: boolean },
  ): PullRequestRecord {
    const repo = this.repo(ref);
    const pr = this.pullRequest(repo, number);
    if (patch.base !== undefined) {
      const sha = repo.branches.get(patch.base);
      if (!sha) throw new Error(`no branch ${patch.base}`);
      pr.base = { ref: patch.base, sha };
    }
    if (patch.title !== undefined) pr.title = patch.title;
    if (patch.body !== undefined) pr.body = patch.body;
    if (patch.draft !== undefined) pr.draft = patch.draft;
    if (patch.state !== undefined) {
      pr.state = patch.state;
      pr.closed_at = patch.state === "closed" ? this.timestamp() : null;
    }
    pr.updated_at = this.timestamp();
    return pr;
  }

  /** Merges with a merge commit on the base branch; returns its SHA. */
  mergePullRequest(ref: RepoRef, number: number, options: { user?: string } = {}): string {
    const repo = this.repo(ref);
    const pr = this.pullRequest(repo, number);
    const lookup = this.lookup(repo);
    const base = repo.commits.get(pr.base.sha) as CommitRecord;
    const head = repo.commits.get(pr.head.sha) as CommitRecord;
    const changes = diffFiles(
      repo.commits.get(mergeBase(lookup, base.sha, head.sha) ?? "") ?? emptySnapshot(),
      head,
    );
    const files: Record<string, FileContent | null> = {};
    for (const change of changes) {
      if (change.previous_filename) files[change.previous_filename] = null;
      files[change.filename] = change.status === "removed" ? null : (head.files.get(change.filename) ?? null);
    }
    const user = options.user ?? pr.user;
    const sha = this.commit(repo, {
      parents: [base.sha, head.sha],
      files,
      author: user,
      message: `Merge pull request #${number} from ${pr.head.repo.split("/")[0]}/${pr.head.ref}`,
    });
    // The merged PR keeps the base it was merged onto (GitHub's `base.sha`), so its commits are
    // still the ones it brought; moving the branch would otherwise move this open PR's base too.
    const mergedOnto = { ...pr.base };
    this.setBranch(repo, pr.base.ref, sha);
    pr.base = mergedOnto;
    const at = this.timestamp();
    Object.assign(pr, {
      state: "closed",
      merged: true,
      merged_by: user,
      merge_commit_sha: sha,
      merged_at: at,
      closed_at: at,
      updated_at: at,
    });
    return sha;
  }

  /** Files a pull request changes (three-dot: from the merge base of base and head). */
  pullRequestFiles(ref: RepoRef, number: number): FileChange[] {
    const pr = this.pullRequest(ref, number);
    return this.compare(ref, pr.base.sha, pr.head.sha).files;
  }

  pullRequestCommits(ref: RepoRef, number: number): string[] {
    const pr = this.pullRequest(ref, number);
    return commitsBetween(this.lookup(ref), pr.base.sha, pr.head.sha);
  }

  /**
   * The pull requests that hold a commit (see history.ts): on the default branch, the merged ones
   * that brought it there; elsewhere, open and merged ones.
   */
  pullRequestsWithCommit(ref: RepoRef, sha: string): PullRequestRecord[] {
    return [...(this.pullRequestsByCommit(ref).get(sha) ?? [])];
  }

  /** For every commit some pull request holds, those pull requests (see pullRequestsWithCommit). */
  pullRequestsByCommit(ref: RepoRef): Map<string, PullRequestRecord[]> {
    const repo = this.repo(ref);
    const tip = repo.branches.get(repo.default_branch);
    const onDefaultBranch = tip === undefined ? new Set<string>() : ancestors(this.lookup(repo), tip);
    return pullRequestsByCommit(repo, (pr) => this.pullRequestCommits(repo, pr.number), onDefaultBranch);
  }

  /** Adds a submitted review; `commit_id` defaults to the pull request's current head. */
  addReview(
    ref: RepoRef,
    number: number,
    review: {
      user: string;
      state: ReviewState;
      commit_id?: string;
      body?: string;
      submitted_at?: string | Date;
    },
  ): ReviewRecord {
    const repo = this.repo(ref);
    const pr = this.pullRequest(repo, number);
    this.addUser(review.user);
    const record: ReviewRecord = {
      id: this.nextId(),
      user: review.user,
      state: review.state,
      commit_id: review.commit_id ? this.mustResolve(repo, review.commit_id) : pr.head.sha,
      body: review.body ?? "",
      submitted_at:
        review.submitted_at instanceof Date
          ? isoSeconds(review.submitted_at)
          : (review.submitted_at ?? this.timestamp()),
    };
    const list = repo.reviews.get(number) ?? [];
    list.push(record);
    repo.reviews.set(number, list);
    pr.requested_reviewers = pr.requested_reviewers.filter(
      (u) => u.toLowerCase() !== review.user.toLowerCase(),
    );
    return record;
  }

  dismissReview(ref: RepoRef, number: number, reviewId: number): void {
    const review = this.repo(ref)
      .reviews.get(number)
      ?.find((r) => r.id === reviewId);
    if (!review) throw new Error(`no review ${reviewId}`);
    review.state = "DISMISSED";
  }

  addIssueComment(ref: RepoRef, number: number, comment: { user: string; body: string }): IssueCommentRecord {
    const repo = this.repo(ref);
    if (!repo.pulls.has(number) && !repo.issues.has(number))
      throw new Error(`no issue or pull request #${number}`);
    this.addUser(comment.user);
    const at = this.timestamp();
    const record: IssueCommentRecord = {
      id: this.nextId(),
      issue: number,
      user: comment.user,
      body: comment.body,
      created_at: at,
      updated_at: at,
    };
    const list = repo.comments.get(number) ?? [];
    list.push(record);
    repo.comments.set(number, list);
    return record;
  }

  addIssue(
    ref: RepoRef,
    issue: { title: string; body?: string | null; user: string; labels?: string[]; assignees?: string[] },
  ): IssueRecord {
    const repo = this.repo(ref);
    this.addUser(issue.user);
    const at = this.timestamp();
    const record: IssueRecord = {
      id: this.nextId(),
      number: repo.nextNumber++,
      user: issue.user,
      title: issue.title,
      body: issue.body ?? null,
      state: "open",
      labels: [...(issue.labels ?? [])],
      assignees: [...(issue.assignees ?? [])],
      created_at: at,
      updated_at: at,
    };
    for (const label of record.labels) repo.labels.add(label);
    repo.issues.set(record.number, record);
    return record;
  }

  // ---- checks and releases ------------------------------------------------------------------

  /** Adds a check run as if another app (or this one, by default) had created it. */
  addCheckRun(
    ref: RepoRef,
    run: Partial<Omit<CheckRunRecord, "id" | "output">> & {
      name: string;
      head_sha: string;
      output?: Partial<CheckRunRecord["output"]>;
    },
  ): CheckRunRecord {
    const repo = this.repo(ref);
    const at = this.timestamp();
    const record: CheckRunRecord = {
      status: run.conclusion ? "completed" : "queued",
      conclusion: null,
      started_at: at,
      completed_at: run.conclusion ? at : null,
      actions: [],
      details_url: null,
      external_id: null,
      app_id: this.app.id,
      writes: 0,
      ...run,
      id: this.nextId(),
      head_sha: this.mustResolve(repo, run.head_sha),
      output: { title: null, summary: null, text: null, annotations: [], images: [], ...run.output },
    };
    repo.checkRuns.set(record.id, record);
    return record;
  }

  /** Check runs on a commit, oldest first. */
  checkRunsFor(ref: RepoRef, sha: string): CheckRunRecord[] {
    const repo = this.repo(ref);
    const resolved = this.resolveRef(repo, sha) ?? sha;
    return [...repo.checkRuns.values()].filter((run) => run.head_sha === resolved);
  }

  addRelease(
    ref: RepoRef,
    release: {
      tag_name: string;
      target_commitish?: string;
      name?: string;
      body?: string;
      draft?: boolean;
      prerelease?: boolean;
      author?: string;
    },
  ): ReleaseRecord {
    const repo = this.repo(ref);
    const target = release.target_commitish ?? repo.default_branch;
    if (!repo.tags.has(release.tag_name)) this.addTag(repo, release.tag_name, target);
    const at = this.timestamp();
    const record: ReleaseRecord = {
      id: this.nextId(),
      tag_name: release.tag_name,
      target_commitish: target,
      name: release.name ?? release.tag_name,
      body: release.body ?? null,
      draft: release.draft ?? false,
      prerelease: release.prerelease ?? false,
      author: this.addUser(release.author ?? repo.owner).login,
      created_at: at,
      published_at: release.draft ? null : at,
      assets: [],
    };
    repo.releases.set(record.id, record);
    return record;
  }

  /**
   * A deployment of `ref` (default: the SHA itself) to `environment`, as a workflow job creates it
   * (by `creator`, default the repository's owner) before a protection rule is asked about it.
   */
  addDeployment(
    ref: RepoRef,
    deployment: { environment: string; sha: string; ref?: string; creator?: string; description?: string },
  ): DeploymentRecord {
    const repo = this.repo(ref);
    const record: DeploymentRecord = {
      id: this.nextId(),
      sha: this.mustResolve(repo, deployment.sha),
      ref: deployment.ref ?? deployment.sha,
      environment: deployment.environment,
      task: "deploy",
      description: deployment.description ?? null,
      creator: this.addUser(deployment.creator ?? repo.owner).login,
      created_at: this.timestamp(),
    };
    repo.deployments.set(record.id, record);
    return record;
  }
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function noreplyEmail(user: UserRecord): string {
  return `${user.id}+${user.login}@users.noreply.github.com`;
}

/**
 * The account an email belongs to, as GitHub resolves a commit's emails: the stand-in's users have
 * only their noreply addresses (`<id>+<login>@…` or `<login>@…`).
 */
export function userByEmail(state: GitHubState, email: string): UserRecord | undefined {
  const match = /^(?:(\d+)\+)?([^@+]+)@users\.noreply\.github\.com$/i.exec(email.trim());
  if (!match) return undefined;
  const user = state.user(match[2] as string);
  return user && (match[1] === undefined || Number(match[1]) === user.id) ? user : undefined;
}

/** The name and email of each `Co-authored-by:` trailer of a commit message, in order. */
export function coAuthorTrailers(message: string): Array<{ name: string; email: string }> {
  return [...message.matchAll(/^[ \t]*co-authored-by[ \t]*:[ \t]*(.*?)[ \t]*<([^>\n]+)>[ \t]*$/gim)].map(
    (m) => ({
      name: m[1] as string,
      email: m[2] as string,
    }),
  );
}

function normalisePath(path: string): string {
  const clean = path.replace(/^\/+/, "");
  if (clean === "" || clean.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new Error(`invalid repository path: ${path}`);
  }
  return clean;
}

function emptySnapshot() {
  return { files: new Map<string, FileContent>(), shas: new Map<string, string>() };
}
