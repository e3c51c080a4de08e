// pull_request_review: an approval, a change request or a dismissal changes the approvals gate.
import type { Probot } from "probot";
import { evaluatePull } from "../evaluate-pull.js";
import type { Services } from "../services.js";
import { pullTarget } from "../target.js";
import { observe } from "./observe.js";

const EVENTS = [
  "pull_request_review.submitted",
  "pull_request_review.edited",
  "pull_request_review.dismissed",
] as const;

export function onReview(app: Probot, services: Services): void {
  app.on([...EVENTS], (context) =>
    observe(services.metrics, context, async () => {
      const pull = context.payload.pull_request;
      if (pull.state !== "open") return;
      await evaluatePull(context, services, pullTarget(context.repo(), pull));
    }),
  );
}
