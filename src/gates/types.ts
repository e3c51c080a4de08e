// The shape every gate shares: a touched artifact in, a result with reasons and fixes out.
import type { Manifest } from "../evidence/types.js";
import type { Memo } from "../facts/memo.js";
import type { EntryKind, Facts, Side } from "../facts/types.js";
import type { BuiltinPacks } from "../policy/load.js";
import type { LocatedError } from "../policy/located.js";
import type { PolicySourceText } from "../policy/resolve.js";
import type { Policy, Tier } from "../policy/schema.js";

export type GateStatus = "pass" | "fail" | "pending" | "skipped" | "not_checked";

export interface Location {
  path: string;
  line?: number;
  column?: number;
}

export interface GateResult {
  gate: string;
  status: GateStatus;
  /** Why the gate has this status, one sentence each ("accuracy 0.87 is below the minimum 0.90"). */
  reasons: string[];
  /** What to do about each failing reason. */
  fixes: string[];
  /** What could not be checked here (offline: team membership, owner existence…). */
  notes: string[];
  /** Where the reasons point: evidence and policy files, with lines where known. */
  locations: Location[];
  /**
   * Each reason with its own fix and location, in the order found (`fixes` drops repeats and
   * `locations` holds only the reasons that have one, so the arrays above do not pair by
   * position). Absent when the gate found nothing to say.
   */
  findings?: Finding[];
}

/** One thing a gate found: why, where, and what to do about it. */
export interface Finding {
  reason: string;
  fix: string;
  location?: Location;
}

/** One artifact the change touches, with what the engine knows of it before the gates run. */
export interface TouchedArtifact {
  /** Repository-relative directory, e.g. `models/churn`. */
  root: string;
  kind: string;
  /** The higher of the kind's tier and the manifest's (at base or head: a PR cannot lower it). */
  tier: Tier;
  /**
   * Every tier the artifact is held to: the kind's, the base's (kind and base manifest) and `tier`.
   * A gate or rule applies when it lists any of them, so raising the tier in a manifest can never
   * take an artifact out of a gate whose `tiers` covered it. Absent: `[tier]`.
   */
  heldTiers?: readonly Tier[];
  /**
   * The tier the artifact was held to at the base (the kind's and the base manifest's), when its
   * manifest was there: a signed document left unchanged counts only if its gate covered that tier,
   * so the base's copy was judged under it when it was merged.
   */
  baseTier?: Tier;
  /** The root no longer exists at the head. */
  removed: boolean;
  /** The manifest at the head (at the base for a removed artifact), when it parsed. */
  manifest?: Manifest;
  /**
   * The manifest at the base, when it exists there and parsed: comparisons with the base use the
   * base's own evidence paths, never ones the PR chose.
   */
  baseManifest?: Manifest;
  /** What the root is at the head: a directory, or a single file, symlink or submodule ("missing" when removed). */
  rootEntry: EntryKind;
  /** Symbolic links and submodules under the root: content the gate cannot read, so the artifact fails. */
  hiddenEntries: HiddenEntry[];
  /**
   * Who approves as the artifact's owners: the base manifest's owners when the artifact exists at
   * the base, so a PR cannot name its own approvers; the head's for a new artifact.
   */
  owners: string[];
  /** Manifest problems at the head, reported by the manifest gate. */
  manifestErrors: LocatedError[];
  /** Changed paths under the root (both sides of renames), ignored paths included. */
  changedPaths: string[];
}

export interface HiddenEntry {
  path: string;
  kind: "symlink" | "submodule";
  /**
   * False for a link the PR did not change, found because the PR changes files outside every
   * governed artifact, which the link may point to.
   */
  changed: boolean;
}

/** What every gate of one evaluation shares. */
export interface GateScope {
  policy: Policy;
  facts: Facts;
  now: Date;
  /** Every changed path in the PR, for binding checks. */
  changedPaths: ReadonlySet<string>;
  /** Whether a path belongs to a touched artifact and is not ignored (approval staleness). */
  isGoverned: (path: string) => boolean;
  /**
   * What this evaluation has already worked out (a parsed CODEOWNERS, a team's membership, an
   * artifact's evidence files, compiled ignore globs): computed once, then remembered.
   */
  memo: Memo;
  /** The org policy and the builtin packs, to validate a PR's own edit of the repository policy. */
  sources: { org?: PolicySourceText; builtins: BuiltinPacks };
}

/** The policy and the evaluation's memo: enough to work out an artifact's files. */
export type PolicyScope = Pick<GateScope, "policy" | "memo">;

export interface GateInput extends GateScope {
  artifact: TouchedArtifact;
}

export interface ApprovalResult {
  rule: string;
  status: GateStatus;
  /** Approvals still needed (for `owners: true`, summed over the artifacts it applies to). */
  missing: number;
  required: number;
  /** Logins whose approvals counted. */
  approvedBy: string[];
  /** Teams and users who can give the missing approvals (owners for `owners: true`). */
  from: string[];
  reasons: string[];
  /** For an `owners: true` rule, each artifact it applies to: whose approval it needs. */
  artifacts?: ArtifactApprovals[];
}

/** One artifact's share of an `owners: true` rule. */
export interface ArtifactApprovals {
  root: string;
  /** Approvals still needed from this artifact's owners. */
  missing: number;
  /** The artifact's owners who can approve it (those of the organisation, on GitHub). */
  from: string[];
  /** Owners whose approvals counted for it. */
  approvedBy: string[];
}

/** An evidence gate; undefined when the policy does not configure it. */
export type EvidenceGateFn = (input: GateInput) => Promise<GateResult | undefined>;

/** A file at one side of the change. */
export interface FileAt {
  side: Side;
  path: string;
}

/** A gate run on every touched artifact, and what it declares it reads. */
export interface EvidenceGate {
  name: string;
  check: EvidenceGateFn;
  /**
   * The files the gate will likely read for an artifact at `root` whose tier is at least
   * `lowest`, from the policy alone (the manifest may move them). The engine asks for every touched
   * artifact's at once, so a batching source answers them together; a wrong guess costs bytes,
   * never a different decision.
   */
  likelyReads?: (policy: Policy, root: string, lowest: Tier) => FileAt[];
}
