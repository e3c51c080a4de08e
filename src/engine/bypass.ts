// Bypass reports (PRODUCT.md "Releases and deployments"): a push to the default branch that
// carries governed changes whose commits belong to no pull request that was `ready` or
// `overridden` when merged is a bypass. A merge of a ready pull request is not. The key makes
// "one issue per push": a redelivered push has the same key, so the edge opens no second issue.
import { createHash } from "node:crypto";
import { judgePull } from "./release-pulls.js";
import type { GovernedChange, PullAtMerge, RangeCommit, ReleasePull } from "./release-types.js";

export interface Push {
  /** `owner/name`. */
  repository: string;
  /** `refs/heads/main`. */
  ref: string;
  defaultBranch: string;
  /** The branch tip before and after the push (40 zeros: created or deleted). */
  before: string;
  after: string;
  pusher: string;
  forced: boolean;
  /** The commits the push added to the branch, with the pull requests GitHub associates with each. */
  commits: readonly RangeCommit[];
  /** Set when the push's commits could not all be read: what was not read. */
  truncated?: string;
  /** The governed changes those commits made (`governedChanges`). */
  changes: readonly GovernedChange[];
  /** Every pull request the commits name. */
  pulls: readonly PullAtMerge[];
}

export interface BypassArtifact {
  root: string;
  kind: string;
  paths: string[];
  /** The commits that changed it through no pull request that counts. */
  commits: string[];
}

export interface Bypass {
  /** Stable for one push (`bypass:` and a sha256 over the repository, ref, before and after). */
  key: string;
  repository: string;
  ref: string;
  before: string;
  after: string;
  pusher: string;
  forced: boolean;
  artifacts: BypassArtifact[];
  /** Every commit in `artifacts`, in push order. */
  commits: string[];
  /** Merged pull requests holding those commits, none of which was ready or overridden. */
  pulls: ReleasePull[];
  /** What could not be read of the push, when something was not. */
  unread: string | null;
}

const NO_COMMIT = /^0+$/;

/** The key of one push: the same for a redelivery of that push, different for any other push. */
export function bypassKey(push: Pick<Push, "repository" | "ref" | "before" | "after">): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([push.repository, push.ref, push.before, push.after]))
    .digest("hex");
  return `bypass:${digest}`;
}

/** The bypass a push is, or null: not the default branch, a deletion, or every governed commit gated. */
export function detectBypass(push: Push): Bypass | null {
  if (push.ref !== `refs/heads/${push.defaultBranch}` || NO_COMMIT.test(push.after)) return null;
  const byNumber = new Map(push.pulls.map((p) => [p.number, p]));
  const judged = new Map<number, ReleasePull>();
  const judge = (n: number): ReleasePull | undefined => {
    const pull = byNumber.get(n);
    if (!pull?.merged) return undefined;
    let result = judged.get(n);
    if (!result) {
      result = judgePull(pull);
      judged.set(n, result);
    }
    return result;
  };
  const order = new Map(push.commits.map((c, i) => [c.sha, i]));
  const routes = new Map(push.commits.map((c) => [c.sha, c]));
  // A commit is gated when a merged pull request holding it was ready or overridden at its head.
  const ungated = (sha: string): boolean => {
    const commit = routes.get(sha);
    if (commit?.beforeGoverned) return false;
    return !(commit?.pulls ?? []).some((n) => judge(n)?.counts === true);
  };
  // Sets while collecting, so a push of thousands of files and commits stays linear.
  const byRoot = new Map<string, { kind: string; paths: Set<string>; commits: Set<string> }>();
  const rootsOf = new Map<string, Set<string>>();
  for (const change of push.changes) {
    const commits = change.commits.filter((sha) => routes.has(sha) && ungated(sha));
    // A governed change no commit is known for cannot be shown to be gated: it is reported.
    if (commits.length === 0 && change.commits.length > 0) continue;
    const found = byRoot.get(change.root) ?? { kind: change.kind, paths: new Set(), commits: new Set() };
    found.paths.add(change.path);
    for (const sha of commits) {
      found.commits.add(sha);
      const roots = rootsOf.get(sha) ?? new Set<string>();
      roots.add(change.root);
      rootsOf.set(sha, roots);
    }
    byRoot.set(change.root, found);
  }
  // A push not read in full is reported even when what was read is clean: nothing unread can pass.
  if (byRoot.size === 0 && push.truncated === undefined) return null;
  const byOrder = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const artifacts: BypassArtifact[] = [...byRoot.entries()]
    .map(([root, found]) => ({
      root,
      kind: found.kind,
      paths: [...found.paths].sort(),
      commits: [...found.commits].sort(byOrder),
    }))
    .sort((a, b) => a.root.localeCompare(b.root));
  const commits = [...rootsOf.keys()].sort(byOrder);
  const pulls = new Map<number, ReleasePull>();
  const pullRoots = new Map<number, Set<string>>();
  for (const sha of commits) {
    for (const n of new Set(routes.get(sha)?.pulls ?? [])) {
      const pull = judge(n);
      if (!pull) continue;
      pull.commits.push(sha);
      const roots = pullRoots.get(n) ?? new Set<string>();
      for (const root of rootsOf.get(sha) ?? []) roots.add(root);
      pullRoots.set(n, roots);
      pulls.set(n, pull);
    }
  }
  for (const [n, roots] of pullRoots) (pulls.get(n) as ReleasePull).artifacts = [...roots].sort();
  return {
    key: bypassKey(push),
    repository: push.repository,
    ref: push.ref,
    before: push.before,
    after: push.after,
    pusher: push.pusher,
    forced: push.forced,
    artifacts,
    commits,
    pulls: [...pulls.values()].sort((a, b) => a.number - b.number),
    unread: push.truncated ?? null,
  };
}
