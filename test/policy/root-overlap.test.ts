import { describe, expect, it } from "vitest";
import { globMatcher } from "../../src/gates/content-files.js";
import { literalPrefix, rootsMayOverlap } from "../../src/policy/root-overlap.js";

describe("literalPrefix: the folders before a root's first glob character", () => {
  it.each([
    ["models/*", ["models"]],
    ["models/fraud", ["models", "fraud"]],
    ["ml/models/[a-m]*", ["ml", "models"]],
    ["*", []],
    ["**/models/*", []],
    ["{models,tmp}/x", []],
    ["m[o]dels", []],
    ["!models", []],
    ["@(a|b)/c", []],
    ["./models", []],
    ["/models", []],
    ["models/\\*", ["models"]],
    ["models//x", ["models"]],
    ["models/../x", ["models"]],
  ])("%s → %j", (glob, prefix) => {
    expect(literalPrefix(glob)).toEqual(prefix);
  });
});

describe("rootsMayOverlap", () => {
  it.each([
    ["models", "models/*", true],
    ["models/*", "models/fraud/x", true],
    ["*", "models/*", true],
    ["notebooks/*", "**/llm", true],
    ["notebooks/*", "models/*", false],
    ["models-archive/*", "models/*", false],
    ["ml/models/*", "models/*", false],
  ])("%s and %s → %s", (a, b, overlap) => {
    expect(rootsMayOverlap(a, b)).toBe(overlap);
    expect(rootsMayOverlap(b, a)).toBe(overlap);
  });
});

// The rule is only safe if a root never matches a path outside its literal prefix, with the exact
// matcher the engine uses. Random globs and paths from a small alphabet of tricky pieces.
describe("a root matches only paths under its literal prefix (the engine's own matcher)", () => {
  const globPieces = [
    "models",
    "fraud",
    "a",
    "b",
    "*",
    "**",
    "?",
    "mod?ls",
    "[a-m]*",
    "m[o]dels",
    "{models,b}",
    "{a,b}",
    "@(a|models)",
    "!(a)",
    "+(a)",
    "!models",
    "\\*",
    ".",
    "..",
    "",
    "models*",
    "*els",
    "a.b",
    "c++",
  ];
  const pathPieces = ["models", "fraud", "a", "b", "x", "models*", "*", "m", "a.b", ".git", "c++", "{a,b}"];
  // mulberry32: a small seeded generator, so a failure reproduces.
  let seed = 42;
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  const pick = (pieces: string[], max: number) =>
    Array.from({ length: 1 + random(max) }, () => pieces[random(pieces.length)]).join("/");

  it("holds for 2,000 random roots against 200 random paths each", () => {
    const paths = Array.from({ length: 200 }, () => pick(pathPieces, 4));
    const violations: string[] = [];
    let matched = 0;
    for (let i = 0; i < 2000; i++) {
      const glob = pick(globPieces, 3);
      if (glob === "") continue; // the schema refuses empty globs
      const matches = globMatcher([glob]);
      const prefix = literalPrefix(glob);
      for (const path of paths) {
        if (!matches(path)) continue;
        matched++;
        const folders = path.split("/");
        if (!prefix.every((folder, j) => folders[j] === folder)) violations.push(`${glob} matches ${path}`);
      }
    }
    expect(violations).toEqual([]);
    // The sample is not vacuous: many roots match many paths.
    expect(matched).toBeGreaterThan(1000);
  });
});
