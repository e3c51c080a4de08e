// membership: someone joined or left a team, which can make or unmake an approval, a privacy
// sign-off or an override. Every open PR of the installation that already has a `Readiness gate`
// run on its head is re-evaluated, at most MAX_PULLS per event (see reevaluate.ts); the others
// get evaluated on their next event.
import type { Probot } from "probot";
import { observe } from "./observe.js";
import { installationPulls, reevaluateAll } from "./reevaluate.js";
import type { Services } from "./services.js";

export function onMembership(app: Probot, services: Services): void {
  app.on(["membership.added", "membership.removed"], (context) =>
    observe(services.metrics, context, async () => {
      const { payload } = context;
      if (payload.scope !== "team") return;
      const targets = await installationPulls(context, payload.organization.login);
      const { id: appId } = await services.identity();
      await reevaluateAll(context, services, targets, async (target) => {
        const run = await services.publisher.findRun(context.octokit, { ...target, appId });
        return run !== undefined;
      });
    }),
  );
}
