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

export interface TreeEntry {
  /** Repository-relative path. */
  path: string;
  /** Git blob SHA-1. */
  sha: string;
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
  /** Every file below `dir` (recursive) at one side, with blob SHAs. `dir` "" lists the repository. */
  listFiles(side: Side, dir: string): Promise<TreeEntry[]>;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
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
  /** Logins of every commit author and committer in the PR. */
  commitAuthors(): Promise<string[]>;
  /** Every review on the PR, oldest first. */
  reviews(): Promise<Review[]>;
  /** Whether `login` is an active member of `team` (`@org/team`). */
  isTeamMember(team: string, login: string): Promise<boolean>;
  /** Whether a user login or `@org/team` exists. */
  principalExists(principal: string): Promise<boolean>;
  /** Paths changed between a reviewed commit and the head (empty when they are the same). */
  changedSince(commitSha: string): Promise<string[]>;
  /** The override in force on this head, if any. */
  activeOverride?(): Promise<Override | undefined>;
}

export interface Facts extends RepoFacts {
  /** Commit SHAs of both sides, when known. */
  readonly baseSha?: string;
  readonly headSha?: string;
  readonly people?: PeopleFacts;
}
