// The Readiness Gate Probot app: one file per event family, all ending in evaluate-pull.ts.
import type { ApplicationFunction, Probot } from "probot";
import { onCheckRun } from "./events/check-run.js";
import { onCheckSuite } from "./events/check-suite.js";
import { onComment } from "./events/comment.js";
import { onDeploymentProtectionRule } from "./events/deployment.js";
import { onMembership } from "./events/membership.js";
import { onMergeGroup } from "./events/merge-group.js";
import { onPullRequest } from "./events/pull-request.js";
import { onPush } from "./events/push.js";
import { onRelease } from "./events/release.js";
import { onReview } from "./events/review.js";
import { recordingFromEnv } from "./recording.js";
import { createServices, type ServiceOptions, type Services } from "./services.js";

export type { ServiceOptions } from "./services.js";

/** The app with explicit options (tests, main.ts); `readinessGate` reads them from the environment. */
export function createReadinessGate(options: ServiceOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    const services: Services = createServices(app, options);
    onPullRequest(app, services);
    onReview(app, services);
    onCheckRun(app, services);
    onCheckSuite(app, services);
    onComment(app, services);
    onMergeGroup(app, services);
    onPush(app, services);
    onMembership(app, services);
    onRelease(app, services);
    onDeploymentProtectionRule(app, services);
  };
}

export const readinessGate: ApplicationFunction = (app, options) => {
  const { PUBLIC_URL: publicUrl, REDIS_URL: redisUrl } = process.env;
  return createReadinessGate({
    ...(publicUrl ? { publicUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    recording: recordingFromEnv(process.env),
  })(app, options);
};

export default readinessGate;
