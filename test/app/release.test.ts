// The release gate on the GitHub stand-in, with a real audit store (SQLite, and PostgreSQL where it
// answers): the check run `Readiness gate / release`, the report assets, `releases.enforce`, and
// the release's record — each decision standing on the pull requests' recorded decisions.
import { describe, expect, it } from "vitest";
import { REPORT_JSON, REPORT_MARKDOWN } from "../../src/report/release.js";
import { expectAccepted, REPO } from "./on-standin.js";
import {
  assetsOf,
  BACKENDS,
  ENFORCED,
  expectCheapQueries,
  mergeReady,
  publish,
  releaseRun,
  scenario,
} from "./release-support.js";
import { baseFiles, POLICY, results } from "./repository.js";

const RETRAIN = { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) };

describe.each(BACKENDS)("the release gate on the %s store", (_, backend, available) => {
  it.runIf(available)(
    "passes a release whose every governed change came through a ready pull request, and attaches the report",
    async () => {
      const { rec, s } = await scenario(backend);
      await publish(s, "v1.0");
      const merged = await mergeReady(s, RETRAIN, "retrain");
      const v2 = await publish(s, "v1.1");

      // The first release: everything reachable, and what came before the policy is history.
      const first = releaseRun(s, s.gh.resolveRef(REPO, "v1.0") as string);
      expect(first.conclusion).toBe("success");
      expect(first.output.summary).toContain("the **first release**");
      expect(first.output.summary).toMatch(/## History[\s\S]*models\/churn\/model\.py/);
      const run = releaseRun(s, merged);
      expect(run.conclusion).toBe("success");
      expect(run.output.summary).toContain("v1.0");
      const assets = s.gh.repo(REPO).releases.get(v2)?.assets ?? [];
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
      expect(report.auditRecords).toContain(ready?.sequence);
      expectAccepted(s.gh);
      expectCheapQueries(s);
    },
  );

  it.runIf(available).each([
    ["enforcement: advisory", ENFORCED.replace("version: 1\n", "version: 1\nenforcement: advisory\n")],
    ["releases.enforce: false", ENFORCED.replace("enforce: true", "enforce: false")],
  ])(
    "still turns an unready release back into a draft when its own commit says %s (the previous release's policy enforces)",
    async (_, loosened) => {
      const { s } = await scenario(backend, { ...baseFiles(), ".github/readiness.yml": ENFORCED });
      await publish(s, "v1.0");
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 666\n", ".github/readiness.yml": loosened },
      });
      const v2 = await publish(s, "v1.1", "Retrained churn.");

      expect(releaseRun(s, pushed).conclusion).toBe("failure");
      expect(s.gh.repo(REPO).releases.get(v2)?.draft).toBe(true);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "takes a first release's enforcement from the default branch's tip, not from the commit its tag names",
    async () => {
      const { s } = await scenario(backend, { ...baseFiles(), ".github/readiness.yml": ENFORCED });
      // A branch of mallory's own, never merged: an unreviewed change and an advisory policy.
      const side = s.gh.commit(REPO, {
        branch: "side",
        author: "mallory",
        files: {
          "models/churn/model.py": "weights = 666\n",
          ".github/readiness.yml": ENFORCED.replace("version: 1\n", "version: 1\nenforcement: advisory\n"),
        },
      });
      const release = s.gh.addRelease(REPO, { tag_name: "v1.0", target_commitish: "side" });
      await s.app.receive("release", s.app.hooks.release(REPO, release.id, "published"));

      expect(releaseRun(s, side).conclusion).toBe("failure");
      expect(s.gh.repo(REPO).releases.get(release.id)?.draft).toBe(true);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available).each([
    ["as the merge's first parent", true],
    ["as the merge's second parent", false],
  ])(
    "judges a change brought in by an orphan root merged %s: after the previous release nothing predates the policy",
    async (_, orphanFirst) => {
      const files = { ...baseFiles(), ".github/readiness.yml": ENFORCED };
      const { s } = await scenario(backend, files);
      await publish(s, "v1.0");
      const tip = s.gh.resolveRef(REPO, "main") as string;
      // A root commit of mallory's with its own copy of the policy: the oldest commit of the
      // policy file's history, were that "the first governed commit".
      const changed = { ...files, "models/churn/model.py": "weights = 666\n" };
      const orphan = s.gh.commit(REPO, { parents: [], author: "mallory", tree: changed });
      const merge = s.gh.commit(REPO, {
        parents: orphanFirst ? [orphan, tip] : [tip, orphan],
        branch: "main",
        author: "mallory",
        tree: changed,
      });
      await publish(s, "v1.1");

      const run = releaseRun(s, merge);
      expect(run.conclusion).toBe("failure");
      expect(run.output.summary).toMatch(
        /models\/churn: changed by (a commit|\d+ commits) through no pull request/,
      );
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "turns a published release carrying a direct push back into a draft, with the reasons above its notes",
    async () => {
      const { s } = await scenario(backend, { ...baseFiles(), ".github/readiness.yml": ENFORCED });
      await publish(s, "v1.0");
      const pushed = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 666\n" },
      });
      const v2 = await publish(s, "v1.1", "Retrained churn.");

      expect(releaseRun(s, pushed).conclusion).toBe("failure");
      const after = s.gh.repo(REPO).releases.get(v2);
      expect(after?.draft).toBe(true);
      expect(after?.body).toMatch(/through no pull request: .*\n[\s\S]*Retrained churn\.$/);
      expect(after?.body).toContain(pushed.slice(0, 7));

      // Another direct push, the tag moved onto it, the draft edited: its reasons are today's, in
      // one block above the same notes.
      const again = s.gh.commit(REPO, {
        branch: "main",
        author: "mallory",
        files: { "models/churn/model.py": "weights = 667\n" },
      });
      s.gh.addTag(REPO, "v1.1", again);
      await s.app.receive("release", s.app.hooks.release(REPO, v2, "edited", "alice"));
      const refreshed = s.gh.repo(REPO).releases.get(v2)?.body ?? "";
      expect(refreshed).toContain(again.slice(0, 7));
      expect(refreshed.match(/<!-- readiness-gate:release-reasons -->/g)).toHaveLength(1);
      expect(refreshed).toMatch(/Retrained churn\.$/);
      expectAccepted(s.gh);
    },
  );
});

