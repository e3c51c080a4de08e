// app.yml asks for exactly the events the app handles and no more permission than it uses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const text = readFileSync(new URL("../../app.yml", import.meta.url), "utf8");
const manifest = parse(text);

describe("app.yml", () => {
  it("holds no apostrophe and no ampersand, which the setup page's HTML attribute would not keep", () => {
    // Probot writes the manifest into value='…' unescaped (test/app/setup-mode.test.ts posts it).
    const lines = text
      .split("\n")
      .flatMap((line, i) => (/['&]/.test(line) ? [`line ${i + 1}: ${line}`] : []));
    expect(lines).toEqual([]);
  });

  it("subscribes to exactly the events with handlers", () => {
    expect([...manifest.default_events].sort()).toEqual(
      [
        "check_run",
        "check_suite",
        "issue_comment",
        "membership",
        "merge_group",
        "pull_request",
        "pull_request_review",
        "push",
        "release",
        "deployment_protection_rule",
      ].sort(),
    );
  });

  it("asks for least privilege", () => {
    expect(manifest.default_permissions).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "write",
      issues: "write",
      members: "read",
      metadata: "read",
      merge_queues: "read",
      actions: "read",
      deployments: "write",
    });
  });
});
