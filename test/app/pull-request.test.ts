import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { BASE_SHA, FakeGitHub, HEAD_SHA, type Scenario } from "./fake-github.js";
import { createTestApp, pullRequestPayload } from "./harness.js";
import { baseFiles, headFiles, results, TEAMS } from "./repository.js";

afterEach(() => {
  nock.cleanAll();
});

function github(scenario: Partial<Scenario>): FakeGitHub {
  return new FakeGitHub({ base: baseFiles(), head: baseFiles(), teams: TEAMS, ...scenario });
}

describe("pull_request", () => {
  it("blocked: prints", async () => {
    const fake = github({ head: headFiles({ "models/churn/model.py": "weights = 2\n", "models/churn/ROLLBACK.md": undefined }) });
    const app = await createTestApp();
    await app.receive("pull_request", pullRequestPayload("opened"));
    console.log(fake.requests(), fake.unhandled);
    console.log(JSON.stringify(fake.checkRuns, null, 1));
  });
});