const PRIVACY_POLICY = `${POLICY.replace(
  "  rollback:",
  `  privacy:
    file: privacy-review.yml
    reviewers: ["@acme/privacy"]
  rollback:`,
)}`;

const MONITORING_POLICY = `${POLICY.replace(
  "approvals:",
  `  documents:
    monitoring:
      file: MONITORING.md
      sections: ["Alerts"]
approvals:`,
)}`;

const privacyReview = (expires: string) => `reviewer: pat
decision: approved
reviewed_at: 2026-06-01
expires_at: ${expires}
data_categories: []
`;

describe.each(BACKENDS)("what the release gate checks again on the %s store", (_, backend, available) => {
  it.runIf(available)(
    "fails a release whose privacy review expired after the pull request merged",
    async () => {
      let now = new Date("2026-11-21T12:00:00Z");
      const { s } = await scenario(
        backend,
        {
          ...baseFiles(),
          ".github/readiness.yml": PRIVACY_POLICY,
          "models/churn/privacy-review.yml": privacyReview("2026-11-25"),
        },
        { now: () => now },
      );
      s.gh.addTeam("acme", "privacy", { members: ["pat"] });
      await publish(s, "v1.0");
      const merged = await mergeReady(s, RETRAIN, "retrain");
      now = new Date("2026-12-01T12:00:00Z");
      await publish(s, "v1.1");
      const run = releaseRun(s, merged);
      expect(run.conclusion).toBe("failure");
      expect(run.output.summary).toMatch(/models\/churn.*privacy at the release commit: .*expired/);
      // The pull request itself was ready when merged: only the evidence's time ran out.
      expect(run.output.summary).toMatch(/#\d+ Change retrain \| ✅ ready/);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "names the file each document gate was judged on in both reports, at the manifest's path",
    async () => {
      const { s } = await scenario(backend, {
        ...baseFiles(),
        ".github/readiness.yml": MONITORING_POLICY,
        "models/churn/artifact.yml": 'owners: ["@alice"]\nevidence:\n  monitoring: ops/MONITORING.md\n',
        "models/churn/ops/MONITORING.md": "# Monitoring\n\n## Alerts\nPage the on-call below 0.88.\n",
      });
      await publish(s, "v1.0");
      await mergeReady(s, RETRAIN, "retrain");
      const v2 = await publish(s, "v1.1");
      const assets = assetsOf(s, v2);
      expect(assets.get(REPORT_MARKDOWN)).toContain(
        "| `models/churn` | monitoring | ✅ pass | `models/churn/ops/MONITORING.md` |",
      );
      const report = JSON.parse(assets.get(REPORT_JSON) ?? "");
      expect(report.artifacts[0].references).toEqual({
        privacy: null,
        rollback: "models/churn/ROLLBACK.md",
        monitoring: "models/churn/ops/MONITORING.md",
      });
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "re-evaluates a pull request merged before the app was installed, at the head it merged at",
    async () => {
      const { s } = await scenario(backend);
      await publish(s, "v1.0");
      // Merged while no app listened: no decision was recorded.
      const approved = s.gh.openPullRequest(REPO, {
        head: "early",
        user: "dana",
        title: "Early",
        files: RETRAIN,
      });
      s.gh.addReview(REPO, approved.number, { user: "carol", state: "APPROVED" });
      s.gh.mergePullRequest(REPO, approved.number);
      await publish(s, "v1.1");
      const ready = releaseRun(s, s.gh.resolveRef(REPO, "v1.1") as string);
      expect(ready.conclusion).toBe("success");
      expect(ready.output.summary).toMatch(/#\d+ Early \| ✅ ready \| `[0-9a-f]{7}` \(re-evaluated\)/);

      const unapproved = s.gh.openPullRequest(REPO, {
        head: "unreviewed",
        user: "dana",
        title: "Unreviewed",
        files: { "models/churn/model.py": "weights = 3\n", "models/churn/eval/results.json": results(0.96) },
      });
      s.gh.mergePullRequest(REPO, unapproved.number);
      await publish(s, "v1.2");
      const blocked = releaseRun(s, s.gh.resolveRef(REPO, "v1.2") as string);
      expect(blocked.conclusion).toBe("failure");
      expect(blocked.output.summary).toMatch(/re-evaluated at [0-9a-f]{7}, it is awaiting approval/);
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "re-evaluates a merged pull request against the base it merged onto, not the branch that now holds its changes",
    async () => {
      const { s } = await scenario(backend, {
        ...baseFiles(),
        ".github/readiness.yml": PRIVACY_POLICY,
        "models/churn/privacy-review.yml": privacyReview("2026-11-25"),
      });
      s.gh.addTeam("acme", "privacy", { members: ["pat"] });
      await publish(s, "v1.0");
      // dana rewrites pat's privacy review herself; carol approves, pat never does, and it merges
      // while no app listened: no decision was recorded.
      const rewritten = s.gh.openPullRequest(REPO, {
        head: "self-reviewed",
        user: "dana",
        title: "Self-reviewed",
        files: { ...RETRAIN, "models/churn/privacy-review.yml": privacyReview("2027-12-31") },
      });
      s.gh.addReview(REPO, rewritten.number, { user: "carol", state: "APPROVED" });
      s.gh.mergePullRequest(REPO, rewritten.number);
      await publish(s, "v1.1");
      const run = releaseRun(s, s.gh.resolveRef(REPO, "v1.1") as string);
      // At main's tip the record is "unchanged since the base"; at the base it merged onto it is not.
      expect(run.conclusion).toBe("failure");
      expect(run.output.summary).toMatch(
        /#\d+ Self-reviewed \| ⏳ awaiting approval \| `[0-9a-f]{7}` \(re-evaluated\)/,
      );
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "replaces the report assets on a re-run, and keeps the old ones whole when GitHub fails mid-upload",
    async () => {
      const { s } = await scenario(backend);
      await publish(s, "v1.0");
      await mergeReady(s, RETRAIN, "retrain");
      const v2 = await publish(s, "v1.1", "Notes.");
      const before = assetsOf(s, v2);
      expect([...before.keys()].sort()).toEqual([REPORT_JSON, REPORT_MARKDOWN]);

      // The upload of the replacement fails: the first report stays, whole, and nothing else.
      s.gh.failNext("POST", /\/releases\/\d+\/assets/, { status: 502 });
      const edited = () => s.app.receive("release", s.app.hooks.release(REPO, v2, "edited", "alice"));
      await expect(edited()).rejects.toThrow();
      expect(assetsOf(s, v2)).toEqual(before);

      // A re-run replaces both: still two assets, never a duplicate.
      await edited();
      const after = assetsOf(s, v2);
      expect([...after.keys()].sort()).toEqual([REPORT_JSON, REPORT_MARKDOWN]);
      expect(JSON.parse(after.get(REPORT_JSON) ?? "")).toMatchObject({ verdict: "ready" });
      expectAccepted(s.gh);
    },
  );

  it.runIf(available)(
    "posts the run while the audit store is down and spools the release's record",
    async () => {
      const { rec, s } = await scenario(backend, baseFiles(), { down: true });
      await publish(s, "v1.0");
      expect(releaseRun(s, s.gh.resolveRef(REPO, "v1.0") as string).conclusion).toBe("success");
      await rec.recorder.drain();
      expect(rec.recorder.pending()).toBe(1);
      rec.bringUp();
      expect((await rec.records()).map((r) => [r.kind, r.verdict])).toEqual([["release", "ready"]]);
    },
  );

  it.runIf(available)(
    "never passes a range longer than GitHub's comparison lists, and says what it did not read",
    async () => {
      const { s } = await scenario(backend);
      await publish(s, "v1.0");
      // Only the README changed in them: what was read is clean, and still it is no pass.
      for (let i = 0; i < 3001; i++)
        s.gh.commit(REPO, { branch: "main", author: "alice", files: { "README.md": `# app ${i}\n` } });
      await publish(s, "v1.1");
      const run = releaseRun(s, s.gh.resolveRef(REPO, "v1.1") as string);
      expect(run.conclusion).toBe("failure");
      expect(run.output.summary).toMatch(/3,00\d commits/);
      expect(run.output.summary).toMatch(/were not read/);
    },
  );
});
