// The records of the stand-in's GitHub model (plain data; GitHubState in state.ts builds them).
import type { FileContent, ObjectStore } from "./git.js";

export type { FileContent } from "./git.js";

export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Organization" | "Bot";
  name: string;
}

export type MembershipState = "active" | "pending";

export interface TeamRecord {
  id: number;
  org: string;
  slug: string;
  name: string;
  description: string | null;
  privacy: "closed" | "secret";
  /** login → membership. Only `active` members count as members in GitHub's API. */
  members: Map<string, { state: MembershipState; role: "member" | "maintainer" }>;
}

export interface OrgRecord {
  login: string;
  id: number;
  teams: Map<string, TeamRecord>;
  /** Lower-cased logins of (active) org members; active team members are added automatically. */
  members: Set<string>;
  /** Lower-cased logins of the members who own the organisation (admins of every repository). */
  owners: Set<string>;
  /** Lower-cased logins invited to the organisation who have not accepted: not members yet. */
  invitees: Set<string>;
}

/** A repository role, as REST names it (GraphQL: upper case). */
export type RepoPermission = "read" | "triage" | "write" | "maintain" | "admin";

export interface CommitRecord {
  sha: string;
  parents: string[];
  /** Every file of the commit (a full snapshot, not a delta). */
  files: Map<string, FileContent>;
  /** Blob SHA of every file. */
  shas: Map<string, string>;
  tree: string;
  author: string;
  committer: string;
  message: string;
  date: string;
}

export interface PullRequestRecord {
  id: number;
  number: number;
  user: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  merged_by: string | null;
  merge_commit_sha: string | null;
  /** `repo` is the head repository's full name: a fork when it differs from the base repository. */
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string };
  labels: string[];
  requested_reviewers: string[];
  /** Team slugs (in the base repository's owner org). */
  requested_teams: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface ReviewRecord {
  id: number;
  user: string;
  state: ReviewState;
  commit_id: string;
  body: string;
  submitted_at: string;
}

export interface IssueCommentRecord {
  id: number;
  issue: number;
  user: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface IssueRecord {
  id: number;
  number: number;
  user: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  labels: string[];
  assignees: string[];
  created_at: string;
  updated_at: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  head_sha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    /** Accumulated across every create and update request, as GitHub does. */
    annotations: Annotation[];
    images: unknown[];
  };
  actions: CheckRunAction[];
  details_url: string | null;
  external_id: string | null;
  app_id: number;
  /** How many create/update requests touched this run. */
  writes: number;
}

export interface ReleaseAssetRecord {
  id: number;
  name: string;
  label: string | null;
  content_type: string;
  data: Buffer;
  created_at: string;
  /** Set when the asset was renamed or relabelled. */
  updated_at?: string;
}

export interface ReleaseRecord {
  id: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  created_at: string;
  published_at: string | null;
  assets: ReleaseAssetRecord[];
}

/** An annotated tag's own object (`git tag -a`): it names the commit its tag points at. */
export interface TagObjectRecord {
  sha: string;
  name: string;
  /** The commit (lightweight and annotated tags alike resolve to it through RepoRecord.tags). */
  target: string;
  message: string;
  tagger: string;
  date: string;
}

/** A deployment, as a workflow job that targets an environment creates it. */
export interface DeploymentRecord {
  id: number;
  sha: string;
  /** The branch, tag or SHA that was deployed. */
  ref: string;
  environment: string;
  task: string;
  description: string | null;
  creator: string;
  created_at: string;
}

export interface DeploymentReviewRecord {
  run_id: number;
  environment_name: string;
  state: "approved" | "rejected" | null;
  comment: string | null;
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  full_name: string;
  private: boolean;
  default_branch: string;
  /** Full name of the parent when this repository is a fork. */
  fork_of: string | null;
  /** Shared by a repository and its forks, as in GitHub's repository networks. */
  commits: Map<string, CommitRecord>;
  objects: ObjectStore;
  branches: Map<string, string>;
  /** Tag name → commit SHA. */
  /** Tag name → the commit it points at (an annotated tag's commit, not its tag object). */
  tags: Map<string, string>;
  /** The tags made with a message (`git tag -a`), by name: their tag objects. */
  annotatedTags: Map<string, TagObjectRecord>;
  pulls: Map<number, PullRequestRecord>;
  reviews: Map<number, ReviewRecord[]>;
  /** Issue or pull request number → comments. */
  comments: Map<number, IssueCommentRecord[]>;
  issues: Map<number, IssueRecord>;
  checkRuns: Map<number, CheckRunRecord>;
  releases: Map<number, ReleaseRecord>;
  labels: Set<string>;
  deployments: Map<number, DeploymentRecord>;
  deploymentReviews: DeploymentReviewRecord[];
  /**
   * Lower-cased login → role granted on the repository itself. In an organisation's repository, a
   * collaborator who is not a member of the organisation is an outside collaborator.
   */
  collaborators: Map<string, RepoPermission>;
  /** Next issue/pull request number (they share one sequence). */
  nextNumber: number;
}

export interface AppRecord {
  id: number;
  slug: string;
  name: string;
  owner: string;
}
