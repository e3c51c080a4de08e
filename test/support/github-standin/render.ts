// GitHub's JSON shapes for the stand-in's records (REST responses, and webhook payload parts).
import { type FileChange, isBinary, toBuffer } from "./git.js";
import {
  type CheckRunRecord,
  type CommitRecord,
  type DeploymentRecord,
  type GitHubState,
  type IssueCommentRecord,
  type IssueRecord,
  noreplyEmail,
  type PullRequestRecord,
  type ReleaseRecord,
  type RepoRecord,
  type ReviewRecord,
  type TeamRecord,
} from "./state.js";

export type Json = Record<string, unknown>;

function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString("base64url");
}

/** How GitHub verifies a commit or tag the stand-in makes: none is signed. */
export const UNSIGNED = {
  verified: false,
  reason: "unsigned",
  signature: null,
  payload: null,
  verified_at: null,
} as const;

/** Builds GitHub-shaped JSON; `api` is the REST base URL, `web` the HTML base URL. */
export class Renderer {
  constructor(
    readonly state: GitHubState,
    public api: string,
    public web: string,
  ) {}

  user(login: string): Json {
    const u = this.state.user(login) ?? this.state.addUser(login);
    // `readiness-gate[bot]`: GitHub percent-encodes the brackets of a bot's login in its URLs.
    const path = encodeURIComponent(u.login);
    const url = `${this.api}/users/${path}`;
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type, u.id),
      avatar_url: `${this.web}/avatars/u/${u.id}`,
      gravatar_id: "",
      url,
      html_url: `${this.web}/${path}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      user_view_type: "public",
      site_admin: false,
    };
  }

  /** `GET /users/{u}` adds profile fields to the simple user. */
  userProfile(login: string): Json {
    const u = this.state.user(login);
    return {
      ...this.user(login),
      name: u?.name ?? login,
      company: null,
      blog: "",
      location: null,
      email: null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
    };
  }

  org(login: string): Json {
    const o = this.state.org(login);
    const url = `${this.api}/orgs/${o?.login ?? login}`;
    return {
      login: o?.login ?? login,
      id: o?.id ?? 0,
      node_id: nodeId("Organization", o?.id ?? 0),
      url,
      repos_url: `${url}/repos`,
      events_url: `${url}/events`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`,
      public_members_url: `${url}/public_members{/member}`,
      avatar_url: `${this.web}/avatars/u/${o?.id ?? 0}`,
      description: null,
      html_url: `${this.web}/${o?.login ?? login}`,
      type: "Organization",
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
    };
  }

  team(team: TeamRecord): Json {
    const url = `${this.api}/organizations/${this.state.org(team.org)?.id}/team/${team.id}`;
    return {
      id: team.id,
      node_id: nodeId("Team", team.id),
      url,
      html_url: `${this.web}/orgs/${team.org}/teams/${team.slug}`,
      name: team.name,
      slug: team.slug,
      description: team.description,
      privacy: team.privacy,
      notification_setting: "notifications_enabled",
      permission: "pull",
      members_url: `${url}/members{/member}`,
      repositories_url: `${url}/repos`,
      parent: null,
    };
  }

  teamFull(team: TeamRecord): Json {
    const active = [...team.members.values()].filter((m) => m.state === "active").length;
    return {
      ...this.team(team),
      members_count: active,
      repos_count: 0,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
      organization: this.org(team.org),
    };
  }

  repository(repo: RepoRecord): Json {
    const url = `${this.api}/repos/${repo.full_name}`;
    const parent = repo.fork_of ? this.state.findRepo(repo.fork_of) : undefined;
    const base = {
      id: repo.id,
      node_id: nodeId("Repository", repo.id),
      name: repo.name,
      full_name: repo.full_name,
      private: repo.private,
      owner: this.user(repo.owner),
      html_url: `${this.web}/${repo.full_name}`,
      description: null,
      fork: repo.fork_of !== null,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      branches_url: `${url}/branches{/branch}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://${new URL(this.web).host}/${repo.full_name}.git`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues{/number}`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      mirror_url: null,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${this.web}/${repo.full_name}.git`,
      ssh_url: `git@${new URL(this.web).hostname}:${repo.full_name}.git`,
      svn_url: `${this.web}/${repo.full_name}`,
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: true,
      has_projects: false,
      has_downloads: true,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      archived: false,
      disabled: false,
      open_issues_count: [...repo.issues.values(), ...repo.pulls.values()].filter((i) => i.state === "open")
        .length,
      license: null,
      allow_forking: true,
      is_template: false,
      topics: [],
      visibility: repo.private ? "private" : "public",
      forks: 0,
      open_issues: 0,
      watchers: 0,
      default_branch: repo.default_branch,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
      pushed_at: "2020-01-01T00:00:00Z",
    };
    return parent ? { ...base, parent: this.repository(parent), source: this.repository(parent) } : base;
  }

  /** The repository of a `push` payload. */
  pushRepository(repo: RepoRecord): Json {
    return this.repository(repo);
  }

  private commitUrls(repo: RepoRecord, sha: string) {
    return {
      url: `${this.api}/repos/${repo.full_name}/commits/${sha}`,
      html_url: `${this.web}/${repo.full_name}/commit/${sha}`,
    };
  }

  /** The git commit object (`commit` key of a REST commit, or `GET /git/commits`). */
  gitCommit(repo: RepoRecord, c: CommitRecord): Json {
    const sig = (login: string) => {
      const u = this.state.user(login) ?? this.state.addUser(login);
      return { name: u.name, email: noreplyEmail(u), date: c.date };
    };
    return {
      author: sig(c.author),
      committer: sig(c.committer),
      message: c.message,
      tree: { sha: c.tree, url: `${this.api}/repos/${repo.full_name}/git/trees/${c.tree}` },
      url: `${this.api}/repos/${repo.full_name}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: UNSIGNED,
    };
  }

  commit(repo: RepoRecord, c: CommitRecord): Json {
    return {
      sha: c.sha,
      node_id: nodeId("Commit", c.sha),
      commit: this.gitCommit(repo, c),
      ...this.commitUrls(repo, c.sha),
      comments_url: `${this.api}/repos/${repo.full_name}/commits/${c.sha}/comments`,
      author: this.user(c.author),
      committer: this.user(c.committer),
      parents: c.parents.map((p) => ({ sha: p, ...this.commitUrls(repo, p) })),
    };
  }

  fileChange(repo: RepoRecord, headSha: string, change: FileChange): Json {
    const path = encodeURI(change.filename);
    return {
      sha: change.sha,
      filename: change.filename,
      status: change.status,
      additions: change.additions,
      deletions: change.deletions,
      changes: change.changes,
      blob_url: `${this.web}/${repo.full_name}/blob/${headSha}/${path}`,
      raw_url: `${this.web}/${repo.full_name}/raw/${headSha}/${path}`,
      contents_url: `${this.api}/repos/${repo.full_name}/contents/${path}?ref=${headSha}`,
      ...(change.previous_filename ? { previous_filename: change.previous_filename } : {}),
    };
  }

  contentEntry(
    repo: RepoRecord,
    ref: string,
    path: string,
    type: "file" | "dir" | "symlink" | "submodule",
    sha: string,
    size: number,
  ) {
    const url = `${this.api}/repos/${repo.full_name}/contents/${encodeURI(path)}?ref=${encodeURIComponent(ref)}`;
    const git = `${this.api}/repos/${repo.full_name}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
    const html = `${this.web}/${repo.full_name}/${type === "file" ? "blob" : "tree"}/${ref}/${encodeURI(path)}`;
    return {
      type,
      size,
      name: path.split("/").pop() ?? path,
      path,
      sha,
      url,
      git_url: git,
      html_url: html,
      download_url: type === "file" ? `${this.web}/${repo.full_name}/raw/${ref}/${encodeURI(path)}` : null,
      _links: { self: url, git, html },
    };
  }

  fileContent(repo: RepoRecord, ref: string, path: string, sha: string, bytes: Buffer): Json {
    const tooLarge = bytes.byteLength > 1024 * 1024;
    const base64 = bytes.toString("base64");
    return {
      ...this.contentEntry(repo, ref, path, "file", sha, bytes.byteLength),
      encoding: tooLarge ? "none" : "base64",
      content: tooLarge ? "" : (base64.match(/.{1,60}/g) ?? [""]).join("\n") + (base64 ? "\n" : ""),
    };
  }

  blob(repo: RepoRecord, sha: string, bytes: Buffer): Json {
    return {
      sha,
      node_id: nodeId("Blob", sha),
      size: bytes.byteLength,
      url: `${this.api}/repos/${repo.full_name}/git/blobs/${sha}`,
      content: bytes.toString("base64"),
      encoding: "base64",
    };
  }

  pullRequest(repo: RepoRecord, pr: PullRequestRecord): Json {
    const url = `${this.api}/repos/${repo.full_name}/pulls/${pr.number}`;
    const html = `${this.web}/${repo.full_name}/pull/${pr.number}`;
    const headRepo = this.state.findRepo(pr.head.repo);
    const branch = (r: RepoRecord | undefined, ref: string, sha: string) => ({
      label: `${r?.owner ?? "unknown"}:${ref}`,
      ref,
      sha,
      user: this.user(r?.owner ?? "ghost"),
      repo: r ? this.repository(r) : null,
    });
    const issueUrl = `${this.api}/repos/${repo.full_name}/issues/${pr.number}`;
    return {
      url,
      id: pr.id,
      node_id: nodeId("PullRequest", pr.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueUrl,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${this.api}/repos/${repo.full_name}/pulls/comments{/number}`,
      comments_url: `${issueUrl}/comments`,
      statuses_url: `${this.api}/repos/${repo.full_name}/statuses/${pr.head.sha}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.user(pr.user),
      body: pr.body,
      labels: pr.labels.map((l) => this.label(repo, l)),
      milestone: null,
      active_lock_reason: null,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.closed_at,
      merged_at: pr.merged_at,
      merge_commit_sha: pr.merge_commit_sha,
      assignee: null,
      assignees: [],
      requested_reviewers: pr.requested_reviewers.map((u) => this.user(u)),
      requested_teams: pr.requested_teams.flatMap((slug) => {
        const team = this.state.team(repo.owner, slug);
        return team ? [this.team(team)] : [];
      }),
      head: branch(headRepo, pr.head.ref, pr.head.sha),
      base: branch(repo, pr.base.ref, pr.base.sha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issueUrl },
        comments: { href: `${issueUrl}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${this.api}/repos/${repo.full_name}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${this.api}/repos/${repo.full_name}/statuses/${pr.head.sha}` },
      },
      author_association: this.association(repo, pr.user),
      auto_merge: null,
      draft: pr.draft,
      merged: pr.merged,
      mergeable: pr.state === "open" ? true : null,
      rebaseable: pr.state === "open" ? true : null,
      mergeable_state: pr.state === "open" ? "clean" : "unknown",
      merged_by: pr.merged_by ? this.user(pr.merged_by) : null,
      comments: repo.comments.get(pr.number)?.length ?? 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: this.state.pullRequestCommits(repo, pr.number).length,
      additions: 0,
      deletions: 0,
      changed_files: this.state.pullRequestFiles(repo, pr.number).length,
    };
  }

  association(repo: RepoRecord, login: string): string {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return "OWNER";
    const org = this.state.org(repo.owner);
    const member =
      org && [...org.teams.values()].some((t) => t.members.get(login.toLowerCase())?.state === "active");
    return member ? "MEMBER" : "CONTRIBUTOR";
  }

  label(repo: RepoRecord, name: string): Json {
    const id = [...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
    return {
      id,
      node_id: nodeId("Label", id),
      url: `${this.api}/repos/${repo.full_name}/labels/${encodeURIComponent(name)}`,
      name,
      color: "ededed",
      default: false,
      description: null,
    };
  }

  review(repo: RepoRecord, prNumber: number, r: ReviewRecord): Json {
    const html = `${this.web}/${repo.full_name}/pull/${prNumber}#pullrequestreview-${r.id}`;
    const prUrl = `${this.api}/repos/${repo.full_name}/pulls/${prNumber}`;
    return {
      id: r.id,
      node_id: nodeId("PullRequestReview", r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: prUrl,
      author_association: this.association(repo, r.user),
      _links: { html: { href: html }, pull_request: { href: prUrl } },
      submitted_at: r.submitted_at,
      commit_id: r.commit_id,
    };
  }

  issue(repo: RepoRecord, issue: IssueRecord | PullRequestRecord): Json {
    const url = `${this.api}/repos/${repo.full_name}/issues/${issue.number}`;
    const isPull = repo.pulls.get(issue.number) === issue;
    const html = `${this.web}/${repo.full_name}/${isPull ? "pull" : "issues"}/${issue.number}`;
    return {
      id: issue.id,
      node_id: nodeId("Issue", issue.id),
      url,
      repository_url: `${this.api}/repos/${repo.full_name}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: html,
      number: issue.number,
      state: issue.state,
      state_reason: null,
      title: issue.title,
      body: issue.body,
      user: this.user(issue.user),
      labels: issue.labels.map((l) => this.label(repo, l)),
      assignee: null,
      assignees: "assignees" in issue ? issue.assignees.map((a) => this.user(a)) : [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: repo.comments.get(issue.number)?.length ?? 0,
      closed_at: null,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      author_association: this.association(repo, issue.user),
      reactions: this.reactions(`${url}/reactions`),
      ...(isPull
        ? {
            pull_request: {
              url: `${this.api}/repos/${repo.full_name}/pulls/${issue.number}`,
              html_url: html,
              diff_url: `${html}.diff`,
              patch_url: `${html}.patch`,
            },
          }
        : {}),
    };
  }

  issueComment(repo: RepoRecord, c: IssueCommentRecord): Json {
    const isPull = repo.pulls.has(c.issue);
    return {
      id: c.id,
      node_id: nodeId("IssueComment", c.id),
      url: `${this.api}/repos/${repo.full_name}/issues/comments/${c.id}`,
      html_url: `${this.web}/${repo.full_name}/${isPull ? "pull" : "issues"}/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${this.api}/repos/${repo.full_name}/issues/${c.issue}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: this.association(repo, c.user),
      performed_via_github_app: null,
      reactions: this.reactions(`${this.api}/repos/${repo.full_name}/issues/comments/${c.id}/reactions`),
    };
  }

  /** No reactions yet (the stand-in keeps none). */
  private reactions(url: string): Json {
    return {
      url,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      confused: 0,
      heart: 0,
      hooray: 0,
      eyes: 0,
      rocket: 0,
    };
  }

  /** The `installation` of a webhook payload sent to the app. */
  installation(id: number): Json {
    return { id, node_id: nodeId("Installation", id) };
  }

  app(): Json {
    const a = this.state.app;
    return {
      id: a.id,
      slug: a.slug,
      node_id: nodeId("App", a.id),
      client_id: `Iv1.${a.id}`,
      owner: this.user(a.owner),
      name: a.name,
      description: "",
      external_url: this.web,
      html_url: `${this.web}/apps/${a.slug}`,
      created_at: "2020-01-01T00:00:00Z",
      updated_at: "2020-01-01T00:00:00Z",
      permissions: {
        checks: "write",
        contents: "read",
        issues: "write",
        members: "read",
        pull_requests: "write",
      },
      events: ["pull_request", "pull_request_review", "issue_comment", "check_run", "release", "push"],
    };
  }

  checkRun(repo: RepoRecord, run: CheckRunRecord): Json {
    const url = `${this.api}/repos/${repo.full_name}/check-runs/${run.id}`;
    const prs = [...repo.pulls.values()]
      .filter((pr) => pr.state === "open" && pr.head.sha === run.head_sha)
      .map((pr) => ({
        url: `${this.api}/repos/${repo.full_name}/pulls/${pr.number}`,
        id: pr.id,
        number: pr.number,
        head: {
          ref: pr.head.ref,
          sha: pr.head.sha,
          repo: { id: repo.id, url: this.repository(repo).url, name: repo.name },
        },
        base: {
          ref: pr.base.ref,
          sha: pr.base.sha,
          repo: { id: repo.id, url: this.repository(repo).url, name: repo.name },
        },
      }));
    return {
      id: run.id,
      head_sha: run.head_sha,
      node_id: nodeId("CheckRun", run.id),
      external_id: run.external_id ?? "",
      url,
      html_url: `${this.web}/${repo.full_name}/runs/${run.id}`,
      details_url: run.details_url ?? `${this.web}/apps/${this.state.app.slug}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.output.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: run.name,
      check_suite: { id: run.id + 500000 },
      app:
        run.app_id === this.state.app.id
          ? this.app()
          : { ...this.app(), id: run.app_id, slug: `app-${run.app_id}` },
      pull_requests: prs,
    };
  }

  annotation(repo: RepoRecord, run: CheckRunRecord, index: number): Json {
    const a = run.output.annotations[index];
    return {
      path: a?.path,
      start_line: a?.start_line,
      end_line: a?.end_line,
      start_column: a?.start_column ?? null,
      end_column: a?.end_column ?? null,
      annotation_level: a?.annotation_level,
      title: a?.title ?? null,
      message: a?.message,
      raw_details: a?.raw_details ?? null,
      blob_href: `${this.web}/${repo.full_name}/blob/${run.head_sha}/${a?.path}`,
    };
  }

  release(repo: RepoRecord, r: ReleaseRecord): Json {
    const url = `${this.api}/repos/${repo.full_name}/releases/${r.id}`;
    const uploads = `${this.web}/api/uploads/repos/${repo.full_name}/releases/${r.id}/assets`;
    return {
      url,
      html_url: `${this.web}/${repo.full_name}/releases/tag/${encodeURIComponent(r.tag_name)}`,
      assets_url: `${url}/assets`,
      upload_url: `${uploads}{?name,label}`,
      tarball_url: `${this.api}/repos/${repo.full_name}/tarball/${r.tag_name}`,
      zipball_url: `${this.api}/repos/${repo.full_name}/zipball/${r.tag_name}`,
      id: r.id,
      node_id: nodeId("Release", r.id),
      tag_name: r.tag_name,
      target_commitish: r.target_commitish,
      name: r.name,
      body: r.body,
      draft: r.draft,
      prerelease: r.prerelease,
      immutable: false,
      created_at: r.created_at,
      published_at: r.published_at,
      author: this.user(r.author),
      assets: r.assets.map((a) => this.releaseAsset(repo, r, a)),
    };
  }

  releaseAsset(repo: RepoRecord, r: ReleaseRecord, a: ReleaseRecord["assets"][number]): Json {
    return {
      url: `${this.api}/repos/${repo.full_name}/releases/assets/${a.id}`,
      browser_download_url: `${this.web}/${repo.full_name}/releases/download/${r.tag_name}/${a.name}`,
      id: a.id,
      node_id: nodeId("ReleaseAsset", a.id),
      name: a.name,
      label: a.label,
      state: "uploaded",
      content_type: a.content_type,
      size: a.data.byteLength,
      digest: null,
      download_count: 0,
      created_at: a.created_at,
      updated_at: a.updated_at ?? a.created_at,
      uploader: this.user(`${this.state.app.slug}[bot]`),
    };
  }

  deployment(repo: RepoRecord, d: DeploymentRecord): Json {
    const url = `${this.api}/repos/${repo.full_name}/deployments/${d.id}`;
    return {
      url,
      id: d.id,
      node_id: nodeId("Deployment", d.id),
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: {},
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: this.user(d.creator),
      created_at: d.created_at,
      updated_at: d.created_at,
      statuses_url: `${url}/statuses`,
      repository_url: `${this.api}/repos/${repo.full_name}`,
      transient_environment: false,
      production_environment: false,
      performed_via_github_app: null,
    };
  }

  /** Text of a blob for GraphQL (`null` when binary). */
  static text(content: Buffer | string): string | null {
    const bytes = toBuffer(content);
    return isBinary(bytes) ? null : bytes.toString("utf8");
  }
}
