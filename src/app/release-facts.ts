// What the release gate reads about a release (or a deployed commit) before it decides: the range
// since the previous release, the governed changes in it and the commits that made them, the pull
// requests that carried them with their recorded decisions (re-evaluated at the merged head where
// none counts), and the time-bound evidence and metrics at the release commit. The decision itself
// is engine/release.ts; this file only gathers.
//
// GitHub requests for a release of 50 merged pull requests judged from the store: the first query
// (policies, the run lookup), the comparison, the governed paths' histories (a query per 50
// paths), their commits' pull requests (a query per 50 commits), and the evidence reads at the
// release commit (docs/releases.md has the table, bench/release.js the count).
import type { AuditRecord } from "../audit/types.js";
import { evaluate, loadEffectivePolicy } from "../engine/evaluate.js";
import {
  type ArtifactAtRelease,
  needsReevaluation,
  type PullAtMerge,
  type RangeCommit,
  type Reevaluation,
  type ReleaseInput,
} from "../engine/release.js";
import { governedChanges } from "../engine/release-changes.js";
import { artifactAtRelease, evidenceReferences, metricsAtRelease } from "../engine/release-evidence.js";
import type { EffectivePolicy, Evaluation } from "../engine/types.js";
import { readEvalEvidence } from "../evidence/eval-results.js";
import { readManifest } from "../evidence/manifest.js";
import { decodeUtf8 } from "../evidence/text.js";
import type { Manifest } from "../evidence/types.js";
import { type GitHubFacts, githubFacts } from "../facts/github.js";
import { batchedBlobReader } from "../facts/github-blobs.js";
import {
  type AssociatedPull,
  commitPulls,
  type PathHistory,
  pathHistories,
  type RangeRead,
  readRange,
} from "../facts/github-range.js";
import { type ChangedFile, EVIDENCE_SIZE_LIMIT, type Facts, type Side } from "../facts/types.js";
import { readEvalEvidenceAt } from "../gates/eval-evidence.js";
import { evidencePath, MANIFEST_FILE } from "../gates/evidence-file.js";
import type { TouchedArtifact } from "../gates/types.js";
import { isPseudoKind } from "../policy/pseudo-kinds.js";
import { POLICY_PATH, type Policy } from "../policy/schema.js";
import { RELEASE_CHECK_NAME } from "../report/release.js";
import { type Gathered, gather } from "./gather.js";
import type { EarlierRelease } from "./release-target.js";
import type { GateContext, Services } from "./services.js";

/** Earlier releases tried, newest first, for the one the range starts from. */
const PREVIOUS_CANDIDATES = 3;
/** Pull requests re-evaluated at their merged head per release; the rest are said not to be. */
export const MAX_REEVALUATIONS = 20;

export interface ReleaseAsked {
  owner: string;
  repo: string;
  /** The release's tag (a deployment: the tag on the commit, or `commit abc1234`). */
  tag: string;
  commit: string;
  /** The repository's earlier published releases, newest first. */
  earlier: readonly EarlierRelease[];
}

/** The release could not be read after a policy was found: its run says so. */
export class GovernedReadError extends Error {}

export interface ReleaseGathered {
  gathered: Gathered;
  /** Set when a policy governs the repository and loaded. */
  input?: ReleaseInput;
  /** The policy, when it did not load. */
  policy?: EffectivePolicy;
}

/**
 * The first query of a release's judgement: the policies at the commit and our run there. The
 * policy is the release commit's: any edit of it in the range is itself a governed change, judged
 * like the others (a policy edit through no ready pull request makes the release unready).
 */
export function gatherAtCommit(
  context: GateContext,
  services: Services,
  where: { owner: string; repo: string; commit: string },
): Promise<Gathered> {
  const { owner, repo, commit } = where;
  return gather(
    context,
    services,
    { owner, repo, baseSha: commit, headSha: commit },
    { checkName: RELEASE_CHECK_NAME },
  );
}

/** `first`: the first query, when the caller already asked it (a deployment reads the policy first). */
export async function gatherRelease(
  context: GateContext,
  services: Services,
  asked: ReleaseAsked,
  first?: Gathered,
): Promise<ReleaseGathered> {
  const gathered = first ?? (await gatherAtCommit(context, services, asked));
  const effective = gathered.policy;
  if (!effective) return { gathered };
  if (!effective.ok) return { gathered, policy: effective };
  try {
    return { gathered, input: await releaseInput(context, services, asked, gathered, effective) };
  } catch (error) {
    throw new GovernedReadError(error instanceof Error ? error.message : String(error));
  }
}

