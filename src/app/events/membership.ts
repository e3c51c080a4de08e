// membership: someone joined or left a team, which can make or unmake an approval, a privacy
// sign-off or an override. Every open PR of the installation that already has a `Readiness gate`
// run on its head is re-evaluated, at most MAX_PULLS per event (see reevaluate.ts); the others
// get evaluated on their next event.
import type { Probot } from "probot";
import { GitHubClient } from "../../facts/github-client.js";
import { GraphQLBatcher } from "../../facts/github-graphql.js";
import { installationPulls, reevaluateAll } from "../reevaluate.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";

export function onMembership(app: Probot, services: Services): void {
  app.on(["membership.added", "membership.removed"], (context) =>
    observe(services.metrics, context, async () => {
      const { payload } = context;
      if (payload.scope !== "team") return;
      const owner = payload.organization.login;
      const targets = await installationPulls(context, owner);
      const { id: appId } = await services.identity();
      // Which PRs have our run: asked together, one GraphQL query per 50 PRs.
      const batch = new GraphQLBatcher(new GitHubClient(context.octokit, { owner, repo: "" }));
      const runs = targets.map((target) => services.publisher.lookup(batch, { ...target, appId }).run);
      await reevaluateAll(context, services, targets, async (target) => {
        const run = await runs[targets.indexOf(target)];
        return run !== undefined;
      });
    }),
  );
}
