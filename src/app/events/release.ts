// release created, published or edited: the release gate (release.ts). Our own edit of a release
// (turning it back into a draft) comes back as `edited` and is not judged again.
import type { Probot } from "probot";
import { judgeRelease } from "../release.js";
import { releaseTarget } from "../release-target.js";
import type { Services } from "../services.js";
import { observe } from "./observe.js";

export function onRelease(app: Probot, services: Services): void {
  app.on(["release.created", "release.published", "release.edited"], (context) =>
    observe(services.metrics, context, async () => {
      const { release, sender } = context.payload;
      if (sender?.login === (await services.identity()).botLogin) return;
      const repo = context.repo();
      const { commit, earlier } = await releaseTarget(context.octokit, repo, {
        tag: release.tag_name,
        commitish: release.target_commitish,
        ...(release.created_at ? { createdAt: release.created_at } : {}),
      });
      if (!commit) {
        context.log.info(
          { ...repo, tag: release.tag_name },
          "release: neither its tag nor its target is a commit GitHub knows",
        );
        return;
      }
      await judgeRelease(context, services, {
        ...repo,
        tag: release.tag_name,
        commit,
        earlier,
        release: {
          owner: repo.owner,
          repo: repo.repo,
          id: release.id,
          uploadUrl: release.upload_url,
          draft: release.draft,
          body: release.body ?? null,
        },
      });
    }),
  );
}