async function releaseInput(
  context: GateContext,
  services: Services,
  asked: ReleaseAsked,
  gathered: Gathered,
  effective: Extract<EffectivePolicy, { ok: true }>,
): Promise<ReleaseInput> {
  const { owner, repo, commit } = asked;
  const policy = effective.policy;
  const facts = gathered.facts;

  // The range: from the newest earlier release whose tag the commit descends from.
  let previousTag: string | null = null;
  let range: RangeRead | undefined;
  let previousCommit: string | undefined;
  // A release on this very commit starts no range (it would be empty and prove nothing).
  for (const earlier of asked.earlier.filter((e) => e.commit !== commit).slice(0, PREVIOUS_CANDIDATES)) {
    const read = await readRange(facts.client, facts.trees, earlier.commit, commit);
    if (read?.status === "ahead") {
      previousTag = earlier.tag;
      previousCommit = earlier.commit;
      range = read;
      break;
    }
  }
  // Asked in the same turn as the range's first reads (the manifests), so it rides with them.
  const trusted = trustedEnforcement(services, gathered, previousCommit ?? DEFAULT_BRANCH_TIP);
  const read = await rangeChanges(context, services, gathered, effective, asked, range);
  const atRelease = await artifactsAtRelease(
    services,
    gathered,
    facts,
    effective,
    read.changes,
    read.manifests,
  );
  return {
    repository: `${owner}/${repo}`,
    release: { tag: asked.tag, commit, previousTag },
    range: read.range,
    changes: read.changes,
    pulls: read.pulls,
    atRelease,
    policy: {
      digest: effective.digest,
      sources: effective.sources,
      ...strictest(
        { enforcement: policy.enforcement, enforce: policy.releases?.enforce ?? false },
        await trusted,
      ),
    },
  };
}

/** `HEAD`: the default branch's tip, where a first release (no range) reads its enforcement. */
const DEFAULT_BRANCH_TIP = "HEAD";

type Enforcement = Pick<ReleaseInput["policy"], "enforcement" | "enforce">;

/**
 * `enforcement` and `releases.enforce` as a commit the releaser does not choose says them: the
 * previous release's (the range's base), or for a first release the default branch's tip. The
 * release commit's own policy is the releaser's (a tag can name any commit), so it may tighten
 * them, never loosen. Undefined when that commit is not governed (then the release commit's
 * stand); a policy there that does not load enforces.
 */
async function trustedEnforcement(
  services: Services,
  gathered: Gathered,
  commit: string,
): Promise<Enforcement | undefined> {
  const facts = gathered.facts;
  const read = batchedBlobReader(facts.client, facts.graphql);
  const at: Facts = Object.defineProperties(
    Object.create(facts) as Facts,
    Object.getOwnPropertyDescriptors({
      baseSha: commit,
      readFile: (_side: Side, path: string) => read(commit, path),
    }),
  );
  const trusted = await loadEffectivePolicy(at, {
    ...(gathered.org ? { org: gathered.org } : {}),
    builtins: services.builtins,
    resolve: services.resolvePolicy,
  });
  if (!trusted) return undefined;
  if (!trusted.ok) return { enforcement: "enforced", enforce: true };
  return { enforcement: trusted.policy.enforcement, enforce: trusted.policy.releases?.enforce ?? false };
}

/** Advisory only where both say so; enforced where either does. */
function strictest(own: Enforcement, trusted: Enforcement | undefined): Enforcement {
  if (!trusted) return own;
  return {
    enforcement:
      own.enforcement === "advisory" && trusted.enforcement === "advisory" ? "advisory" : "enforced",
    enforce: own.enforce || trusted.enforce,
  };
}

/** A range's governed changes, the commits that made them and the pull requests that carried those. */
export interface RangeChanges {
  range: ReleaseInput["range"];
  changes: ReleaseInput["changes"];
  pulls: PullAtMerge[];
  manifests: Map<string, Manifest>;
}

/**
 * What a range (a comparison; none: everything reachable from `commit`, a first release) changed
 * in governed artifacts, commit by commit, and the pull requests behind it with their decisions.
 */
