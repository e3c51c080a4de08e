// The check every delivered webhook goes through (test/support/webhook-schema.ts): GitHub's
// payload schemas accept what GitHub sends and name exactly what is wrong with anything else.
import { describe, expect, it } from "vitest";
import { githubExamples } from "../support/webhook-examples.js";
import { assertGitHubWebhook, webhookProblems } from "../support/webhook-schema.js";

/** GitHub's example of a PR opened in an app's installation (it carries `installation`). */
function openedExample() {
  const example = githubExamples("pull_request", "opened").find((e) => e.installation);
  if (!example) throw new Error("@octokit/webhooks-examples has no pull_request.opened with installation");
  return example as Record<string, unknown> & { pull_request: Record<string, unknown> };
}

describe("webhook payloads against GitHub's schema", () => {
  it("accepts GitHub's own examples", () => {
    expect(webhookProblems("pull_request", openedExample())).toEqual([]);
    const [membership] = githubExamples("membership", "added");
    expect(webhookProblems("membership", membership)).toEqual([]);
  });

  it("names a missing required field by its path", () => {
    const payload = openedExample();
    delete payload.pull_request.head;
    expect(webhookProblems("pull_request", payload)).toContain(
      "pull_request: must have required property 'head'",
    );
  });

  it("names a field of the wrong type by its path", () => {
    const payload = openedExample();
    payload.number = String(payload.number);
    payload.pull_request.labels = [{ id: "1", name: 2 }];
    const problems = webhookProblems("pull_request", payload);
    expect(problems).toContain("number: must be integer");
    expect(problems).toContain("pull_request.labels[0].id: must be integer");
    expect(problems).toContain("pull_request.labels[0].name: must be string");
  });

  it("checks the payload against its own action's schema", () => {
    const payload = openedExample();
    payload.action = "closed";
    expect(webhookProblems("pull_request", payload)).toEqual([]); // a closed PR has the same shape
    payload.action = "edited"; // edited must say what changed
    expect(webhookProblems("pull_request", payload)).toContain(
      "pull_request.edited: must have required property 'changes'",
    );
  });

  it("refuses an event or action GitHub does not send", () => {
    expect(webhookProblems("pull_request", { ...openedExample(), action: "approved" })).toEqual([
      'GitHub sends no "pull_request.approved" webhook (not in @octokit/openapi-webhooks)',
    ]);
    expect(() => assertGitHubWebhook("pull_requests", openedExample())).toThrow(
      /GitHub sends no "pull_requests.opened" webhook/,
    );
  });

  it("throws with every problem listed", () => {
    const payload = openedExample();
    delete payload.sender;
    delete payload.repository;
    expect(() => assertGitHubWebhook("pull_request", payload)).toThrow(
      "not a pull_request.opened webhook GitHub would send:\n  pull_request.opened: must have required property 'repository'\n  pull_request.opened: must have required property 'sender'",
    );
  });
});
