import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/app/events/command.js";
import { overrideMarker, parseOverrideMarker } from "../../src/app/override-marker.js";
import { BOT_LOGIN, HEAD_SHA } from "./fake-github.js";
import { commentPayload, createTestApp } from "./harness.js";
import { headFiles, retrainedModelGitHub, TEAMS } from "./repository.js";

afterEach(() => {
  nock.cleanAll();
});

// Evidence holds, the compliance approval is missing: `action_required` until someone overrides.
const github = retrainedModelGitHub;

describe("/readiness override", () => {
  it("accepts an override by a governance team member: follow-up issue, reply with marker, success", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive(
      "issue_comment",
      commentPayload("/readiness override Hotfix for the outage, INC-42", "gina"),
    );

    expect(fake.issues).toHaveLength(1);
    expect(fake.issues[0]).toMatchObject({
      labels: ["readiness-override"],
      title: "Readiness override on #7: follow up",
    });
    expect(fake.issues[0].body).toContain("Hotfix for the outage, INC-42");

    const [reply] = fake.called("POST", "/repos/acme/app/issues/7/comments");
    const override = parseOverrideMarker(reply?.body.body);
    expect(override).toEqual({
      by: "gina",
      reason: "Hotfix for the outage, INC-42",
      headSha: HEAD_SHA,
      at: "2026-11-21T12:00:00.000Z",
      expiresAt: "2026-11-22T12:00:00.000Z",
    });
    expect(reply?.body.body).toContain(`Follow-up: #${fake.issues[0].number}`);

    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body).toMatchObject({ conclusion: "success", output: { title: "Overridden by @gina" } });
    expect(fake.unhandled).toEqual([]);
  });

  it("records a redelivered override comment once", async () => {
    const fake = github();
    const app = await createTestApp();
    const payload = commentPayload("/readiness override Hotfix, INC-42", "gina");
    await app.receive("issue_comment", payload);
    await app.receive("issue_comment", payload);
    expect(fake.issues).toHaveLength(1);
    expect(fake.called("POST", "/repos/acme/app/issues/7/comments")).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });

  it("keeps the override through a recheck, reading it back from the bot's own comment", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness override Hotfix, INC-42", "gina"));
    await app.receive("issue_comment", commentPayload("/readiness recheck", "dana"));
    const [update] = fake.called("PATCH", /check-runs/);
    expect(update?.body).toMatchObject({ conclusion: "success", output: { title: "Overridden by @gina" } });
  });

  it("ignores an override marker pasted by someone other than the bot", async () => {
    const marker = overrideMarker({
      by: "gina",
      reason: "fake",
      headSha: HEAD_SHA,
      at: "2026-11-21T11:00:00Z",
      expiresAt: "2026-11-30T00:00:00Z",
    });
    const fake = github({ comments: [{ user: { login: "dana", type: "User" }, body: marker }] });
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness recheck", "dana"));
    const [create] = fake.called("POST", "/repos/acme/app/check-runs");
    expect(create?.body.conclusion).toBe("action_required");
  });

  it("refuses an override by the pull request's author and changes nothing", async () => {
    const fake = github({ teams: { ...TEAMS, "acme/ai-governance": ["gina", "dana"] } });
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness override I know what I am doing", "dana"));
    const [reply] = fake.called("POST", "/repos/acme/app/issues/7/comments");
    expect(reply?.body.body).toBe(
      "@dana the readiness override was refused: the author of a pull request cannot override its readiness gate. Nothing changed.",
    );
    expect(fake.issues).toEqual([]);
    expect(fake.called("POST", /check-runs/)).toEqual([]);
    expect(fake.called("PATCH", /check-runs/)).toEqual([]);
  });

  it("refuses an override by someone outside the override teams", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness override please", "mallory"));
    const [reply] = fake.called("POST", "/repos/acme/app/issues/7/comments");
    expect(reply?.body.body).toContain("only active members of @acme/ai-governance can override");
    expect(fake.issues).toEqual([]);
  });

  it("refuses an override without a reason", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness override   ", "gina"));
    const [reply] = fake.called("POST", "/repos/acme/app/issues/7/comments");
    expect(reply?.body.body).toContain("a reason with visible text is required");
    expect(fake.issues).toEqual([]);
  });

  it("refuses an override whose reason is only zero-width characters, and changes nothing", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive(
      "issue_comment",
      commentPayload("/readiness override \u200b\u200c\u2060\ufeff", "gina"),
    );
    const [reply] = fake.called("POST", "/repos/acme/app/issues/7/comments");
    expect(reply?.body.body).toBe(
      "@gina the readiness override was refused: a reason with visible text is required: `/readiness override <reason>`. Nothing changed.",
    );
    expect(fake.issues).toEqual([]);
    expect(fake.called("POST", /check-runs/)).toEqual([]);
  });

  it("refuses an override by someone who authored a commit of the pull request, team member or not", async () => {
    const fake = github({ commitAuthors: ["dana", "gina"] });
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness override Hotfix, INC-42", "gina"));
    const [reply] = fake.called("POST", "/repos/acme/app/issues/7/comments");
    expect(reply?.body.body).toContain(
      "an author, co-author or committer of a commit in this pull request cannot override",
    );
    expect(fake.issues).toEqual([]);
    expect(fake.called("POST", /check-runs/)).toEqual([]);
  });

  it("says nothing in a repository without a policy", async () => {
    const base = headFiles({ ".github/readiness.yml": undefined });
    const fake = github({ base, head: base });
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness override please", "gina"));
    expect(
      fake.called("POST", /.*/).filter((c) => !c.path.includes("access_tokens") && c.path !== "/graphql"),
    ).toEqual([]);
  });
});

describe("/readiness recheck", () => {
  it("re-evaluates the pull request", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("/readiness recheck", "dana"));
    expect(fake.called("POST", "/repos/acme/app/check-runs")).toHaveLength(1);
  });

  it("ignores other comments, bots and plain issues", async () => {
    const fake = github();
    const app = await createTestApp();
    await app.receive("issue_comment", commentPayload("looks good to me", "dana"));
    const bot = commentPayload("/readiness recheck", BOT_LOGIN);
    bot.comment.user.type = "Bot";
    await app.receive("issue_comment", bot);
    const issue = commentPayload("/readiness recheck", "dana");
    delete issue.issue.pull_request;
    await app.receive("issue_comment", issue);
    expect(fake.calls).toEqual([]);
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
    const override = { by: "gina", reason: "x --> <b>", headSha: HEAD_SHA, at: "a", expiresAt: "b" };
    const marker = overrideMarker(override);
    expect(marker.indexOf("-->")).toBe(marker.length - 3);
    expect(parseOverrideMarker(`text\n${marker}\nmore`)).toEqual(override);
  });
});
