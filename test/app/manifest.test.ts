// app.yml asks for exactly the events the app handles and no more permission than it uses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8"));

describe("app.yml", () => {
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
      ].sort(),
    );
  });

  it("asks for least privilege", () => {
    expect(manifest.default_permissions).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "read",
      issues: "write",
      members: "read",
      metadata: "read",
      merge_queues: "read",
    });
  });
});
