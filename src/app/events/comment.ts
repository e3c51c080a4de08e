// issue_comment: `/readiness recheck` and `/readiness override <reason>` on pull requests.
import type { Probot } from "probot";
import { evaluatePull } from "../evaluate-pull.js";
import { openPull } from "../pulls.js";
import type { Services } from "../services.js";
import { parseCommand } from "./command.js";
import { observe } from "./observe.js";
import { overrideCommand } from "./override-command.js";

export function onComment(app: Probot, services: Services): void {
  app.on("issue_comment.created", (context) =>
    observe(services.metrics, context, async () => {
      const { comment, issue } = context.payload;
      // Bots (this app's own replies included) do not give commands.
      if (!issue.pull_request || !comment.user || comment.user.type === "Bot") return;
      const command = parseCommand(comment.body);
      if (!command) return;
      const target = await openPull(context.octokit, context.repo(), issue.number);
      if (!target?.pull) return;
      switch (command.kind) {
        case "recheck":
          await evaluatePull(context, services, target);
          return;
        case "override":
          await overrideCommand(
            context,
            services,
            { ...target, pull: target.pull },
            comment.user.login,
            command.reason,
          );
      }
    }),
  );
}
