// check_suite: GitHub asks for checks on a new head (requested) or someone re-runs them all
// (rerequested). One open PR whose head is that SHA is evaluated: its evaluation covers every open
// PR with that head (evaluate-pull.ts). With `pull_request.synchronize` this evaluates a pushed
// head twice; the keyed mutex and the in-place update make that one run.
import type { Probot } from "probot";
import { evaluatePull } from "../evaluate-pull.js";
import { openPull } from "../pulls.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";

export function onCheckSuite(app: Probot, services: Services): void {
  app.on(["check_suite.requested", "check_suite.rerequested"], (context) =>
    observe(services.metrics, context, async () => {
      const suite = context.payload.check_suite;
      const repoId = context.payload.repository.id;
      for (const listed of suite.pull_requests) {
        // PRs of other repositories (forks) can list this commit too; they are theirs to check.
        if (listed.base.repo.id !== repoId || listed.head.sha !== suite.head_sha) continue;
        const target = await openPull(context.octokit, context.repo(), listed.number);
        if (target?.headSha !== suite.head_sha) continue; // closed, or moved on to a newer head
        await evaluatePull(context, services, target);
        return;
      }
    }),
  );
}
