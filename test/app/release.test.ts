// The release gate on the GitHub stand-in, with a real audit store (SQLite, and PostgreSQL where it
// answers): the check run `Readiness gate / release`, the report assets, `releases.enforce`, and
// the release's record — each decision standing on the pull requests' recorded decisions.
import { afterEach, describe, expect, it } from "vitest";
import { RELEASE_CHECK_NAME, REPORT_JSON, REPORT_MARKDOWN } from "../../src/report/release.js";
import type { ReleaseRecord } from "../support/github-standin/records.js";
import { type Recording, recording } from "../support/recording.js";
import { testService } from "../support/services.js";
import { expectAccepted, REPO, type Sample, sample } from "./on-standin.js";
import { baseFiles, POLICY, results } from "./repository.js";

const postgres = await testService("postgres");

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const ENFORCED = `${POLICY}releases:\n  enforce: true\n  environments: [production]\n`;

async function github(rec: Recording, files = baseFiles()): Promise<Sample> {
  const s = await sample(files, { recorder: rec.recorder, metrics: rec.metrics });
  cleanup.push(() => s.gh.close());
  return s;
}

/** A PR by dana changing `files`, approved by carol (ready), merged into main; returns the merge commit. */
async function mergeReady(s: Sample, files: Record<string, string | null>, branch: string): Promise<string> {
  const pr = s.gh.openPullRequest(REPO, { head: branch, user: "dana", title: `Change ${branch}`, files });
  await s.app.receive("pull_request", s.app.hooks.pullRequest(REPO, pr.number, "opened"));
  const review = s.gh.addReview(REPO, pr.number, { user: "carol", state: "APPROVED" });
  await s.app.receive("pull_request_review", s.app.hooks.review(REPO, pr.number, review.id));
  expect(s.app.shown(REPO, pr.head.sha).conclusion).toBe("success");
  return s.gh.mergePullRequest(REPO, pr.number);
}

function releaseEvent(
  s: Sample,
  release: ReleaseRecord,
  action: "created" | "published" | "edited" = "published",
) {
  const repo = s.gh.repo(REPO);
  return s.app.receive("release", {
    action,
    release: { updated_at: release.created_at, ...(s.gh.render.release(repo, release) as object) },
    repository: s.gh.render.repository(repo),
    sender: s.gh.render.user(release.author),
  });
}

function releaseRun(s: Sample, sha: string) {
  const runs = s.gh.checkRunsFor(REPO, sha).filter((r) => r.name === RELEASE_CHECK_NAME);
  expect(runs).toHaveLength(1);
  return runs[0] as (typeof runs)[number];
}

const backends = [
  ["SQLite", "sqlite", true],
  ["PostgreSQL", "postgres", postgres.available],
] as const;

describe.each(backends)("the release gate on the %s store", (_, backend, available) => {
  async function setUp(files = baseFiles()) {
    const rec = await recording(backend, postgres.url);
    cleanup.push(() => rec.close());
    return { rec, s: await github(rec, files) };
  }

  it.runIf(available)(
    "passes a release whose every governed change came through a ready pull request, and attaches the report",
    async () => {
      const { rec, s } = await setUp();
      const v1 = s.gh.addRelease(REPO, { tag_name: "v1.0" });
      await releaseEvent(s, v1);
      const merged = await mergeReady(
        s,
        { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
        "retrain",
      );
      const v2 = s.gh.addRelease(REPO, { tag_name: "v1.1" });
      await releaseEvent(s, v2);

      // The first release: everything reachable, and what came before the policy is history.
      const first = releaseRun(s, s.gh.resolveRef(REPO, "v1.0") as string);
      expect(first.conclusion).toBe("success");
      expect(first.output.summary).toContain("the **first release**");
      expect(first.output.summary).toMatch(/## History[\s\S]*models\/churn\/model\.py/);
      const run = releaseRun(s, merged);
      expect(run.conclusion).toBe("success");
      expect(run.output.summary).toContain("v1.0");
      const assets = s.gh.repo(REPO).releases.get(v2.id)?.assets ?? [];
      expect(assets.map((a) => a.name).sort()).toEqual([REPORT_JSON, REPORT_MARKDOWN]);
      const report = JSON.parse(
        Buffer.from(assets.find((a) => a.name === REPORT_JSON)?.data ?? "").toString("utf8"),
      );
      expect(report).toMatchObject({ verdict: "ready", release: { tag: "v1.1", previousTag: "v1.0" } });
      const records = await rec.records();
      const release = records.filter((r) => r.kind === "release").at(-1);
      expect(release).toMatchObject({ verdict: "ready", headSha: merged, repository: REPO });
      // The PR's decision the release stood on is named by its audit record.
      const ready = records.find((r) => r.kind === "pull" && r.verdict === "ready");
      expect(report.auditRecords ?? report.pulls?.[0]?.auditRecords).toContain(ready?.sequence);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "turns a published release carrying a direct push back into a draft, with the reasons above its notes",
    async () => {
      const { s } = await setUp({ ...baseFiles(), ".github/readiness.yml": ENFORCED });
      const v1 = s.gh.addRelease(REPO, { tag_name: "v1.0" });
      await releaseEvent(s, v1);
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 666\n" },
      });
      const v2 = s.gh.addRelease(REPO, { tag_name: "v1.1", body: "Retrained churn." });
      await releaseEvent(s, v2);

      expect(releaseRun(s, pushed).conclusion).toBe("failure");
      const after = s.gh.repo(REPO).releases.get(v2.id);
      expect(after?.draft).toBe(true);
      expect(after?.body).toMatch(/through no pull request: .*\n[\s\S]*Retrained churn\.$/);
      expect(after?.body).toContain(pushed.slice(0, 7));
      expectAccepted(s.gh);
    },
  );
});
