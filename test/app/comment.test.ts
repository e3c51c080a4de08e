// Commands in pull request comments, on the GitHub stand-in: the sample PR's evidence holds and
// the compliance approval is missing, so it is `action_required` until someone overrides.
import { afterEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/app/events/command.js";
import { overrideMarker, parseOverrideMarker } from "../../src/app/override-marker.js";
import type { PullRequestRecord } from "../support/github-standin/records.js";
import { expectAccepted, openPull, REPO, type Sample, sample, writes } from "./on-standin.js";
import { headFiles } from "./repository.js";

const BOT_LOGIN = "readiness-gate[bot]";

let current: Sample | undefined;

/** The sample repository with its PR (by dana), not yet evaluated. */
async function github(files?: Record<string, string>): Promise<Sample & { pr: PullRequestRecord }> {
  current = await sample(files);
  return { ...current, pr: openPull(current.gh) };
}

afterEach(async () => {
  await current?.gh.close();
  current = undefined;
});

/** `user` comments `body` on the PR, and the app receives the webhook; returns the payload. */
async function comment({ gh, app, pr }: Sample & { pr: PullRequestRecord }, body: string, user: string) {
  const added = gh.addIssueComment(REPO, pr.number, { user, body });
  const payload = app.hooks.comment(REPO, pr.number, added.id);
  await app.receive("issue_comment", payload);
  return payload;
}

/** The bot's replies on the PR, oldest first. */
const replies = ({ gh, pr }: Sample & { pr: PullRequestRecord }) =>
  (gh.repo(REPO).comments.get(pr.number) ?? []).filter((c) => c.user === BOT_LOGIN).map((c) => c.body);

const issues = ({ gh }: Sample) => [...gh.repo(REPO).issues.values()];

const checkRunWrites = ({ gh }: Sample) => writes(gh).filter((w) => w.includes("/check-runs"));

describe("/readiness override", () => {
  it("accepts an override by a governance team member: follow-up issue, reply with marker, success", async () => {
    const s = await github();
    await comment(s, "/readiness override Hotfix for the outage, INC-42", "gina");

    expect(issues(s)).toHaveLength(1);
    const [issue] = issues(s);
    expect(issue).toMatchObject({
      labels: ["readiness-override"],
      title: `Readiness override on #${s.pr.number}: follow up`,
    });
    expect(issue?.body).toContain("Hotfix for the outage, INC-42");

    const [reply] = replies(s);
    expect(parseOverrideMarker(reply ?? "")).toEqual({
      by: "gina",
      reason: "Hotfix for the outage, INC-42",
      headSha: s.pr.head.sha,
      at: "2026-11-21T12:00:00.000Z",
      expiresAt: "2026-11-22T12:00:00.000Z",
    });
    expect(reply).toContain(`Follow-up: #${issue?.number}`);

    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run).toMatchObject({ conclusion: "success", output: { title: "Overridden by @gina" } });
    expectAccepted(s.gh);
  });

  it("records a redelivered override comment once", async () => {
    const s = await github();
    const payload = await comment(s, "/readiness override Hotfix, INC-42", "gina");
    await s.app.receive("issue_comment", payload);
    expect(issues(s)).toHaveLength(1);
    expect(replies(s)).toHaveLength(1);
    expect(s.app.runs(REPO, s.pr.head.sha)).toHaveLength(1);
  });

  it("keeps the override through a recheck, reading it back from the bot's own comment", async () => {
    const s = await github();
    await comment(s, "/readiness override Hotfix, INC-42", "gina");
    await comment(s, "/readiness recheck", "dana");
    const run = s.app.shown(REPO, s.pr.head.sha);
    expect(run.writes).toBe(2);
    expect(run).toMatchObject({ conclusion: "success", output: { title: "Overridden by @gina" } });
  });

  it("ignores an override marker pasted by someone other than the bot", async () => {
    const s = await github();
    const marker = overrideMarker({
      by: "gina",
      reason: "fake",
      headSha: s.pr.head.sha,
      at: "2026-11-21T11:00:00Z",
      expiresAt: "2026-11-30T00:00:00Z",
    });
    s.gh.addIssueComment(REPO, s.pr.number, { user: "dana", body: marker });
    await comment(s, "/readiness recheck", "dana");
    expect(s.app.shown(REPO, s.pr.head.sha).conclusion).toBe("action_required");
  });

  it("refuses an override by the pull request's author and changes nothing", async () => {
    const s = await github();
    s.gh.addTeamMember("acme", "ai-governance", "dana");
    await comment(s, "/readiness override I know what I am doing", "dana");
    expect(replies(s)).toEqual([
      "@dana the readiness override was refused: the author of a pull request cannot override its readiness gate. Nothing changed.",
    ]);
    expect(issues(s)).toEqual([]);
    expect(checkRunWrites(s)).toEqual([]);
    expectAccepted(s.gh);
  });

  it("refuses an override by someone outside the override teams", async () => {
    const s = await github();
    await comment(s, "/readiness override please", "mallory");
    expect(replies(s)).toHaveLength(1);
    expect(replies(s)[0]).toContain("only active members of @acme/ai-governance can override");
    expect(issues(s)).toEqual([]);
  });

  it("refuses an override without a reason", async () => {
    const s = await github();
    await comment(s, "/readiness override   ", "gina");
    expect(replies(s)).toHaveLength(1);
    expect(replies(s)[0]).toContain("a reason with visible text is required");
    expect(issues(s)).toEqual([]);
  });

  it("refuses an override whose reason is only zero-width characters, and changes nothing", async () => {
    const s = await github();
    await comment(s, "/readiness override \u200b\u200c\u2060\ufeff", "gina");
    expect(replies(s)).toEqual([
      "@gina the readiness override was refused: a reason with visible text is required: `/readiness override <reason>`. Nothing changed.",
    ]);
    expect(issues(s)).toEqual([]);
    expect(checkRunWrites(s)).toEqual([]);
  });

  it("refuses an override by someone who authored a commit of the pull request, team member or not", async () => {
    current = await sample();
    const { gh } = current;
    gh.commit(REPO, {
      branch: "retrain",
      parent: "main",
      author: "gina",
      files: { "README.md": "# app\n\n" },
    });
    const s = { ...current, pr: openPull(gh) };
    await comment(s, "/readiness override Hotfix, INC-42", "gina");
    expect(replies(s)).toHaveLength(1);
    expect(replies(s)[0]).toContain(
      "an author, co-author or committer of a commit in this pull request cannot override",
    );
    expect(issues(s)).toEqual([]);
    expect(checkRunWrites(s)).toEqual([]);
  });

  it("says nothing in a repository without a policy", async () => {
    const s = await github(headFiles({ ".github/readiness.yml": undefined }));
    await comment(s, "/readiness override please", "gina");
    expect(writes(s.gh)).toEqual([]);
    expect(replies(s)).toEqual([]);
  });
});