export async function rangeChanges(
  context: GateContext,
  services: Services,
  gathered: Gathered,
  effective: Extract<EffectivePolicy, { ok: true }>,
  where: { owner: string; repo: string; commit: string },
  range: RangeRead | undefined,
): Promise<RangeChanges> {
  const { owner, repo, commit } = where;
  const policy = effective.policy;
  const facts = gathered.facts;
  const files: ChangedFile[] = range
    ? range.files
    : (await facts.listFiles("head", "")).map((entry) => ({ path: entry.path, status: "added" }));

  const manifests = await readManifests(facts, policy, files);
  const unattributed = governedChanges(
    policy,
    files.map((f) => ({ ...f, commits: [] })),
    (root) => manifests.get(root),
  );
  const paths = [
    ...new Set(unattributed.flatMap((c) => (c.previousPath ? [c.path, c.previousPath] : [c.path]))),
  ];
  // Asked in the same turn as the histories, so it rides in their query.
  const baseGoverned = range ? holdsPolicy(facts, range.base) : Promise.resolve(false);
  const histories = await pathHistories(facts.graphql, { owner, repo }, commit, [...paths, POLICY_PATH]);

  // Which commits of the histories are in the range: the comparison's (for the first release,
  // everything reachable, so every commit of a history is). Each path once, whatever asks.
  const inRange = range ? new Set(range.commits) : undefined;
  const unread: string[] = range?.unread ? [range.unread] : [];
  const within = new Map<string, string[]>();
  const commitsOf = (path: string): string[] => {
    let found = within.get(path);
    if (found) return found;
    const history = histories.get(path);
    found = history ? (inRange ? history.commits.filter((sha) => inRange.has(sha)) : history.commits) : [];
    if (history?.more && found.length === history.commits.length)
      unread.push(
        `more than ${history.commits.length} commits changed ${path}; the older ones were not read`,
      );
    within.set(path, found);
    return found;
  };
  // A change and its rename's other side were changed by the same commits.
  const changes = unattributed.map((c) => ({
    ...c,
    commits: [...new Set([...commitsOf(c.path), ...(c.previousPath ? commitsOf(c.previousPath) : [])])],
  }));

  const governedCommits = new Set(changes.flatMap((c) => c.commits));
  // Asked in one turn: the history before the policy and the governed commits' pull requests share queries.
  const [history, pullsOf] = await Promise.all([
    // A range whose base already held the policy holds nothing from before governance: whatever
    // it brings in (an orphan root merged in, whatever its history says) came after.
    baseGoverned.then((governed) =>
      governed ? new Set<string>() : historyCommits(facts, { owner, repo }, histories, paths, inRange),
    ),
    commitPulls(facts.graphql, { owner, repo }, [...governedCommits]),
  ]);
  const rangeCommits: RangeCommit[] = (range ? range.commits : [...governedCommits]).map((sha) => ({
    sha,
    pulls: (pullsOf.get(sha) ?? []).map((p) => p.number),
    ...(history.has(sha) ? { beforeGoverned: true } : {}),
  }));

  const associated = new Map<number, AssociatedPull>();
  for (const sha of governedCommits)
    for (const pull of pullsOf.get(sha) ?? []) associated.set(pull.number, pull);
  const pulls = await pullsAtMerge(context, services, where, [...associated.values()]);
  return {
    range: {
      commits: rangeCommits,
      total: range ? range.total : rangeCommits.length,
      ...(unread.length > 0 ? { truncated: unread.join("; ") } : {}),
    },
    changes,
    pulls,
    manifests,
  };
}

/** The manifests at the release commit of the artifacts the files may touch (the engine reads them again, cached). */
async function readManifests(
  facts: Facts,
  policy: Policy,
  files: readonly ChangedFile[],
): Promise<Map<string, Manifest>> {
  const roots = [
    ...new Set(
      governedChanges(
        policy,
        files.map((f) => ({ ...f, commits: [] })),
      ).map((c) => c.root),
    ),
  ];
  const manifests = new Map<string, Manifest>();
  await Promise.all(
    roots.map(async (root) => {
      const path = `${root}/${MANIFEST_FILE}`;
      const read = await facts.readFile("head", path);
      if (read.kind !== "ok") return;
      const text = decodeUtf8(path, read.bytes);
      if (!text.ok) return;
      const manifest = readManifest(path, text.text);
      if (manifest.ok) manifests.set(root, manifest.value);
    }),
  );
  return manifests;
}

