// Bypass reports on the GitHub stand-in, with a real audit store: a push to the default branch
// carrying governed changes through no ready pull request opens one `readiness-bypass` issue and
// records a `bypass`; its redelivery opens nothing more; the merge of a ready pull request is none.
import { describe, expect, it } from "vitest";
import { BYPASS_LABEL } from "../../src/report/release.js";
import { expectAccepted, REPO, type Sample } from "./on-standin.js";
import { BACKENDS, mergeReady, scenario } from "./release-support.js";
import { results } from "./repository.js";

function bypassIssues(s: Sample) {
  return [...s.gh.repo(REPO).issues.values()].filter((i) => i.labels.includes(BYPASS_LABEL));
}

describe.each(BACKENDS)("bypass reports on the %s store", (_, backend, available) => {
  it.runIf(available)(
    "reports a direct push of a governed change once, naming the artifact, the commit and the pusher",
    async () => {
      const { rec, s } = await scenario(backend);
      const before = s.gh.resolveRef(REPO, "main") as string;
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 666\n", "README.md": "# app, changed\n" },
      });
      const push = s.app.hooks.push(REPO, "refs/heads/main", before, "mallory");
      await s.app.receive("push", push);
      const [issue, ...more] = bypassIssues(s);
      expect(more).toEqual([]);
      expect(issue?.title).toMatch(/Readiness bypass: 1 governed artifact pushed to main by @mallory/);
      expect(issue?.body).toContain("models/churn");
      expect(issue?.body).toContain(pushed.slice(0, 7));

      // The same push delivered again: no second issue, no second record.
      await s.app.receive("push", push);
      expect(bypassIssues(s)).toHaveLength(1);
      const bypasses = (await rec.records()).filter((r) => r.kind === "bypass");
      expect(bypasses.map((r) => [r.headSha, r.baseSha])).toEqual([[pushed, before]]);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "reports a direct push that deletes or breaks the policy along with a model change",
    async () => {
      // The policy the push bypassed (at its `before`) judges it, not the one it leaves behind.
      for (const policy of [null, "version: [\n"]) {
        const { rec, s } = await scenario(backend);
        const before = s.gh.resolveRef(REPO, "main") as string;
        const pushed = s.gh.commit(REPO, {
          branch: "main",
          author: "mallory",
          files: { "models/churn/model.py": "weights = 666\n", ".github/readiness.yml": policy },
        });
        await s.app.receive("push", s.app.hooks.push(REPO, "refs/heads/main", before, "mallory"));
        const [issue, ...more] = bypassIssues(s);
        expect(more).toEqual([]);
        expect(issue?.body).toContain("models/churn");
        expect(issue?.body).toContain(pushed.slice(0, 7));
        const bypasses = (await rec.records()).filter((r) => r.kind === "bypass");
        expect(bypasses.map((r) => [r.headSha, r.baseSha])).toEqual([[pushed, before]]);
        expectAccepted(s.gh);
      }
    },
  );

  it.runIf(available)(
    "reports nothing for the merge of a ready pull request, nor an ungoverned push",
    async () => {
      const { rec, s } = await scenario(backend);
      const before = s.gh.resolveRef(REPO, "main") as string;
      await mergeReady(
        s,
        { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
        "retrain",
      );
      await s.app.receive("push", s.app.hooks.push(REPO, "refs/heads/main", before, "dana"));
      const merged = s.gh.resolveRef(REPO, "main") as string;
      s.gh.commit(REPO, { branch: "main", author: "alice", files: { "README.md": "# app, docs\n" } });
      await s.app.receive("push", s.app.hooks.push(REPO, "refs/heads/main", merged, "alice"));
      expect(bypassIssues(s)).toEqual([]);
      expect((await rec.records()).filter((r) => r.kind === "bypass")).toEqual([]);
      expectAccepted(s.gh);
    },
  );
});
