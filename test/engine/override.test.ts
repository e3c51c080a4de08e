// Who may override, and until when: the pure decision behind `/readiness override <reason>`,
// table-tested with hand-filled people (no Probot, no HTTP).
import { describe, expect, it } from "vitest";
import { decideOverride, hasVisibleText, type OverrideRequest } from "../../src/engine/override.js";
import type { EffectivePolicy } from "../../src/engine/types.js";
import { loadPolicy } from "../../src/policy/load.js";
import { fakePeople, HEAD_SHA, type PeopleSpec } from "./people.js";

const NOW = new Date("2026-11-21T12:00:00Z");

function policy(overrides: string): EffectivePolicy {
  const parsed = loadPolicy(".github/readiness.yml", `version: 1\n${overrides}`, () => undefined);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return {
    ok: true,
    policy: parsed.policy,
    digest: "sha256:x",
    sources: [".github/readiness.yml"],
    warnings: [],
  };
}

const GOVERNANCE = policy('overrides: { teams: ["@acme/ai-governance"], expires_after_hours: 24 }\n');
const PEOPLE: PeopleSpec = {
  author: "dana",
  commitAuthors: ["dana", "erin"],
  teams: { "@acme/ai-governance": ["gina", "erin", "hana"] },
};

function request(by: string, reason = "Hotfix for INC-42"): OverrideRequest {
  return { by, reason, headSha: HEAD_SHA, now: NOW };
}

describe("decideOverride", () => {
  const refusals: Array<[string, OverrideRequest, EffectivePolicy, PeopleSpec, RegExp]> = [
    ["the pull request's author", request("Dana"), GOVERNANCE, PEOPLE, /the author of a pull request cannot/],
    [
      "a commit's author or co-author, though on the override team",
      request("erin"),
      GOVERNANCE,
      PEOPLE,
      /an author, co-author or committer of a commit in this pull request cannot override/,
    ],
    [
      "someone outside the override teams",
      request("mallory"),
      GOVERNANCE,
      PEOPLE,
      /only active members of @acme\/ai-governance/,
    ],
    ["an empty reason", request("gina", ""), GOVERNANCE, PEOPLE, /a reason with visible text is required/],
    [
      "a reason of zero-width characters",
      request("gina", "\u200b\u200c\u200d\u2060\ufeff"),
      GOVERNANCE,
      PEOPLE,
      /a reason with visible text is required/,
    ],
    [
      "a reason of bidirectional marks, blanks and Hangul fillers",
      request("gina", "\u200e\u202e \u00a0\u3000\u3164\u115f\u2800\t\n"),
      GOVERNANCE,
      PEOPLE,
      /a reason with visible text is required/,
    ],
    [
      "a policy without override teams",
      request("gina"),
      policy("artifacts: {}\n"),
      PEOPLE,
      /names no `overrides.teams`, so nobody can override/,
    ],
    [
      "a policy that cannot be loaded",
      request("gina"),
      { ok: false, errors: [{ path: ".github/readiness.yml", message: "bad" }], sources: [] },
      PEOPLE,
      /cannot be loaded/,
    ],
  ];

  it.each(refusals)("refuses %s", async (_what, req, effective, spec, reason) => {
    const decision = await decideOverride(req, effective, fakePeople(spec));
    expect(decision.allowed).toBe(false);
    expect(decision.allowed ? "" : decision.refusal).toMatch(reason);
  });

  it("lets another member of an override team override, until the policy's expiry", async () => {
    const decision = await decideOverride(
      request("hana", "Hotfix \u200bfor INC-42"),
      GOVERNANCE,
      fakePeople(PEOPLE),
    );
    expect(decision).toEqual({
      allowed: true,
      override: {
        by: "hana",
        reason: "Hotfix \u200bfor INC-42",
        headSha: HEAD_SHA,
        at: "2026-11-21T12:00:00.000Z",
        expiresAt: "2026-11-22T12:00:00.000Z",
      },
    });
  });

  it("takes the expiry the schema gives a policy that names none", async () => {
    const decision = await decideOverride(
      request("hana"),
      policy('overrides: { teams: ["@acme/ai-governance"] }\n'),
      fakePeople(PEOPLE),
    );
    const loaded = policy('overrides: { teams: ["@x/y"] }\n');
    const defaultHours = loaded.ok ? loaded.policy.overrides?.expires_after_hours : undefined;
    expect(defaultHours).toBeGreaterThan(0);
    expect(decision.allowed && Date.parse(decision.override.expiresAt) - NOW.getTime()).toBe(
      (defaultHours ?? 0) * 3_600_000,
    );
  });
});

describe("hasVisibleText", () => {
  it.each([
    ["x", true],
    ["INC-42", true],
    ["é", true],
    ["\u0301", false], // a combining mark on nothing
    ["\u200b", false],
    ["\ufe0f", false], // a variation selector
    ["  \u2028 ", false],
    ["🙂", true],
  ])("%j → %s", (reason, visible) => {
    expect(hasVisibleText(reason)).toBe(visible);
  });
});
