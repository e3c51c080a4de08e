import { describe, expect, it } from "vitest";
import { evidencePathProblem, readManifest } from "../../src/evidence/manifest.js";

const PATH = "models/churn/artifact.yml";

function errorsOf(text: string) {
  const result = readManifest(PATH, text);
  if (result.ok) throw new Error("expected the manifest to be rejected");
  return result.errors;
}

describe("readManifest", () => {
  it("reads a complete manifest", () => {
    const text = [
      "owners: ['@acme/ml-platform', alice, '@bob']",
      "tier: high",
      "data_categories: [customer_contact, payment_history]",
      "evidence:",
      "  evaluation: eval/latest.json",
      "  rollback: docs/ROLLBACK.md",
    ].join("\n");
    expect(readManifest(PATH, text)).toEqual({
      ok: true,
      value: {
        owners: ["@acme/ml-platform", "alice", "@bob"],
        tier: "high",
        data_categories: ["customer_contact", "payment_history"],
        evidence: { evaluation: "eval/latest.json", rollback: "docs/ROLLBACK.md" },
      },
    });
  });

  it("defaults data categories and evidence, and leaves the tier to the kind", () => {
    expect(readManifest(PATH, "owners: ['@acme/ml']\n")).toEqual({
      ok: true,
      value: { owners: ["@acme/ml"], data_categories: [], evidence: {} },
    });
  });

  it("requires owners, and at least one", () => {
    expect(errorsOf("tier: low\n")).toEqual([
      { path: PATH, line: 1, column: 1, message: '"owners" is required' },
    ]);
    expect(errorsOf("tier: low\nowners: []\n")).toEqual([
      { path: PATH, line: 2, column: 9, message: '"owners" needs at least one owner (@user or @org/team)' },
    ]);
  });

  it("points at an owner that is not a login or team", () => {
    expect(errorsOf("owners:\n  - '@acme/ml'\n  - acme/ml\n  - 'Jane Doe'\n")).toEqual([
      {
        path: PATH,
        line: 3,
        column: 5,
        message: expect.stringMatching(/^"owners\[1\]" must be a GitHub login/),
      },
      {
        path: PATH,
        line: 4,
        column: 5,
        message: expect.stringMatching(/^"owners\[2\]" must be a GitHub login/),
      },
    ]);
  });

  it("reports an unknown key at the key, suggesting the known one", () => {
    expect(errorsOf("owners: ['@a/b']\ntier: high\ndata_category: [pii]\n")).toEqual([
      {
        path: PATH,
        line: 3,
        column: 1,
        message: 'unknown key "data_category" (did you mean "data_categories"?)',
      },
    ]);
    expect(errorsOf("owners: ['@a/b']\nevidence:\n  rollbak: R.md\n")).toEqual([
      { path: PATH, line: 3, column: 3, message: 'unknown key "rollbak" (did you mean "rollback"?)' },
    ]);
  });

  it("reads an evidence key for any name a document gate may take, and no other", () => {
    const read = readManifest(
      PATH,
      "owners: ['@a/b']\nevidence:\n  monitoring: docs/watch.md\n  data_lineage: l.yml\n",
    );
    expect(read.ok && read.value.evidence).toEqual({ monitoring: "docs/watch.md", data_lineage: "l.yml" });
    for (const key of ["approvals", "Monitoring", "rollbacks"])
      expect(errorsOf(`owners: ['@a/b']\nevidence:\n  ${key}: R.md\n`)).toEqual([
        expect.objectContaining({
          path: PATH,
          line: 3,
          message: expect.stringMatching(`^unknown key "${key}"`),
        }),
      ]);
  });

  it("rejects a tier that does not exist, naming the choices", () => {
    expect(errorsOf("owners: ['@a/b']\ntier: critical\n")).toEqual([
      { path: PATH, line: 2, column: 7, message: '"tier" must be one of low, medium, high, not "critical"' },
    ]);
  });

  it("names the wrong type", () => {
    expect(errorsOf("owners: '@a/b'\n")).toEqual([
      { path: PATH, line: 1, column: 9, message: '"owners" must be a list, not text "@a/b"' },
    ]);
  });

  it("reports YAML syntax errors, duplicate keys, empty files and non-mappings with a location", () => {
    expect(errorsOf("owners: [\n")[0]).toMatchObject({ path: PATH, line: expect.any(Number) });
    expect(errorsOf("owners: ['@a']\nowners: ['@b']\n")[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining("duplicate key"),
    });
    expect(errorsOf("")).toEqual([{ path: PATH, line: 1, column: 1, message: "the manifest is empty" }]);
    expect(errorsOf("- '@a/b'\n")).toEqual([
      { path: PATH, line: 1, column: 1, message: "the manifest must be a mapping of keys" },
    ]);
  });

  it("accepts an escaping evidence path, which fails only its own gate", () => {
    const result = readManifest(PATH, "owners: ['@a/b']\nevidence: { privacy: ../other/privacy.yml }\n");
    expect(result.ok && result.value.evidence.privacy).toBe("../other/privacy.yml");
  });
});

describe("evidencePathProblem", () => {
  it.each([
    ["../x", /leaves the artifact root/],
    ["a/../../x", /leaves the artifact root/],
    ["./../x", /leaves the artifact root/],
    ["/etc/passwd", /is absolute/],
    ["C:\\evidence\\r.json", /absolute Windows path/],
    ["c:/evidence/r.json", /absolute Windows path/],
    ["\\\\server\\share\\r.json", /backslash/],
    ["eval\\..\\..\\r.json", /backslash/],
    ["", /is empty/],
    ["   ", /is empty/],
    ["eval/..", /artifact root itself/],
    ["eval/", /names a folder/],
  ])("refuses %j", (path, reason) => {
    expect(evidencePathProblem(path)).toMatch(reason);
  });

  it.each([
    "eval/../eval/r.json",
    "eval/results.json",
    "./ROLLBACK.md",
    "a/b/../c.yml",
    "privacy-review.yml",
  ])("accepts %j", (path) => {
    expect(evidencePathProblem(path)).toBeUndefined();
  });
});
