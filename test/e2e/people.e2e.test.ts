// End to end, the people rules (issue 8, classes 8, 9, 10 and 11): the built app against the GitHub
// stand-in, attacked as a pull request's author would. Owners must belong to the organisation; a
// policy edit without `policy_admins` needs a repository admin; a co-author is a commit author; an
// override by a commit author or with an invisible reason is refused; a stale payload's base is
// not the base. GitHub must have accepted every request the app sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addSampleOrg, baseFiles, OWNERS_POLICY, POLICY, results } from "./fixtures.js";
import { buildApp, E2E, expectClean, waitFor } from "./harness.js";

let e2e: E2E;
const BOT = () => `${e2e.gh.app.slug}[bot]`;

beforeAll(async () => {
  buildApp();
  e2e = await E2E.start();
  addSampleOrg(e2e.gh);
  e2e.gh.addOrgMember("acme", "dana");
  e2e.gh.addOrgMember("acme", "olga", "owner");
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

beforeEach(() => {
  e2e.gh.clearFaults();
  e2e.gh.clearLog();
});

function governedRepo(name: string, policy = POLICY): string {
  const full = `acme/${name}`;
  e2e.gh.addRepo(full, { files: { ...baseFiles(), ".github/readiness.yml": policy }, author: "alice" });
  return full;
}

/** `user` reviews the PR's head; resolves once the app wrote the run again. */
async function review(repo: string, number: number, user: string) {
  const writes = e2e.runWrites(repo, number);
  const r = e2e.gh.addReview(repo, number, { user, state: "APPROVED" });
  await e2e.reviewEvent(repo, number, r.id);
  return e2e.waitForWrite(repo, number, writes);
}

/** `user` comments `body`; resolves with the app's reply. */
async function command(repo: string, number: number, user: string, body: string) {
  const before = (e2e.repo(repo).comments.get(number) ?? []).length;
  const comment = e2e.gh.addIssueComment(repo, number, { user, body });
  await e2e.commentEvent(repo, number, comment.id);
  return waitFor("the app's reply", () =>
    (e2e.repo(repo).comments.get(number) ?? []).slice(before).find((c) => c.user === BOT()),
  );
}

describe("people rules, end to end", { timeout: 60_000 }, () => {
  it("class 8: an outside collaborator named as owner fails ownership, and approving as owner does not help", async () => {
    const repo = governedRepo("sock-owner", OWNERS_POLICY);
    e2e.gh.addCollaborator(repo, "mallory-sock", "write"); // a real account, outside the org
    const pr = e2e.gh.openPullRequest(repo, {
      head: "fraud",
      user: "dana",
      files: {
        "models/fraud/artifact.yml": 'owners: ["@mallory-sock"]\n',
        "models/fraud/model.py": "w = 1\n",
      },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("failure");
    expect(first.output.summary ?? "").toMatch(/@mallory-sock is not an active member or a team/);

    const after = await review(repo, pr.number, "mallory-sock");
    expect(after.conclusion).toBe("failure");
    expect(after.output.summary ?? "").toMatch(/Artifact owner\*\*: 1 more approval needed/);
    await expectClean(e2e);
  });

  it("class 9: a policy replaced by `version: 1` without policy_admins waits for a repository admin", async () => {
    const noAdmins = `version: 1
artifacts:
  model: { roots: ["models/*"], tier: high }
gates:
  evaluation:
    file: eval/results.json
    thresholds:
      - { metric: accuracy, min: 0.90 }
`;
    const repo = governedRepo("gut-policy", noAdmins);
    e2e.gh.addCollaborator(repo, "wes", "write");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "gut",
      user: "dana",
      files: { ".github/readiness.yml": "version: 1\n" },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    const first = await e2e.waitForRun(repo, pr.number);
    expect(first.conclusion).toBe("action_required");

    expect((await review(repo, pr.number, "wes")).conclusion).toBe("action_required"); // write, not admin
    expect((await review(repo, pr.number, "olga")).conclusion).toBe("success"); // an org owner
    await expectClean(e2e);
  });

  it("class 10: a co-author's approval does not count", async () => {
    const repo = governedRepo("co-author");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "retrain",
      user: "alice",
      coAuthors: ["carol"],
      files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.95) },
    });
    await e2e.pullRequestEvent(repo, pr.number);
    expect((await e2e.waitForRun(repo, pr.number)).conclusion).toBe("action_required");

    const after = await review(repo, pr.number, "carol");
    expect(after.conclusion).toBe("action_required");
    expect(after.output.summary ?? "").toMatch(/@carol's approval does not count/);
    expect((await review(repo, pr.number, "dora")).conclusion).toBe("success");
    await expectClean(e2e);
  });

  it("class 10: refuses an override by a commit author, and one whose reason is invisible", async () => {
    const repo = governedRepo("override-rules");
    e2e.gh.addTeamMember("acme", "ai-governance", "hugo");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "retrain",
      user: "alice",
      files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.5) },
    });
    // gina, on the override team, pushes a commit of her own to the PR.
    e2e.gh.commit(repo, { branch: "retrain", author: "gina", files: { "models/churn/notes.md": "tuned\n" } });
    await e2e.pullRequestEvent(repo, pr.number);
    const blocked = await e2e.waitForRun(repo, pr.number);
    expect(blocked.conclusion).toBe("failure");

    const own = await command(repo, pr.number, "gina", "/readiness override Hotfix for the outage");
    expect(own.body).toMatch(/refused: an author, co-author or committer of a commit in this pull request/);
    const invisible = await command(repo, pr.number, "hugo", "/readiness override \u200b\u200c\u2060\ufeff");
    expect(invisible.body).toMatch(/refused: a reason with visible text is required/);
    await expectClean(e2e);
    expect([...e2e.repo(repo).issues.values()]).toEqual([]);
    const runs = e2e.runs(repo, pr.number);
    expect(runs.map((r) => r.conclusion)).toEqual(["failure"]);
  });

  it("class 11: a payload whose base SHA is stale is judged at the base branch's current tip", async () => {
    const repo = governedRepo("stale-base");
    const pr = e2e.gh.openPullRequest(repo, {
      head: "retrain",
      user: "alice",
      files: { "models/churn/model.py": "weights = 2\n", "models/churn/eval/results.json": results(0.92) },
    });
    e2e.gh.addReview(repo, pr.number, { user: "carol", state: "APPROVED" });
    const stale = e2e.pullRequestPayload(repo, pr.number, "synchronize");
    // The governance team tightens the threshold on main after GitHub built that payload.
    e2e.gh.commit(repo, {
      author: "alice",
      files: { ".github/readiness.yml": POLICY.replace("min: 0.90", "min: 0.95") },
    });
    await e2e.send("pull_request", stale);
    const run = await e2e.waitForRun(repo, pr.number);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary ?? "").toMatch(/0\.95/);
    await expectClean(e2e);
  });
});