/** Whether the repository policy stood at `commit`; a file that cannot be read counts as standing. */
async function holdsPolicy(facts: GitHubFacts, commit: string): Promise<boolean> {
  const read = await batchedBlobReader(facts.client, facts.graphql)(commit, POLICY_PATH);
  return read.kind !== "missing";
}

/**
 * Commits from before the repository was governed: the first commit that held its policy file
 * (found by the file's own history) and its ancestors, never decided by dates. Asked only when that
 * commit is in the range (or the range is everything: a first release) and the range's base did not
 * hold the policy.
 */
async function historyCommits(
  facts: GitHubFacts,
  repo: { owner: string; repo: string },
  histories: ReadonlyMap<string, PathHistory>,
  paths: readonly string[],
  inRange: ReadonlySet<string> | undefined,
): Promise<Set<string>> {
  const policyHistory = histories.get(POLICY_PATH);
  const first = policyHistory && !policyHistory.more ? policyHistory.commits.at(-1) : undefined;
  if (!first || paths.length === 0 || (inRange && !inRange.has(first))) return new Set();
  const before = await pathHistories(facts.graphql, repo, first, paths);
  const found = new Set<string>();
  // The first commit itself too: no policy stood at its parent, so nothing could have gated it.
  for (const history of before.values()) for (const sha of history.commits) found.add(sha);
  return found;
}

/** Each associated pull request with the decisions the store holds for it, re-evaluated where none counts. */
async function pullsAtMerge(
  context: GateContext,
  services: Services,
  asked: { owner: string; repo: string },
  associated: readonly AssociatedPull[],
): Promise<PullAtMerge[]> {
  const repository = `${asked.owner}/${asked.repo}`;
  const records = await recordedDecisions(context, services, repository, associated);
  const baseOf = new Map(associated.map((p) => [p.number, p.baseSha]));
  const pulls: PullAtMerge[] = associated.map((p) => ({
    number: p.number,
    title: p.title,
    ...(p.author ? { author: p.author } : {}),
    merged: p.merged,
    mergedHead: p.merged ? p.headSha : null,
    records: records.filter((r) => r.pull === p.number),
  }));
  const again = pulls.filter(needsReevaluation).slice(0, MAX_REEVALUATIONS);
  await Promise.all(
    again.map(async (pull) => {
      pull.reevaluated = await reevaluate(context, services, asked, pull, baseOf.get(pull.number));
    }),
  );
  return pulls;
}

/** The store's `pull` decisions for these pull requests; none when it cannot be read (they are re-evaluated). */
async function recordedDecisions(
  context: GateContext,
  services: Services,
  repository: string,
  associated: readonly AssociatedPull[],
): Promise<AuditRecord[]> {
  if (!services.recorder || associated.length === 0) return [];
  try {
    return await services.recorder.read({
      repository,
      kinds: ["pull"],
      pulls: associated.map((p) => p.number),
    });
  } catch (error) {
    context.log.error(
      { repository, error: error instanceof Error ? error.message : String(error) },
      "audit: the store could not be read for the release; its pull requests are re-evaluated",
    );
    return [];
  }
}

/**
 * The pull request evaluated again at the head it merged at, against the base it merged onto
 * (`baseSha`, GitHub's `baseRefOid`), as its own check judged it: the policy, CODEOWNERS, the
 * results a regression compares with and the evidence a sign-off must be unchanged from are read
 * there — never at the base branch's tip, which holds the pull request's own changes once it
 * merged. Nothing is published.
 */
