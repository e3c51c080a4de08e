// What a release decision shows: the report files, the check run, the draft release's body and
// the bypass issue — asserted as a release manager or an auditor would read them.
import { describe, expect, it } from "vitest";
import { readTemplates } from "../../src/assets/templates.js";
import { detectBypass } from "../../src/engine/bypass.js";
import { decideRelease } from "../../src/engine/release.js";
import {
  BYPASS_LABEL,
  bypassIssue,
  bypassMarker,
  createReleaseRenderer,
  draftReleaseBody,
  originalNotes,
  RELEASE_BODY_LIMIT,
  RELEASE_CHECK_NAME,
  releaseCheckRun,
  releaseReportFiles,
  releaseReportJson,
} from "../../src/report/release.js";
import {
  atRelease,
  type EditableRelease,
  gate,
  pull,
  readyRelease,
  sha,
  weightsChangedBy,
} from "../engine/release-sample.js";
import { cellCount, firstTable } from "./table.js";

const renderer = createReleaseRenderer(readTemplates());

/** Unready three ways: a direct push, a blocked PR, a privacy review expired since the merge. */
function unreadyRelease(): EditableRelease {
  const input = readyRelease();
  input.pulls[1] = pull(12, "blocked", 41);
  weightsChangedBy(input, 4);
  input.atRelease[0] = atRelease("models/churn", [
    gate("privacy", "fail", ["the privacy review expired on 2026-11-30"]),
    gate("rollback", "pass"),
  ]);
  return input;
}

describe("the check run Readiness gate / release", () => {
  const cases: Array<[string, EditableRelease, string, RegExp]> = [
    ["a ready release", readyRelease(), "success", /^Ready: v1\.2\.0 — 2 artifacts through 2 pull requests$/],
    ["an unready release", unreadyRelease(), "failure", /^Not ready: v1\.2\.0 — 3 reasons$/],
    [
      "an unready release under an advisory policy",
      Object.assign(unreadyRelease(), {
        policy: { digest: "sha256:abc", sources: [], enforcement: "advisory" as const, enforce: true },
      }),
      "neutral",
      /^Advisory — would fail: Not ready: v1\.2\.0 — 3 reasons$/,
    ],
  ];
  it.each(cases)("%s", (_name, input, conclusion, title) => {
    const run = releaseCheckRun(decideRelease(input), renderer);
    expect(run).toMatchObject({ name: RELEASE_CHECK_NAME, headSha: sha(3), conclusion });
    expect(run.title).toMatch(title);
  });

  it("fits GitHub's 65,535-character summary with thousands of artifacts, pointing to the full report", () => {
    const input = readyRelease();
    input.atRelease = [];
    for (let n = 0; n < 3000; n++)
      input.changes.push({
        path: `models/m${n}/w.bin`,
        root: `models/m${n}`,
        kind: "model",
        commits: [sha(4)],
      });
    const run = releaseCheckRun(decideRelease(input), renderer);
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(65_535);
    expect(run.summary).toMatch(/more rows not shown here: the full report is `readiness-report.md`/);
  });
});

