// The release gate's tests on the GitHub stand-in: the sample repository with a real recorder
// (SQLite, and PostgreSQL where it answers), and the steps every scenario takes.
import { afterEach, expect } from "vitest";
import { RELEASE_CHECK_NAME } from "../../src/report/release.js";
import { type Recording, recording } from "../support/recording.js";
import { testService } from "../support/services.js";
import { REPO, type Sample, sample } from "./on-standin.js";
import { baseFiles, POLICY } from "./repository.js";

export const postgres = await testService("postgres");

export const BACKENDS = [
  ["SQLite", "sqlite", true],
  ["PostgreSQL", "postgres", postgres.available],
] as const;

/** The sample policy, releases enforced and `production` guarded by the deployment rule. */
export const ENFORCED = `${POLICY}releases:\n  enforce: true\n  environments: [production]\n`;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

export interface Scenario {
  rec: Recording;
  s: Sample;
}

/** The sample repository holding `files`, the app recording to a fresh store of `backend`. */
export async function scenario(
  backend: "sqlite" | "postgres",
  files = baseFiles(),
  options: { now?: () => Date; down?: boolean } = {},
): Promise<Scenario> {
  const rec = await recording(backend, postgres.url, options.down ? { down: true } : {});
  cleanup.push(() => rec.close());
  const s = await sample(files, {
    recorder: rec.recorder,
    metrics: rec.metrics,
    ...(options.now ? { now: options.now } : {}),
  });
  cleanup.push(() => s.gh.close());
  return { rec, s };
}

/** A PR by dana changing `files`, approved by carol (ready), merged into main; returns the merge commit. */
export async function mergeReady(
  s: Sample,
  files: Record<string, string | null>,
  branch: string,
): Promise<string> {
  const pr = s.gh.openPullRequest(REPO, { head: branch, user: "dana", title: `Change ${branch}`, files });
  await s.app.receive("pull_request", s.app.hooks.pullRequest(REPO, pr.number, "opened"));
  const review = s.gh.addReview(REPO, pr.number, { user: "carol", state: "APPROVED" });
  await s.app.receive("pull_request_review", s.app.hooks.review(REPO, pr.number, review.id));
  expect(s.app.shown(REPO, pr.head.sha).conclusion).toBe("success");
  return s.gh.mergePullRequest(REPO, pr.number);
}

/** Publishes a release of main's tip (a tag `tag` on it) and delivers the webhook. */
export async function publish(s: Sample, tag: string, body?: string): Promise<number> {
  const release = s.gh.addRelease(REPO, { tag_name: tag, ...(body ? { body } : {}) });
  await s.app.receive("release", s.app.hooks.release(REPO, release.id, "published"));
  return release.id;
}

/** The release's assets: name → text. */
export function assetsOf(s: Sample, release: number): Map<string, string> {
  const assets = s.gh.repo(REPO).releases.get(release)?.assets ?? [];
  return new Map(assets.map((a) => [a.name, Buffer.from(a.data).toString("utf8")]));
}

/** The one `Readiness gate / release` run on a commit. */
export function releaseRun(s: Sample, sha: string) {
  const runs = s.gh.checkRunsFor(REPO, sha).filter((r) => r.name === RELEASE_CHECK_NAME);
  expect(runs).toHaveLength(1);
  return runs[0] as (typeof runs)[number];
}

/** Every GraphQL query the app sent cost GitHub's minimum, 1 point of the 5,000 an hour. */
export function expectCheapQueries(s: Sample): void {
  const costs = s.gh.requestsTo("POST /graphql").map((r) => r.graphqlCost ?? 0);
  expect(costs.filter((cost) => cost > 1)).toEqual([]);
}
