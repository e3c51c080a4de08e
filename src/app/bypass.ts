// Bypass reports: a push to the default branch carrying governed changes whose commits came through
// no pull request that was `ready` or `overridden` when merged (engine/bypass.ts decides) is
// recorded as a `bypass` and reported in one issue labelled `readiness-bypass`. A redelivered push
// finds its issue by the hidden marker holding the push's key and opens no second one.
import { bypassRecord } from "../audit/release-decision.js";
import { type Bypass, detectBypass, type Push } from "../engine/bypass.js";
import { readRange } from "../facts/github-range.js";
import { BYPASS_LABEL, bypassIssue, bypassMarker } from "../report/release.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { recordActedOn, recordContext } from "./record.js";
import { gatherAtCommit, rangeChanges } from "./release-facts.js";
import type { GateContext, Services } from "./services.js";

/** The push as its webhook describes it. */
export type PushAsked = Pick<Push, "ref" | "defaultBranch" | "before" | "after" | "pusher" | "forced"> & {
  owner: string;
  repo: string;
};

const NO_COMMIT = /^0+$/;
/** One report at a time per push in this process: two deliveries of it open one issue. */
const reporting = new KeyedMutex();

/** The bypass the push is, reported and recorded; undefined when it is none (or nothing governs). */
export async function reportBypass(
  context: GateContext,
  services: Services,
  push: PushAsked,
): Promise<Bypass | undefined> {
  const { owner, repo, before, after } = push;
  // A new branch or a deleted one carries no range to judge.
  if (push.ref !== `refs/heads/${push.defaultBranch}` || NO_COMMIT.test(after) || NO_COMMIT.test(before))
    return undefined;
  // The push is judged against the policy it bypassed, the one at `before`: the pushed commit's
  // could be deleted or broken by the push itself. Only where `before` has none that loads (the
  // push brings the first policy) is the pushed commit's used. Both are asked in one query.
  const [first, governed] = await Promise.all([
    gatherAtCommit(context, services, { owner, repo, commit: after }),
    gatherAtCommit(context, services, { owner, repo, commit: before }),
  ]);
  const effective = governed.policy?.ok ? governed.policy : first.policy;
  if (!effective?.ok) {
    if (governed.policy || first.policy)
      context.log.warn(
        { repo: `${owner}/${repo}`, before, after },
        "bypass: no policy loads before or after the push, so it is not judged",
      );
    return undefined;
  }
  const range = await readRange(first.facts.client, first.facts.trees, before, after);
  if (!range) throw new Error(`GitHub cannot compare ${before}...${after}: a commit was not found`);
  const read = await rangeChanges(context, services, first, effective, { owner, repo, commit: after }, range);
  const bypass = detectBypass({
    repository: `${owner}/${repo}`,
    ref: push.ref,
    defaultBranch: push.defaultBranch,
    before,
    after,
    pusher: push.pusher,
    forced: push.forced,
    commits: read.range.commits,
    ...(read.range.truncated ? { truncated: read.range.truncated } : {}),
    changes: read.changes,
    pulls: read.pulls,
  });
  if (!bypass) return undefined;
  await reporting.run(bypass.key, () => openIssue(context, push, bypass));
  context.log.info(
    { repo: `${owner}/${repo}`, before, after, pusher: push.pusher, artifacts: bypass.artifacts.length },
    "bypass reported",
  );
  const policy = { digest: effective.digest, sources: effective.sources };
  await recordActedOn(context, services, [
    bypassRecord(bypass, policy, recordContext(context, services, null)),
  ]);
  return bypass;
}

/** The push's issue, unless one already names it (a redelivery). */
async function openIssue(context: GateContext, push: PushAsked, bypass: Bypass): Promise<void> {
  const { owner, repo } = push;
  const marker = bypassMarker(bypass.key);
  const existing = await context.octokit.paginate(context.octokit.rest.issues.listForRepo, {
    owner,
    repo,
    labels: BYPASS_LABEL,
    state: "all",
    per_page: 100,
  });
  if (existing.some((issue) => issue.body?.includes(marker))) return;
  const issue = bypassIssue(bypass);
  await context.octokit.rest.issues.create({
    owner,
    repo,
    title: issue.title,
    body: issue.body,
    labels: issue.labels,
  });
}
