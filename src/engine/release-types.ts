// The release gate's vocabulary (PRODUCT.md "Releases and deployments"): what the edge gathers
// about a release — its range of commits, the governed changes in it, the pull requests that
// carried them with their recorded decisions, the time-bound evidence re-checked at the release
// commit — and the decision the engine returns. Nothing here reads GitHub or the store.
import type { Tier } from "../policy/schema.js";
import type { GateResult, Verdict } from "./types.js";

/** The release being judged. */
export interface Release {
  tag: string;
  /** The commit the tag points to: the release commit. */
  commit: string;
  /** The previous release's tag; null for the first release (everything reachable from `commit`). */
  previousTag: string | null;
}

/** One commit of the range, with the pull requests GitHub associates with it (commit → PR). */
export interface RangeCommit {
  sha: string;
  /** Numbers of the pull requests that hold the commit; empty when it belongs to none. */
  pulls: number[];
  /**
   * The commit is from before the repository was governed: listed as history, never judged. The
   * edge decides it by ancestry (the commit is not a descendant of the first commit that held a
   * policy), never by the commit's dates, which its author sets.
   */
  beforeGoverned?: boolean;
}

/** The commits between the previous release's tag and this one, as far as they were read. */
export interface ReleaseRange {
  /** The commits read, oldest first. */
  commits: RangeCommit[];
  /** How many commits the range holds (GitHub's `total_commits`); more than were read when bounded. */
  total: number;
  /**
   * Set when the range could not be read in full, saying what was not read ("the compare API lists
   * at most 250 commits: 3,112 were not read"). A partial read is never a pass.
   */
  truncated?: string;
}

/** A changed path in the range that lies in a governed artifact, with the commits that changed it. */
export interface GovernedChange {
  path: string;
  /** For a rename, the other side. */
  previousPath?: string;
  /** The artifact (`models/churn`) and its kind, as the engine's touched-artifact code resolves them. */
  root: string;
  kind: string;
  /** The commits of the range that changed the path. */
  commits: string[];
}

/**
 * A decision the audit store recorded. Every `AuditRecord` has this shape, so the edge passes the
 * store's records as they are.
 */
export interface RecordedDecision {
  /** The record's sequence number in the audit chain: the id the report cites. */
  sequence: number;
  kind: string;
  pull: number | null;
  headSha: string;
  verdict: string;
  time: string;
  approvals: ReadonlyArray<{ rule: string; login: string }>;
  override: { by: string; reason: string } | null;
}

/** The pull request evaluated again by the edge, at its merged head, when no decision counts. */
export interface Reevaluation {
  headSha: string;
  verdict: Verdict;
  /** Approvals that counted in the re-evaluation. */
  approvals: ReadonlyArray<{ rule: string; login: string }>;
  /** Set when the re-evaluation could not be made (GitHub no longer has the head…). */
  error?: string;
}

/** A pull request that holds a commit of the range. */
export interface PullAtMerge {
  number: number;
  title: string;
  author?: string;
  merged: boolean;
  /** The PR's head SHA when it was merged; null when it was not merged. */
  mergedHead: string | null;
  /** Every decision the store holds for this pull request (kind `pull`), in any order. */
  records: readonly RecordedDecision[];
  /** Supplied when `needsReevaluation` says no recorded decision counts. */
  reevaluated?: Reevaluation;
}

/** A metric at the release commit against the policy's threshold. */
export interface MetricAtRelease {
  metric: string;
  /** Null when the results at the release commit do not report it. */
  value: number | null;
  min?: number;
  max?: number;
}

/**
 * A governed artifact as it stands at the release commit: its time-bound gates (privacy review
 * expiry and age, rollback drill age, document ages — `timeBoundGates`) run by the engine with
 * the release commit as the head and `now`, its metrics, and where its evidence lives.
 */
export interface ArtifactAtRelease {
  root: string;
  kind: string;
  tier: Tier;
  /** The artifact no longer exists at the release commit. */
  removed: boolean;
  gates: GateResult[];
  metrics: MetricAtRelease[];
  /** Evidence files at the release commit, for people to follow (`models/churn/privacy-review.yml`). */
  references: EvidenceReferences;
}

/**
 * Where each gate whose evidence can expire reads its file at the release commit, by the gate's
 * name as the check shows it: `privacy`, `rollback` and each document gate (`monitoring`) the
 * policy configures — the manifest's `evidence.<gate>` path where it names one. Null when the path
 * cannot be used (it leaves the artifact root): the gate fails with that reason.
 */
export type EvidenceReferences = Readonly<Record<string, string | null>>;

export interface ReleaseInput {
  /** `owner/name`. */
  repository: string;
  release: Release;
  range: ReleaseRange;
  changes: readonly GovernedChange[];
  /** Every pull request that the range's commits name. */
  pulls: readonly PullAtMerge[];
  /** One entry per artifact the changes touch; a missing one fails closed. */
  atRelease: readonly ArtifactAtRelease[];
  policy: {
    digest: string;
    sources: string[];
    enforcement: "enforced" | "advisory";
    /** `releases.enforce`: an unready published release goes back to draft. */
    enforce: boolean;
  };
}

/** `ready`: every governed change is accounted for; `unready`: at least one reason says why not. */
export type ReleaseVerdict = "ready" | "unready";

/** Which decision a pull request's verdict comes from. */
export type PullBasis = "recorded" | "re-evaluated" | "none";

export interface ReleasePull {
  number: number;
  title: string;
  author: string | null;
  /** The verdict that counts for the release; null when there is none (fails closed). */
  verdict: Verdict | null;
  basis: PullBasis;
  mergedHead: string | null;
  /** The head the counted decision was made on. */
  decidedHead: string | null;
  approvers: Array<{ rule: string; login: string }>;
  override: { by: string; reason: string } | null;
  /** The audit records the verdict stands on (sequence numbers). */
  auditRecords: number[];
  /** Whether the pull request was `ready` or `overridden` when merged. */
  counts: boolean;
  /** Governed artifacts and commits of the release it carried. */
  artifacts: string[];
  commits: string[];
  reasons: string[];
}

export interface ReleaseArtifact {
  root: string;
  kind: string;
  tier: Tier | null;
  removed: boolean;
  verdict: ReleaseVerdict;
  paths: string[];
  /** The governed commits that changed it (history excluded). */
  commits: string[];
  /** Pull requests that carried those commits. */
  pulls: number[];
  /** Commits that changed it through no pull request. */
  direct: string[];
  /** Its time-bound gates at the release commit (empty when it was not re-checked). */
  gates: GateResult[];
  metrics: Array<MetricAtRelease & { holds: boolean }>;
  references: EvidenceReferences;
  reasons: string[];
}

export interface ReleaseDecision {
  verdict: ReleaseVerdict;
  repository: string;
  release: Release;
  /** No previous release: the range is everything reachable from the release commit. */
  firstRelease: boolean;
  range: { read: number; total: number; complete: boolean; unread: string | null };
  artifacts: ReleaseArtifact[];
  pulls: ReleasePull[];
  /** Governed commits that belong to no merged pull request. */
  directCommits: string[];
  /** Changes from before the repository was governed: listed, not judged. */
  history: { commits: string[]; paths: string[] };
  /** Every reason the release is unready, each naming its artifact or pull request; empty when ready. */
  reasons: string[];
  policy: { digest: string; sources: string[] };
  enforcement: "enforced" | "advisory";
  enforce: boolean;
  /** Every audit record the decision stands on, ascending. */
  auditRecords: number[];
}
