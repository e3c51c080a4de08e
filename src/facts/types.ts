// The facts the engine reads. Every source (local git, GitHub, in-memory for tests) implements
// this interface; the engine never talks to git, GitHub or a disk directly.

/** Which side of the change: the PR's base commit or its head commit. */
export type Side = "base" | "head";

export type ChangeStatus = "added" | "modified" | "removed" | "renamed";

export interface ChangedFile {
  /** Repository-relative path at the head (for a removal, the removed path). */
  path: string;
  status: ChangeStatus;
  /** For a rename, the path at the base. */
  previousPath?: string;
}

export interface ChangeList {
  files: ChangedFile[];
  /** Set when the source could not list every changed file (GitHub stops at 3,000). */
  incomplete?: string;
}

/**
 * What a path is in a commit's tree. Symlinks and submodules hide content the gate cannot read:
 * under a governed root they fail their artifact closed.
 */
export type EntryKind = "file" | "symlink" | "submodule" | "directory" | "missing";

export interface TreeEntry {
  /** Repository-relative path. */
  path: string;
  /** Git blob SHA-1 (a submodule's: the commit SHA it pins). */
  sha: string;
  /** Absent means "file". Listings include symlinks and submodules, marked, never silently left out. */
  kind?: "file" | "symlink" | "submodule";
}

export type FileRead =
  | { kind: "ok"; bytes: Uint8Array; sha?: string }
  | { kind: "missing" }
  | { kind: "too_large"; size: number; limit: number }
  | { kind: "unreadable"; reason: string };

/** Evidence files larger than this are reported as too large without being read whole. */
export const EVIDENCE_SIZE_LIMIT = 10 * 1024 * 1024;

/** What was touched at the file level: the paths and their blob SHAs on each side. */
export interface RepoFacts {
  /** Files changed between the base and the head (three-dot: since the merge base). */
  changedFiles(): Promise<ChangeList>;
  /** One file at one side. Missing files are a value, not an exception. */
  readFile(side: Side, path: string): Promise<FileRead>;
  /**
   * Every entry below `dir` (recursive) at one side, with SHAs: files, symlinks and submodules
   * (marked by `kind`). `dir` "" lists the repository.
   */
  listFiles(side: Side, dir: string): Promise<TreeEntry[]>;
  /**
   * What each path is at one side. A source batches these (GitHub: the parent directories' tree
   * entries join the evaluation's next GraphQL query), so asking for every changed path is cheap.
   */
  entryKind(side: Side, path: string): Promise<EntryKind>;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  /** The review's id on GitHub (its `databaseId`), for the audit record; absent where unknown (offline). */
  id?: number;
  /** Login of the reviewer. */
  user: string;
  /** Upper-case, as the REST API spells it (webhook payloads are normalised by the source). */
  state: ReviewState;
  /** The head commit the review was made on. */
  commitId: string;
  submittedAt: string;
}

export interface Override {
  by: string;
  reason: string;
  at: string;
  expiresAt: string;
  headSha: string;
}

/**
 * Facts about people, which only GitHub can answer. Absent offline: the approvals gate is then
 * `not_checked` and evidence gates note what they could not check.
 */
export interface PeopleFacts {
  /** Login of the PR author. */
  author: string;
  /**
   * Logins of every commit author, committer and co-author (`Co-authored-by:` trailers, as GitHub
   * lists them among a commit's authors) in the PR.
   */
  commitAuthors(): Promise<string[]>;
  /** Every review on the PR, oldest first. */
  reviews(): Promise<Review[]>;
  /** Whether `login` is an active member of `team` (`@org/team`). */
  isTeamMember(team: string, login: string): Promise<boolean>;
  /**
   * Whether a principal belongs to the organisation that owns the repository: a user login that is
   * an active member (not a pending invitee, not an outside collaborator), or `@org/team` naming one
   * of that organisation's teams. For a repository owned by a user, only that user qualifies.
   */
  isOrgPrincipal(principal: string): Promise<boolean>;
  /** Whether `login` has admin permission on the repository (org owners included). */
  isRepoAdmin(login: string): Promise<boolean>;
  /** Paths changed between a reviewed commit and the head (empty when they are the same). */
  changedSince(commitSha: string): Promise<string[]>;
}

export interface Facts extends RepoFacts {
  /** Commit SHAs of both sides, when known. */
  readonly baseSha?: string;
  readonly headSha?: string;
  readonly people?: PeopleFacts;
}
