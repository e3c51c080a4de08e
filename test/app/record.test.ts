// What the app records in the audit trail, on the GitHub stand-in with a real audit store (a
// SQLite file in a temporary directory; PostgreSQL in a fresh schema where it answers).
import { afterEach, describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import type { PullRequestRecord } from "../support/github-standin/records.js";
import { type Recording, recording as recordingOn } from "../support/recording.js";
import { testService } from "../support/services.js";
import { expectAccepted, NOW, openPull, REPO, RETRAINED, type Sample, sample } from "./on-standin.js";

const postgres = await testService("postgres");

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function recording(
  backend: "sqlite" | "postgres",
  options: { down?: boolean } = {},
): Promise<Recording> {
  const rec = await recordingOn(backend, postgres.url, options);
  cleanup.push(() => rec.close());
  return rec;
}

async function github(
  rec: Recording | undefined,
  options: { now?: () => Date } = {},
): Promise<Sample & { pr: PullRequestRecord }> {
  const s = await sample(undefined, {
    ...(rec ? { recorder: rec.recorder, metrics: rec.metrics } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  cleanup.push(() => s.gh.close());
  return { ...s, pr: openPull(s.gh) };
}

const deliver = ({ app, pr }: Sample & { pr: PullRequestRecord }, action = "opened") =>
  app.receive("pull_request", app.hooks.pullRequest(REPO, pr.number, action));

const backends = [
  ["SQLite", "sqlite", true],
  ["PostgreSQL", "postgres", postgres.available],
] as const;

describe.each(backends)("recording on the %s store", (_, backend, available) => {
  it.runIf(available)(
    "records a pull request's evaluation after publishing, with the evidence read and the base the facts read",
    async () => {
      const rec = await recording(backend);
      const s = await github(rec);
      await deliver(s);
      const run = s.app.shown(REPO, s.pr.head.sha);
      const [record, ...others] = await rec.records();
      expect(others).toEqual([]);
      expect(record).toMatchObject({
        sequence: 1,
        installation: s.gh.installationId,
        repository: REPO,
        kind: "pull",
        pull: s.pr.number,
        headSha: s.pr.head.sha,
        baseSha: s.gh.resolveRef(REPO, "main"),
        event: "pull_request.opened",
        deliveryId: "delivery-1",
        verdict: "awaiting_approval",
        conclusion: run.conclusion,
        time: NOW.toISOString(),
        override: null,
        approvals: [],
      });
      expect(record?.policy.digest).toMatch(/^sha256:/);
      const results = record?.gates.find((g) => g.artifact === "models/churn" && g.gate === "evaluation");
      expect(results?.status).toBe("pass");
      expect(results?.evidence).toContainEqual({
        side: "head",
        path: "models/churn/eval/results.json",
        blobSha: gitBlobSha(new TextEncoder().encode(RETRAINED["models/churn/eval/results.json"])),
      });
      expect(record?.gates.find((g) => g.gate === "policy")?.evidence).toContainEqual(
        expect.objectContaining({ side: "base", path: ".github/readiness.yml" }),
      );
      expectAccepted(s.gh);
    },
  );
  it.runIf(available)(
    "records a redelivered webhook once, and a changed decision again, with the approval counted",
    async () => {
      const rec = await recording(backend);
      const s = await github(rec);
      const payload = s.app.hooks.pullRequest(REPO, s.pr.number, "opened");
      await s.app.receive("pull_request", payload);
      await s.app.receive("pull_request", payload);
      expect(await rec.records()).toHaveLength(1);

      const review = s.gh.addReview(REPO, s.pr.number, { user: "carol", state: "APPROVED" });
      await s.app.receive("pull_request_review", s.app.hooks.review(REPO, s.pr.number, review.id));
      const records = await rec.records();
      expect(records.map((r) => [r.verdict, r.event])).toEqual([
        ["awaiting_approval", "pull_request.opened"],
        ["ready", "pull_request_review.submitted"],
      ]);
      expect(records[1]?.approvals).toContainEqual({
        rule: expect.any(String),
        login: "carol",
        review: review.id,
        commit: s.pr.head.sha,
      });
    },
  );

  it.runIf(available)(
    "posts the check run while the store is down, shows the backlog, and appends it when the store is back",
    async () => {
      const rec = await recording(backend, { down: true });
      const s = await github(rec);
      await deliver(s);
      expect(s.app.shown(REPO, s.pr.head.sha).conclusion).toBe("action_required");
      await rec.recorder.drain();
      expect(rec.recorder.pending()).toBe(1);
      expect(await rec.recorder.reachable()).toBe(false);
      expect(await rec.metrics.registry.getSingleMetricAsString("readiness_audit_pending")).toContain(
        "readiness_audit_pending 1",
      );

      rec.bringUp();
      expect((await rec.records()).map((r) => r.verdict)).toEqual(["awaiting_approval"]);
      expect(rec.recorder.pending()).toBe(0);
      expect(await rec.metrics.registry.getSingleMetricAsString("readiness_audit_appended_total")).toContain(
        "readiness_audit_appended_total 1",
      );
    },
  );

  it.runIf(available)(
    "records an accepted override once (who, why, until when), and its expiry once when an evaluation drops it",
    async () => {
      let now = NOW;
      const rec = await recording(backend);
      const s = await github(rec, { now: () => now });
      const comment = s.gh.addIssueComment(REPO, s.pr.number, {
        user: "gina",
        body: "/readiness override Hotfix for the outage, INC-42",
      });
      const payload = s.app.hooks.comment(REPO, s.pr.number, comment.id);
      await s.app.receive("issue_comment", payload);
      await s.app.receive("issue_comment", payload);

      let overrides = (await rec.records()).filter((r) => r.kind === "override");
      expect(overrides.map((r) => r.override)).toEqual([
        {
          by: "gina",
          reason: "Hotfix for the outage, INC-42",
          at: NOW.toISOString(),
          expiresAt: new Date(NOW.getTime() + 24 * 3_600_000).toISOString(),
          state: "active",
        },
      ]);
      expect(overrides[0]?.verdict).toBe("overridden");

      now = new Date(NOW.getTime() + 25 * 3_600_000);
      await deliver(s, "reopened");
      await deliver(s, "ready_for_review");
      overrides = (await rec.records()).filter((r) => r.kind === "override");
      expect(overrides.map((r) => r.override?.state)).toEqual(["active", "expired"]);
      expect(overrides[1]).toMatchObject({ verdict: "awaiting_approval", event: "pull_request.reopened" });
    },
  );

  it.runIf(available)("records a merge group's evaluation as kind merge_group, without a PR", async () => {
    const rec = await recording(backend);
    const s = await github(rec);
    const base = s.gh.resolveRef(REPO, "main") as string;
    const headSha = s.gh.commit(REPO, {
      branch: "gh-readonly-queue/main/pr-1",
      parent: "main",
      author: "dana",
      files: RETRAINED,
    });
    await s.app.receive(
      "merge_group",
      s.app.hooks.mergeGroup(REPO, "gh-readonly-queue/main/pr-1", base, headSha),
    );
    const records = await rec.records();
    expect(records.filter((r) => r.kind === "merge_group")).toEqual([
      expect.objectContaining({ pull: null, headSha, baseSha: base, event: "merge_group.checks_requested" }),
    ]);
  });
});

describe("recording", () => {
  it("asks GitHub nothing more than the evaluation does", async () => {
    const without = await github(undefined);
    await deliver(without);
    const rec = await recording("sqlite");
    const recorded = await github(rec);
    await deliver(recorded);
    expect(await rec.records()).toHaveLength(1);
    expect(recorded.gh.requests.map((r) => r.route)).toEqual(without.gh.requests.map((r) => r.route));
  });
});
