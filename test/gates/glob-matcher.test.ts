// Kinds' roots and ignore globs are tested with picomatch's compiled expressions directly; they
// must answer exactly as picomatch's own matcher does for repository paths.
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { globMatcher } from "../../src/gates/globs.js";

const GLOBS = [
  ["models/*"],
  ["services/*/models/*", "ml/**/model"],
  ["**/*.md"],
  ["**/*.tar.gz", "**/*.md"],
  ["*.md"],
  ["docs/**", "**/README*"],
  ["**/.cache/**"],
  ["models/*/notes.txt"],
  ["**/*.{png,jpg}"],
  ["a(b).txt"],
  ["**/test_*.py", "!keep.py"],
  ["src/[ab]*.py"],
  ["data/?.csv"],
];

const PATHS = [
  "",
  "models",
  "models/churn",
  "models/.hidden",
  "services/a/models/b",
  "ml/x/y/model",
  "ml/model",
  "README.md",
  "models/churn/README.md",
  "models/churn/.hidden.md",
  "models/churn/notes.txt",
  "models/churn/sub/notes.txt",
  "docs/x/y.txt",
  "a/README.rst",
  "x/.cache/blob",
  "img/a.png",
  "img/a.gif",
  "a(b).txt",
  "ab.txt",
  "tests/test_model.py",
  "keep.py",
  "src/a1.py",
  "src/c1.py",
  "data/1.csv",
  "data/10.csv",
  "models/churn/eval/results.json",
  ".md",
  "a/.md",
  "md",
  "a/md",
  "a/b.MD",
  "x.md/y",
  "a.md/",
  "a//b.md",
  "./a.md",
  "a/./b.md",
  "a/../b.md",
  "../a.md",
  "a/..md",
  "x/y.tar.gz",
  "x/y.gz",
  "x/.tar.gz",
  "prompts/support/\n.md",
  "prompts/sup\nport/x.md",
  "a/\r.md",
  "a/\u2028.md",
  "a/\u2029.md",
];

describe("globMatcher", () => {
  it.each(GLOBS.map((globs) => [globs.join(", "), globs]))("answers as picomatch does for %s", (_, globs) => {
    const ours = globMatcher(globs);
    const theirs = picomatch(globs, { dot: true });
    for (const path of PATHS) expect(ours(path), path).toBe(theirs(path));
  });
});
