// The release verdict (PRODUCT.md "Releases and deployments"), a pure function of what the edge
// gathered. A release is `ready` only when every governed change in its range came through a pull
// request that was `ready` or `overridden` on the head it merged at, the whole range was read, and
// the time-bound evidence and metrics still hold at the release commit. Anything else is
// `unready`, with each reason naming its artifact or pull request.
import { isPseudoKind } from "../policy/pseudo-kinds.js";
import { judgePull, unjudgedPull } from "./release-pulls.js";
import type {
  ArtifactAtRelease,
  GovernedChange,
  MetricAtRelease,
  ReleaseArtifact,
  ReleaseDecision,
  ReleaseInput,
  ReleasePull,
} from "./release-types.js";

export { countedRecord, GATED_VERDICTS, judgePull, needsReevaluation } from "./release-pulls.js";
export type * from "./release-types.js";

/** Gates judged again at the release commit: evidence that expires. Document gates are too. */
const NOT_TIME_BOUND = new Set(["files", "manifest", "ownership", "evaluation", "validation", "codeowners"]);

/**
 * Whether a gate's evidence can expire after a merge, so the release re-checks it: the privacy
 * review (expiry and age), the rollback drill and every document gate (their ages).
 */
export function isTimeBound(gate: string): boolean {
  return !NOT_TIME_BOUND.has(gate);
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function listed(shas: readonly string[], max = 5): string {
  const shown = shas.slice(0, max).map(short).join(", ");
  return shas.length > max ? `${shown} and ${shas.length - max} more` : shown;
}

function metricHolds(metric: MetricAtRelease): boolean {
  if (metric.value === null) return false;
  if (metric.min !== undefined && metric.value < metric.min) return false;
  if (metric.max !== undefined && metric.value > metric.max) return false;
  return true;
}

function metricReason(metric: MetricAtRelease): string {
  if (metric.value === null) return `the results at the release commit do not report '${metric.metric}'`;
  if (metric.min !== undefined && metric.value < metric.min)
    return `${metric.metric} ${metric.value} is below the minimum ${metric.min} at the release commit`;
  return `${metric.metric} ${metric.value} is above the maximum ${metric.max} at the release commit`;
}

interface CommitRoute {
  /** Merged pull requests that hold the commit. */
  pulls: number[];
  /** Unmerged pull requests that hold it (they did not carry it). */
  unmerged: number[];
  history: boolean;
}

export function decideRelease(input: ReleaseInput): ReleaseDecision {
  const reasons: string[] = [];
  const byNumber = new Map(input.pulls.map((p) => [p.number, p]));
  const routes = new Map<string, CommitRoute>();
  for (const commit of input.range.commits) {
    const merged = commit.pulls.filter((n) => byNumber.get(n)?.merged !== false);
    routes.set(commit.sha, {
      pulls: merged,
      unmerged: commit.pulls.filter((n) => !merged.includes(n)),
      history: commit.beforeGoverned === true,
    });
  }
  const complete = input.range.truncated === undefined && input.range.commits.length >= input.range.total;
  const unread = complete
    ? null
    : (input.range.truncated ??
      `${(input.range.total - input.range.commits.length).toLocaleString("en-US")} of ${input.range.total.toLocaleString("en-US")} commits in the range were not read`);
  if (unread !== null)
    reasons.push(`the range was not read in full: ${unread}; a partial read is never a pass`);

  // Governed changes by artifact, history set apart.
  const historyCommits = new Set<string>();
  const historyPaths = new Set<string>();
  const byRoot = new Map<string, GovernedChange[]>();
  for (const change of input.changes) {
    const governed = change.commits.filter((sha) => {
      if (routes.get(sha)?.history) {
        historyCommits.add(sha);
        return false;
      }
      return true;
    });
    if (governed.length === 0 && change.commits.length > 0) {
      historyPaths.add(change.path);
      continue;
    }
    const list = byRoot.get(change.root) ?? [];
    list.push({ ...change, commits: governed });
    byRoot.set(change.root, list);
  }
  for (const commit of input.range.commits) if (commit.beforeGoverned) historyCommits.add(commit.sha);

  const judged = new Map<number, ReleasePull>();
  // Sets beside the lists, so a range of thousands of commits stays linear.
  const carried = new Map<number, Set<string>>();
  const judge = (n: number): ReleasePull => {
    let pull = judged.get(n);
    if (!pull) {
      const found = byNumber.get(n);
      pull = found
        ? judgePull(found)
        : unjudgedPull(n, { title: "", author: null, mergedHead: null }, [
            "GitHub names it for a commit of the range, but it was not read",
          ]);
      judged.set(n, pull);
    }
    return pull;
  };

  const atRelease = new Map<string, ArtifactAtRelease>(input.atRelease.map((a) => [a.root, a]));
  const directCommits = new Set<string>();
  const artifacts: ReleaseArtifact[] = [];
  for (const root of [...byRoot.keys()].sort()) {
    const changes = byRoot.get(root) as GovernedChange[];
    const commits = [...new Set(changes.flatMap((c) => c.commits))];
    const at = atRelease.get(root);
    const artifact: ReleaseArtifact = {
      root,
      kind: changes[0]?.kind ?? "",
      tier: at?.tier ?? null,
      removed: at?.removed ?? false,
      verdict: "ready",
      paths: [...new Set(changes.map((c) => c.path))].sort(),
      commits,
      pulls: [],
      direct: [],
      gates: at ? at.gates.filter((g) => isTimeBound(g.gate)) : [],
      metrics: at ? at.metrics.map((m) => ({ ...m, holds: metricHolds(m) })) : [],
      references: at?.references ?? {},
      reasons: [],
    };
    // A change no commit is known for cannot be traced to a pull request: it never passes unseen.
    const untraced = changes.filter((c) => c.commits.length === 0).map((c) => c.path);
    if (untraced.length > 0) {
      const shown = untraced.slice(0, 5).join(", ");
      const more = untraced.length > 5 ? ` and ${untraced.length - 5} more` : "";
      artifact.reasons.push(`no commit of the range is known to have changed ${shown}${more}`);
    }
    const pulls = new Set<number>();
    const through = new Map<number, string[]>();
    for (const sha of commits) {
      const route = routes.get(sha);
      if (!route || route.pulls.length === 0) {
        artifact.direct.push(sha);
        directCommits.add(sha);
        continue;
      }
      for (const n of route.pulls) {
        pulls.add(n);
        const held = through.get(n);
        if (held) held.push(sha);
        else through.set(n, [sha]);
      }
    }
    artifact.pulls = [...pulls].sort((a, b) => a - b);
    if (artifact.direct.length > 0) {
      const unmerged = [...new Set(artifact.direct.flatMap((sha) => routes.get(sha)?.unmerged ?? []))];
      const note =
        unmerged.length > 0
          ? ` (${unmerged.map((n) => `#${n}`).join(", ")} hold them but did not merge them)`
          : "";
      artifact.reasons.push(
        `changed by ${artifact.direct.length === 1 ? "a commit" : `${artifact.direct.length} commits`} through no pull request: ${listed(artifact.direct)}${note}`,
      );
    }
    for (const n of artifact.pulls) {
      const pull = judge(n);
      pull.artifacts.push(root);
      const seen = carried.get(n) ?? new Set<string>();
      carried.set(n, seen);
      for (const sha of through.get(n) ?? []) {
        if (seen.has(sha)) continue;
        seen.add(sha);
        pull.commits.push(sha);
      }
      if (!pull.counts)
        artifact.reasons.push(
          `changed through #${n}: ${pull.reasons[0] ?? "was not ready or overridden when merged"}`,
        );
    }
    if (!at) {
      // The policy file and CODEOWNERS have no evidence that expires: their pull request judged them.
      if (!isPseudoKind(artifact.kind))
        artifact.reasons.push("its evidence was not re-checked at the release commit");
    } else {
      for (const gate of artifact.gates) {
        if (gate.status !== "fail") continue;
        for (const reason of gate.reasons.length > 0 ? gate.reasons : ["fails"])
          artifact.reasons.push(`${gate.gate} at the release commit: ${reason}`);
      }
      for (const metric of artifact.metrics) if (!metric.holds) artifact.reasons.push(metricReason(metric));
    }
    if (artifact.reasons.length > 0) artifact.verdict = "unready";
    for (const reason of artifact.reasons) reasons.push(`${root}: ${reason}`);
    artifacts.push(artifact);
  }

  const pulls = [...judged.values()].sort((a, b) => a.number - b.number);
  const auditRecords = [...new Set(pulls.flatMap((p) => p.auditRecords))].sort((a, b) => a - b);
  return {
    verdict: reasons.length === 0 ? "ready" : "unready",
    repository: input.repository,
    release: input.release,
    firstRelease: input.release.previousTag === null,
    range: { read: input.range.commits.length, total: input.range.total, complete, unread },
    artifacts,
    pulls,
    directCommits: [...directCommits],
    history: { commits: [...historyCommits], paths: [...historyPaths].sort() },
    reasons,
    policy: { digest: input.policy.digest, sources: [...input.policy.sources] },
    enforcement: input.policy.enforcement,
    enforce: input.policy.enforce,
    auditRecords,
  };
}
