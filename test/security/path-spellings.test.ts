import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { evidencePathProblem } from "../../src/evidence/manifest.js";
import { normalizeRepoPath } from "../../src/facts/repo-path.js";
import { joinUnderRoot } from "../../src/gates/evidence-paths.js";

// Plain paths skip posix.normalize and posix.join; every spelling must still name the file the
// slow way names, or evidence could be read from (or hidden at) another path than the gate shows.
const SEGMENTS = ["a", ".", "..", "", "...", ".hidden", "b.md", "x..y"];
function* spellings(): Generator<string> {
  for (const first of SEGMENTS)
    for (const second of SEGMENTS) for (const third of SEGMENTS) yield [first, second, third].join("/");
  yield* ["a", "a/", "a//b", "./a", "a/.", "a/..", "..a", "a..", ".github/readiness.yml"];
}

function slowNormal(path: string): string | undefined {
  if (path === "" || path.startsWith("/") || path.includes("\0")) return undefined;
  const normal = posix.normalize(path).replace(/\/+$/, "");
  if (normal === "." || normal === ".." || normal.startsWith("../")) return undefined;
  return normal;
}

describe("repository paths and evidence paths", () => {
  it("normalise every spelling as posix rules do, and refuse those that leave the repository", () => {
    for (const path of spellings()) expect([path, normalizeRepoPath(path)]).toEqual([path, slowNormal(path)]);
    expect(normalizeRepoPath("models/a/./eval.json")).toBe("models/a/eval.json");
    expect(normalizeRepoPath("models/../../etc/passwd")).toBeUndefined();
  });

  it("join a relative path under a root as posix.join does, keeping a folder's trailing slash", () => {
    for (const relative of spellings()) {
      expect([relative, joinUnderRoot("models/churn", relative)]).toEqual([
        relative,
        posix.join("models/churn", relative),
      ]);
      expect([relative, joinUnderRoot("", relative)]).toEqual([relative, posix.join("", relative)]);
    }
    expect(joinUnderRoot("models/churn", "eval/.eval_results/")).toBe("models/churn/eval/.eval_results/");
  });

  it("accept an evidence path only when it names something inside the artifact root, never the root", () => {
    const extra = ["a\\b", "C:/x", "c:x", "a\0b", " ", "eval/.eval_results/", "./eval/./results.json"];
    for (const relative of [...spellings(), ...extra]) {
      const folder = relative.endsWith("/");
      if (evidencePathProblem(relative, { folder }) !== undefined) continue;
      const joined = joinUnderRoot("models/churn", relative);
      expect([relative, joined.startsWith("models/churn/") && joined !== "models/churn/"]).toEqual([
        relative,
        true,
      ]);
      expect([relative, joined.includes("\\") || joined.includes("\0")]).toEqual([relative, false]);
    }
  });
});