async function reevaluate(
  context: GateContext,
  services: Services,
  asked: { owner: string; repo: string },
  pull: PullAtMerge,
  baseSha: string | undefined,
): Promise<Reevaluation> {
  const headSha = pull.mergedHead as string;
  try {
    if (!baseSha) throw new Error(`GitHub did not say which base #${pull.number} merged onto`);
    const target = {
      owner: asked.owner,
      repo: asked.repo,
      baseSha,
      headSha,
      pull: {
        number: pull.number,
        author: pull.author ?? "ghost",
        htmlUrl: `https://github.com/${asked.owner}/${asked.repo}/pull/${pull.number}`,
      },
    };
    const theirs = await gather(context, services, target, { sibling: true });
    // A broken org policy fails it as gather said; otherwise the policy is the base's.
    const org = await theirs.facts.orgPolicy();
    const facts = atFixedBase(context, theirs.facts, asked, baseSha);
    const policy =
      org && "error" in org
        ? theirs.policy
        : await loadEffectivePolicy(facts, {
            ...(theirs.org ? { org: theirs.org } : {}),
            builtins: services.builtins,
            resolve: services.resolvePolicy,
          });
    if (!policy) return { headSha, verdict: "not_governed", approvals: [] };
    const evaluation = await evaluate({
      facts,
      policy,
      ...(theirs.org ? { org: theirs.org } : {}),
      builtins: services.builtins,
      now: services.now(),
    });
    return { headSha, verdict: evaluation.verdict, approvals: approvers(evaluation) };
  } catch (error) {
    return {
      headSha,
      verdict: "blocked",
      approvals: [],
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * A pull request's facts with the base side read at `baseSha` (a merged pull request's base
 * branch tip now holds its own changes): files, listings and entry kinds there; the change list,
 * reviews and commits stay the pull request's own.
 */
function atFixedBase(
  context: GateContext,
  facts: GitHubFacts,
  asked: { owner: string; repo: string },
  baseSha: string,
): GitHubFacts {
  const base = githubFacts(context.octokit, {
    owner: asked.owner,
    repo: asked.repo,
    baseSha,
    headSha: baseSha,
  });
  const fixed: Partial<GitHubFacts> = {
    baseSha,
    readFile: (side, path) => (side === "base" ? base.readFile("head", path) : facts.readFile(side, path)),
    listFiles: (side, dir) => (side === "base" ? base.listFiles("head", dir) : facts.listFiles(side, dir)),
    entryKind: (side, path) => (side === "base" ? base.entryKind("head", path) : facts.entryKind(side, path)),
  };
  // `baseSha` is a getter on the source: defined over it, not assigned.
  return Object.defineProperties(
    Object.create(facts) as GitHubFacts,
    Object.getOwnPropertyDescriptors(fixed),
  );
}

function approvers(evaluation: Evaluation): Array<{ rule: string; login: string }> {
  return evaluation.approvals.flatMap((a) => a.approvedBy.map((login) => ({ rule: a.rule, login })));
}

/**
 * The touched artifacts as they stand at the release commit: the engine run with the release
 * commit as base and head (evidence unchanged since the base, so a sign-off judged on its pull
 * request stands) over the governed paths, for the time-bound gates; and the metrics its results
 * report against the thresholds.
 */
async function artifactsAtRelease(
  services: Services,
  gathered: Gathered,
  facts: GitHubFacts,
  effective: Extract<EffectivePolicy, { ok: true }>,
  changes: ReleaseInput["changes"],
  manifests: ReadonlyMap<string, Manifest>,
): Promise<ArtifactAtRelease[]> {
  if (changes.length === 0) return [];
  const files: ChangedFile[] = [...new Set(changes.map((c) => c.path))].map((path) => ({
    path,
    status: "modified",
  }));
  const atRelease: Facts = Object.assign(Object.create(facts) as Facts, {
    changedFiles: async () => ({ files }),
  });
  const evaluation = await evaluate({
    facts: atRelease,
    policy: effective,
    ...(gathered.org ? { org: gathered.org } : {}),
    builtins: services.builtins,
    now: services.now(),
  });
  const policy = effective.policy;
  return Promise.all(
    evaluation.artifacts
      .filter((result) => !isPseudoKind(result.kind))
      .map(async (result) => {
        const manifest = manifests.get(result.root);
        const artifact = {
          root: result.root,
          kind: result.kind,
          tier: result.tier,
          ...(manifest ? { manifest } : {}),
        } as TouchedArtifact;
        const results = result.removed ? undefined : await resultsAt(facts, policy, artifact);
        return artifactAtRelease(
          result,
          metricsAtRelease(policy, artifact, results),
          evidenceReferences(policy, artifact),
        );
      }),
  );
}

/** The results at the release commit, read as the evaluation gate reads them (a file, an archive, a folder). */
async function resultsAt(facts: Facts, policy: Policy, artifact: TouchedArtifact) {
  const config = policy.gates.evaluation;
  if (!config) return undefined;
  const where = evidencePath(artifact, "evaluation", config.file);
  if (!where.ok) return undefined;
  const read = await readEvalEvidenceAt({ facts }, where.path);
  if (!read.ok) return undefined;
  const parsed = await readEvalEvidence(where.path, read.content, config.format, EVIDENCE_SIZE_LIMIT);
  return parsed.ok ? parsed.value : undefined;
}
