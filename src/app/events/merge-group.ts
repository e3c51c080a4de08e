// merge_group: the merge queue asks for checks on the group's commit. The group is evaluated on
// base_sha...head_sha with the same check name, so a required `Readiness gate` holds the queue
// too. There is no pull request, so there are no people: approvals are `not_checked` here (they
// were enforced by each PR's own required check before it could join the queue) and every
// evidence gate is evaluated again on the combined change.
import type { Probot } from "probot";
import { evaluatePull } from "../evaluate-pull.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";

export function onMergeGroup(app: Probot, services: Services): void {
  app.on("merge_group.checks_requested", (context) =>
    observe(services.metrics, context, async () => {
      const group = context.payload.merge_group;
      await evaluatePull(context, services, {
        ...context.repo(),
        baseSha: group.base_sha,
        headSha: group.head_sha,
      });
    }),
  );
}