describe("/readiness recheck", () => {
  it("re-evaluates the pull request", async () => {
    const s = await github();
    await comment(s, "/readiness recheck", "dana");
    expect(s.app.runs(REPO, s.pr.head.sha)).toHaveLength(1);
    expectAccepted(s.gh);
  });

  it("ignores other comments, bots and plain issues", async () => {
    const s = await github();
    await comment(s, "looks good to me", "dana");
    s.gh.addUser(BOT_LOGIN, { type: "Bot" });
    await comment(s, "/readiness recheck", BOT_LOGIN);
    const onIssue = s.app.hooks.comment(
      REPO,
      s.pr.number,
      s.gh.addIssueComment(REPO, s.pr.number, { user: "dana", body: "/readiness recheck" }).id,
    ) as { issue: Record<string, unknown> };
    delete onIssue.issue.pull_request;
    await s.app.receive("issue_comment", onIssue);
    expect(s.gh.requests).toEqual([]);
  });
});

describe("commands and markers", () => {
  it("parses commands at the start of a comment", () => {
    expect(parseCommand("/readiness recheck")).toEqual({ kind: "recheck" });
    expect(parseCommand("  /readiness override  Hotfix\nsecond line ")).toEqual({
      kind: "override",
      reason: "Hotfix\nsecond line",
    });
    expect(parseCommand("/readiness overrides x")).toBeUndefined();
    expect(parseCommand("please /readiness recheck")).toBeUndefined();
  });

  it("keeps a reason that tries to close the HTML comment inside the marker", () => {
    const override = { by: "gina", reason: "x --> <b>", headSha: "c".repeat(40), at: "a", expiresAt: "b" };
    const marker = overrideMarker(override);
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(parseOverrideMarker(`text\n${marker}\nmore`)).toEqual(override);
  });
});
