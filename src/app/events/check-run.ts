// check_run: "Re-run" on our run (rerequested) and its buttons (requested_action): `recheck`
// re-evaluates, `request_reviews` re-evaluates and asks the teams whose approvals are missing.
// GitHub sends these only to the app that created the run. Every evaluation of a head covers all
// the open PRs with that head (evaluate-pull.ts), so a re-check evaluates one of them; the
// `request_reviews` button asks each listed PR's own missing teams.
import type { Probot } from "probot";
import { RECHECK_ACTION, REQUEST_REVIEWS_ACTION } from "../../report/index.js";
import { evaluatePull } from "../evaluate-pull.js";
import { CHECK_NAME } from "../publish.js";
import { openPull } from "../pulls.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";
import { requestMissingReviews } from "./request-reviews.js";

const ACTIONS = new Set([RECHECK_ACTION.identifier, REQUEST_REVIEWS_ACTION.identifier]);

export function onCheckRun(app: Probot, services: Services): void {
  app.on(["check_run.rerequested", "check_run.requested_action"], (context) =>
    observe(services.metrics, context, async () => {
      const { payload } = context;
      if (payload.check_run.name !== CHECK_NAME) return;
      const action =
        payload.action === "requested_action"
          ? payload.requested_action?.identifier
          : RECHECK_ACTION.identifier;
      if (!action || !ACTIONS.has(action)) return;
      // A run on a merge-queue branch or a fork's PR lists no pull request: nothing to re-check
      // here (a merge group is re-evaluated by its own `checks_requested`).
      const evaluatedHeads = new Set<string>();
      for (const { number } of payload.check_run.pull_requests) {
        const target = await openPull(context.octokit, context.repo(), number);
        if (!target) continue;
        if (action === RECHECK_ACTION.identifier && evaluatedHeads.has(target.headSha)) continue;
        evaluatedHeads.add(target.headSha);
        const evaluation = await evaluatePull(context, services, target);
        if (evaluation && action === REQUEST_REVIEWS_ACTION.identifier) {
          await requestMissingReviews(context, target, evaluation);
        }
      }
    }),
  );
}
