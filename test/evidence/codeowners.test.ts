import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODEOWNERS_LOCATIONS, ownersOf, parseCodeowners } from "../../src/evidence/codeowners.js";

const real = (name: string) => readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), "utf8");

function ownersIn(text: string) {
  const { codeowners, errors } = parseCodeowners("CODEOWNERS", text);
  expect(errors).toEqual([]);
  return (path: string) => ownersOf(codeowners, path)?.owners;
}

describe("CODEOWNERS_LOCATIONS", () => {
  it("follows GitHub's search order", () => {
    expect(CODEOWNERS_LOCATIONS).toEqual([".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]);
  });
});

describe("nodejs/node CODEOWNERS", () => {
  const { codeowners, errors } = parseCodeowners(".github/CODEOWNERS", real("node__CODEOWNERS"));
  const owners = (path: string) => ownersOf(codeowners, path)?.owners;

  it("reads every rule without errors", () => {
    expect(errors).toEqual([]);
    expect(codeowners.rules).toHaveLength(151);
    expect(codeowners.rules[0]).toEqual({
      pattern: "/.github/CODEOWNERS",
      owners: ["@nodejs/tsc"],
      line: 13,
    });
  });

  it("resolves real paths as GitHub does", () => {
    expect(ownersOf(codeowners, "lib/_stream_readable.js")).toMatchObject({
      pattern: "/lib/_stream*",
      owners: ["@nodejs/streams"],
      line: 32,
    });
    expect(owners("doc/contributing/collaborator-guide.md")).toEqual(["@nodejs/tsc"]);
    expect(owners("doc/contributing/maintaining/maintaining-openssl.md")).toEqual(["@nodejs/tsc"]);
    expect(owners("node.gyp")).toEqual(["@nodejs/gyp"]);
    expect(owners("test/addons/hello/binding.gyp")).toEqual(["@nodejs/gyp"]);
    expect(owners("tools/gyp/pylib/gyp/generator/make.py")).toEqual(["@nodejs/gyp"]);
    expect(owners("lib/https.js")).toEqual(["@nodejs/crypto", "@nodejs/net", "@nodejs/http"]);
    expect(owners("src/node_http2.cc")).toEqual(["@nodejs/http2", "@nodejs/net"]);
    expect(owners(".github/ISSUE_TEMPLATE/bug.yml")).toEqual(["@nodejs/tsc"]);
  });

  it("lets the last matching rule win", () => {
    // `/doc/contributing/**/*` (line 18) is overridden by later, more specific lines.
    expect(owners("doc/contributing/adding-new-napi-api.md")).toEqual(["@nodejs/node-api"]);
    expect(owners("doc/contributing/security-release-process.md")).toEqual(["@nodejs/security-stewards"]);
    // `*.gyp` (line 110) loses to `/tools/v8_gypfiles/*` (line 138) and to `/deps` (line 178).
    expect(owners("tools/v8_gypfiles/v8.gyp")).toEqual(["@nodejs/v8-update"]);
    expect(owners("deps/cares/cares.gyp")).toEqual(["@nodejs/security-wg"]);
    // `/deps` (line 178) loses in turn to `/deps/sqlite/` (line 205).
    expect(owners("deps/sqlite/sqlite3.c")).toEqual(["@nodejs/sqlite"]);
    expect(owners(".github/workflows/create-release-proposal.yml")).toEqual(["@nodejs/releasers"]);
    expect(owners(".github/workflows/test-linux.yml")).toEqual(["@nodejs/actions"]);
  });

  it("matches `dir/*` one level deep only and leaves unlisted files unowned", () => {
    expect(owners("lib/internal/streams/duplex.js")).toEqual(["@nodejs/streams"]);
    expect(owners("lib/internal/streams/sub/duplex.js")).toBeUndefined();
    expect(owners("README.md")).toBeUndefined();
    // Anchored: `/lib/_stream*` does not reach a nested lib folder.
    expect(owners("test/lib/_stream_x.js")).toBeUndefined();
  });
});

describe("huggingface/transformers CODEOWNERS", () => {
  it("reads column-aligned owners in order", () => {
    const owners = ownersIn(real("transformers__CODEOWNERS"));
    expect(owners("src/transformers/modeling_utils.py")).toEqual(["@ArthurZucker", "@Cyrilvallez", "@vasqu"]);
    expect(owners("src/transformers/generation/utils.py")).toEqual([
      "@Cyrilvallez",
      "@ArthurZucker",
      "@vasqu",
    ]);
    expect(owners("src/transformers/models/bert/modeling_bert.py")).toBeUndefined();
  });
});

describe("patterns", () => {
  const cases: Array<[pattern: string, path: string, matches: boolean]> = [
    ["*.js", "a.js", true],
    ["*.js", "deep/er/a.js", true],
    ["*.js", "a.jsx", false],
    ["foo", "bar/foo/baz", true],
    ["/foo", "bar/foo", false],
    ["/foo", "foo/bar/baz", true],
    ["foo/", "foo", false],
    ["foo/", "bar/foo/baz", true],
    ["/foo/", "bar/foo/baz", false],
    ["foo/bar", "baz/foo/bar", false],
    ["foo/bar", "foo/bar/baz", true],
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    ["foo/*.txt", "foo/bar/baz.txt", false],
    ["**/logs", "deep/logs/x.log", true],
    ["foo/**", "foo", false],
    ["foo/**", "foo/a/b", true],
    ["foo/**/bar", "foo/bar", true],
    ["foo/**/bar", "foo/x/y/bar/z", true],
    ["*", ".github/workflows/ci.yml", true],
    ["/*", "nested/file", false],
    ["/*", "top-level-file", true],
    ["*", "top-level-file", true],
    ["**", "a/b/c", true],
    ["/**", "a", true],
    ["**/*", "a/b", true],
    ["/*/*", "a", false],
    ["/*/*", "a/b", true],
    ["/*/*", "a/b/c", false],
    ["*/", "a/b", true],
    ["*/", "a", false],
    ["f?o", "foo", true],
    ["f?o", "f/o", false],
    ["Docs/", "docs/a.md", false],
    ["a(b).txt", "a(b).txt", true],
    ["a+b@c", "a+b@c", true],
    ["{a,b}.txt", "a.txt", false],
    ["f\\*o", "f*o", true],
    ["f\\*o", "foo", false],
    ["my\\ file.txt", "dir/my file.txt", true],
    ["**/logs/", "a/logs/x.log", true],
    ["/docs/**", "docs/a/b.md", true],
    ["/docs/**", "docs", false],
    ["*a*a*a*a*a*a*a*a*b", `${"a".repeat(80)}c`, false],
    ["/./a", "a", false],
  ];
  it.each(cases)("%s on %s → %s", (pattern, path, matches) => {
    const { codeowners, errors } = parseCodeowners("CODEOWNERS", `${pattern} @owner`);
    expect(errors).toEqual([]);
    expect(ownersOf(codeowners, path) !== undefined).toBe(matches);
  });
});

describe("parseCodeowners", () => {
  it("skips comments and blank lines, reads emails, and keeps a trailing comment out of owners", () => {
    const { codeowners, errors } = parseCodeowners(
      "CODEOWNERS",
      "# comment\r\n\r\n   # indented comment\n*.md docs@example.com @org/docs-team # reviewers\n",
    );
    expect(errors).toEqual([]);
    expect(codeowners.rules).toEqual([
      { pattern: "*.md", owners: ["docs@example.com", "@org/docs-team"], line: 4 },
    ]);
  });

  it("reads an escaped # as part of the pattern", () => {
    const owners = ownersIn("\\#notes.txt @alice\n");
    expect(owners("#notes.txt")).toEqual(["@alice"]);
  });

  it("treats a pattern without owners as un-owning those paths", () => {
    const { codeowners } = parseCodeowners("CODEOWNERS", "/apps/ @octocat\n/apps/github\n");
    expect(ownersOf(codeowners, "apps/github/x.js")).toEqual({
      pattern: "/apps/github",
      owners: [],
      line: 2,
    });
    expect(ownersOf(codeowners, "apps/other/x.js")?.owners).toEqual(["@octocat"]);
  });

  it("reports negation, character ranges and bad owners at their line and column, and skips them", () => {
    const text = "* @everyone\n!vendor/ @nobody\nsrc/*.[ch] @c-team\ndocs/ alice\n";
    const { codeowners, errors } = parseCodeowners(".github/CODEOWNERS", text);
    expect(errors).toEqual([
      { path: ".github/CODEOWNERS", line: 2, column: 1, message: expect.stringContaining("negation (!)") },
      {
        path: ".github/CODEOWNERS",
        line: 3,
        column: 1,
        message: expect.stringContaining("character ranges"),
      },
      {
        path: ".github/CODEOWNERS",
        line: 4,
        column: 7,
        message: expect.stringContaining('"alice" is not a valid owner'),
      },
    ]);
    // As on GitHub, the skipped lines do not take ownership away from the earlier rule.
    expect(ownersOf(codeowners, "vendor/lib.c")?.owners).toEqual(["@everyone"]);
    expect(ownersOf(codeowners, "docs/a.md")?.owners).toEqual(["@everyone"]);
  });

  // Speed is measured by the linear-time test (test/security) and the bench, not by a clock here.
  it("resolves each of 3,000 files against 200 rules to the last matching rule", () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? `/services/svc${i}/ @org/team-${i}` : `*.ext${i} @org/team-${i}`,
    );
    const { codeowners } = parseCodeowners("CODEOWNERS", lines.join("\n"));
    const files = Array.from({ length: 3000 }, (_, i) => `services/svc${(i % 100) * 2}/src/deep/file${i}.ts`);
    const resolved = files.map((file) => ownersOf(codeowners, file));
    expect(resolved.every((rule) => rule !== undefined)).toBe(true);
    expect(resolved[3]?.owners).toEqual(["@org/team-6"]);
  });

  it("reads an email with many dots in its domain, and refuses one with a second @, at once", () => {
    const domain = "b.".repeat(50_000);
    const { errors } = parseCodeowners("CODEOWNERS", `* a@${domain}c @x@${domain}\n`);
    expect(errors).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining("is not a valid owner") }),
    ]);
  });

  it("applies no rule of a file of 3 MB or more, which GitHub does not load", () => {
    const text = `* @everyone\n${"# padding\n".repeat(320_000)}`;
    const { codeowners, errors } = parseCodeowners("CODEOWNERS", text);
    expect(codeowners.rules).toEqual([]);
    expect(errors).toEqual([
      {
        path: "CODEOWNERS",
        line: 1,
        column: 1,
        message: `the file is ${text.length} bytes; GitHub does not load a CODEOWNERS file of 3 MB or more, so none of its rules apply`,
      },
    ]);
  });

  it("applies no rule of a file with more than 500 wildcard rules, and looks up any number of others", () => {
    const wild = Array.from({ length: 501 }, (_, i) => `/models/*/x${i}* @acme/t`).join("\n");
    const refused = parseCodeowners("CODEOWNERS", wild);
    expect(refused.codeowners.rules).toEqual([]);
    expect(refused.errors[0]?.message).toBe(
      "the file has 501 rules with wildcards (* or ?); at most 500 are read, so none of its rules apply",
    );
    const literal = Array.from({ length: 20_000 }, (_, i) => `/models/m${i}/ @acme/t${i}`).join("\n");
    const { codeowners, errors } = parseCodeowners("CODEOWNERS", literal);
    expect(errors).toEqual([]);
    expect(ownersOf(codeowners, "models/m19999/a.py")?.owners).toEqual(["@acme/t19999"]);
  });

  it("lists the first 50 lines GitHub ignores and counts the rest", () => {
    const { errors } = parseCodeowners("CODEOWNERS", "* alice\n".repeat(60));
    expect(errors).toHaveLength(51);
    expect(errors[50]?.message).toBe("and 10 more errors");
  });
});
