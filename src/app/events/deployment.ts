// deployment_protection_rule.requested: the deployment protection rule (deployment.ts).
import type { Probot } from "probot";
import { judgeDeployment } from "../deployment.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";

export function onDeploymentProtectionRule(app: Probot, services: Services): void {
  app.on("deployment_protection_rule.requested", (context) =>
    observe(services.metrics, context, async () => {
      const { payload } = context;
      const { deployment, environment, deployment_callback_url: callbackUrl } = payload;
      if (!deployment || !environment || !callbackUrl) {
        context.log.info(
          { environment },
          "deployment: the request names no deployment or callback, so no answer",
        );
        return;
      }
      await judgeDeployment(context, services, {
        ...context.repo(),
        commit: deployment.sha,
        environment,
        deployment: deployment.id ?? null,
        callbackUrl,
      });
    }),
  );
}