describe("readiness-report.md", () => {
  const [markdown] = releaseReportFiles(decideRelease(unreadyRelease()), renderer);

  it("is named as the release asset and says why the release is not ready", () => {
    expect(markdown?.name).toBe("readiness-report.md");
    expect(markdown?.content).toContain("## Why it is not ready");
    expect(markdown?.content).toContain(
      "- models/churn: changed by a commit through no pull request: 0000004",
    );
    expect(markdown?.content).toContain(
      "- prompts/support: changed through #12: was blocked when merged (audit record 41)",
    );
  });

  it("lists pull requests with their verdicts, approvers and audit records", () => {
    expect(markdown?.content).toContain(
      "| #11 Change 11 | ✅ ready | `000006f` (recorded) | @carol (Compliance sign-off) | 40 |",
    );
    expect(markdown?.content).toContain("| #12 Change 12 | ❌ blocked | `0000070` (recorded) | — | 41 |");
  });

  it("shows metrics against thresholds and the privacy and rollback references", () => {
    expect(markdown?.content).toContain("| `models/churn` | `accuracy` | 0.93 | ≥ 0.9 | ✅ |");
    expect(markdown?.content).toContain(
      "| `models/churn` | privacy | ❌ fail | `models/churn/privacy-review.yml` | the privacy review expired on 2026-11-30 |",
    );
    expect(markdown?.content).toContain("`models/churn/ROLLBACK.md`");
    expect(markdown?.content).toContain(
      "Policy `sha256:abc` from `.github/readiness.yml` · audit records 40, 41",
    );
  });

  it("names the file each document gate was judged on, as it does the privacy review", () => {
    const input = readyRelease();
    input.atRelease[0] = atRelease(
      "models/churn",
      [gate("privacy", "pass"), gate("monitoring", "pass"), gate("constructor", "pass")],
      {
        references: {
          privacy: "models/churn/privacy-review.yml",
          rollback: "models/churn/ROLLBACK.md",
          monitoring: "models/churn/ops/MONITORING.md",
        },
      },
    );
    const content = renderer.renderReport(decideRelease(input));
    expect(content).toContain(
      "| `models/churn` | monitoring | ✅ pass | `models/churn/ops/MONITORING.md` | — |",
    );
    // A document gate may take any lower-case name; one without a reference shows none.
    expect(content).toContain("| `models/churn` | constructor | ✅ pass | — | — |");
  });

  it("says when it is the first release, and what it did not read", () => {
    const input = readyRelease();
    input.release.previousTag = null;
    input.range.total = 3500;
    input.range.truncated = "the compare API lists at most 250 commits: 3,250 were not read";
    const content = renderer.renderReport(decideRelease(input));
    expect(content).toContain("the **first release** — everything reachable from its commit");
    expect(content).toContain(
      "**Not read in full:** the compare API lists at most 250 commits: 3,250 were not read",
    );
  });

  it("keeps a hostile pull request title inside its table cell", () => {
    const input = readyRelease();
    input.pulls[0] = pull(11, "ready", 40, { title: "evil | column\n| --- |\n<img src=x>" });
    const content = renderer.renderReport(decideRelease(input));
    const table = firstTable(content.slice(content.indexOf("## Pull requests")));
    expect(table.map(cellCount)).toEqual([5, 5, 5, 5]);
    expect(content).not.toContain("<img");
  });
});

describe("readiness-report.json", () => {
  it("holds the audit record ids and its keys in the documented order", () => {
    const json = releaseReportJson(decideRelease(unreadyRelease())) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      "version",
      "verdict",
      "repository",
      "release",
      "range",
      "reasons",
      "artifacts",
      "pulls",
      "directCommits",
      "history",
      "policy",
      "enforcement",
      "enforce",
      "auditRecords",
    ]);
    expect(json.auditRecords).toEqual([40, 41]);
    const pulls = json.pulls as Array<Record<string, unknown>>;
    expect(pulls.map((p) => [p.number, p.verdict, p.counts, p.auditRecords])).toEqual([
      [11, "ready", true, [40]],
      [12, "blocked", false, [41]],
    ]);
    expect(Object.keys(pulls[0] ?? {})).toEqual([
      "number",
      "title",
      "author",
      "verdict",
      "counts",
      "basis",
      "mergedHead",
      "decidedHead",
      "approvers",
      "override",
      "auditRecords",
      "artifacts",
      "commits",
      "reasons",
    ]);
    const artifacts = json.artifacts as Array<Record<string, unknown>>;
    expect(artifacts[0]).toMatchObject({
      root: "models/churn",
      verdict: "unready",
      direct: [sha(4)],
      metrics: [{ metric: "accuracy", value: 0.93, min: 0.9, max: null, holds: true }],
      references: { privacy: "models/churn/privacy-review.yml", rollback: "models/churn/ROLLBACK.md" },
    });
  });

  it("holds a reference for every document gate, by its name, after the privacy review and rollback plan", () => {
    const input = readyRelease();
    input.atRelease[0] = atRelease("models/churn", [], {
      references: {
        monitoring: "models/churn/MONITORING.md",
        rollback: "models/churn/ROLLBACK.md",
        human_oversight: null,
      },
    });
    const json = releaseReportJson(decideRelease(input)) as { artifacts: Array<{ references: object }> };
    const references = json.artifacts[0]?.references ?? {};
    expect(references).toEqual({
      privacy: null,
      rollback: "models/churn/ROLLBACK.md",
      monitoring: "models/churn/MONITORING.md",
      human_oversight: null,
    });
    expect(Object.keys(references)).toEqual(["privacy", "rollback", "monitoring", "human_oversight"]);
  });

  it("is the asset readiness-report.json, parseable", () => {
    const files = releaseReportFiles(decideRelease(readyRelease()), renderer);
    expect(files.map((f) => f.name)).toEqual(["readiness-report.md", "readiness-report.json"]);
    expect(JSON.parse(files[1]?.content ?? "").verdict).toBe("ready");
  });
});

