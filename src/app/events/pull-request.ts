// pull_request: every new head, a reopen, leaving draft, and a retarget (the base changed, so
// an earlier pass against the old base must not count).
import type { Probot } from "probot";
import { evaluatePull } from "../evaluate-pull.js";
import type { Services } from "../services.js";
import { pullTarget } from "../target.js";
import { observe } from "./observe.js";

const EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

export function onPullRequest(app: Probot, services: Services): void {
  app.on([...EVENTS], (context) =>
    observe(services.metrics, context, async () => {
      const { payload } = context;
      // A title or body edit changes nothing the gate reads.
      if (payload.action === "edited" && !payload.changes.base) return;
      await evaluatePull(context, services, pullTarget(context.repo(), payload.pull_request));
    }),
  );
}
