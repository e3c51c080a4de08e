// push to the default branch: a bypass report when it carries governed changes that came through
// no ready pull request (bypass.ts), and a new `.github/readiness.yml` on the default branch changes the gate of every open PR
// against it, so they are re-evaluated with the policy at the new tip. In the owner's `.github`
// repository that file is also the org policy: then the installation's open PRs are re-evaluated.
import type { Probot } from "probot";
import { ORG_POLICY_REPO } from "../../facts/github-org-policy.js";
import { POLICY_PATH } from "../../policy/schema.js";
import { reportBypass } from "../bypass.js";
import { openPulls } from "../pulls.js";
import { installationPulls, MAX_PULLS, reevaluateAll } from "../reevaluate.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";

/** GitHub lists at most 20 commits in a push payload; a longer push may hide the policy change. */
const LISTED_COMMITS = 20;

interface PushedCommit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

export function changesPolicy(commits: readonly PushedCommit[]): boolean {
  if (commits.length >= LISTED_COMMITS) return true;
  return commits.some((c) =>
    [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(POLICY_PATH),
  );
}

export function onPush(app: Probot, services: Services): void {
  app.on("push", (context) =>
    observe(services.metrics, context, async () => {
      const { payload } = context;
      const branch = payload.repository.default_branch;
      if (payload.deleted || payload.ref !== `refs/heads/${branch}`) return;
      // A failed report is logged and never keeps open PRs from their re-evaluation.
      await reportBypass(context, services, {
        ...context.repo(),
        ref: payload.ref,
        defaultBranch: branch,
        before: payload.before,
        after: payload.after,
        pusher: payload.sender?.login ?? payload.pusher.name,
        forced: payload.forced,
      }).catch((error: unknown) =>
        context.log.error(
          {
            repo: payload.repository.full_name,
            after: payload.after,
            error: error instanceof Error ? error.message : String(error),
          },
          "bypass report failed",
        ),
      );
      if (!changesPolicy(payload.commits)) return;
      const repo = context.repo();
      const targets =
        payload.repository.name === ORG_POLICY_REPO
          ? await installationPulls(context, repo.owner)
          : await openPulls(context.octokit, repo, {
              base: branch,
              baseSha: payload.after,
              limit: MAX_PULLS,
            });
      await reevaluateAll(context, services, targets);
    }),
  );
}