describe("the draft release's body", () => {
  const unready = decideRelease(unreadyRelease());

  it("puts the reasons at the top and keeps the original notes below", () => {
    const body = draftReleaseBody("## What's new\n\nA better churn model.", unready);
    expect(body.indexOf("Readiness gate: not ready")).toBeLessThan(body.indexOf("## What's new"));
    expect(body).toContain(
      "> - prompts/support: changed through #12: was blocked when merged (audit record 41)",
    );
    expect(body).toContain("then publish the release again: the app never publishes it for you");
    expect(body.endsWith("## What's new\n\nA better churn model.")).toBe(true);
  });

  it("does not stack a second prefix on a re-run", () => {
    const once = draftReleaseBody("Notes.", unready);
    expect(draftReleaseBody(once, unready)).toBe(once);
    expect(once.match(/Readiness gate: not ready/g)).toHaveLength(1);
  });

  it("gives the notes back as they were once the release is ready", () => {
    const once = draftReleaseBody("Notes.", unready);
    expect(draftReleaseBody(once, decideRelease(readyRelease()))).toBe("Notes.");
    expect(originalNotes(once)).toBe("Notes.");
  });

  it("handles a release with no notes", () => {
    expect(draftReleaseBody(null, unready)).toMatch(/<!-- \/readiness-gate:release-reasons -->\n\n$/);
  });

  it("stays within GitHub's 125,000 characters without cutting the notes", () => {
    const input = readyRelease();
    input.atRelease = [];
    for (let n = 0; n < 5000; n++)
      input.changes.push({
        path: `models/m${n}/w.bin`,
        root: `models/m${n}`,
        kind: "model",
        commits: [sha(4)],
      });
    const notes = "n".repeat(60_000);
    const body = draftReleaseBody(notes, decideRelease(input));
    expect(body.length).toBeLessThanOrEqual(RELEASE_BODY_LIMIT);
    expect(body.endsWith(notes)).toBe(true);
    expect(body).toMatch(/> - … and \d+ more in the check run/);
  });
});

describe("the bypass issue", () => {
  const bypass = detectBypass({
    repository: "acme/models",
    ref: "refs/heads/main",
    defaultBranch: "main",
    before: sha(1),
    after: sha(4),
    pusher: "mallory",
    forced: true,
    commits: [{ sha: sha(4), pulls: [] }],
    changes: [{ path: "models/churn/weights.bin", root: "models/churn", kind: "model", commits: [sha(4)] }],
    pulls: [],
  });
  if (!bypass) throw new Error("expected a bypass");
  const issue = bypassIssue(bypass);

  it("names the artifacts, the commits and the pusher, labelled readiness-bypass", () => {
    expect(issue.title).toBe("Readiness bypass: 1 governed artifact pushed to main by @mallory");
    expect(issue.labels).toEqual([BYPASS_LABEL]);
    expect(issue.body).toContain("@mallory pushed to `main` (`0000001` → `0000004`, **forced**)");
    expect(issue.body).toContain("| `models/churn` | model | `models/churn/weights.bin` | `0000004` |");
  });

  it("carries the push's key, so the edge finds it before opening a second issue", () => {
    expect(issue.body.startsWith(bypassMarker(bypass.key))).toBe(true);
  });
});
