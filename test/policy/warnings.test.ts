import { describe, expect, it } from "vitest";
import { globWarnings } from "../../src/policy/index.js";
import { loaded, yaml } from "./helpers.js";

const REPO_FILES = [
  "models/churn/model.pkl",
  "models/churn/eval/results.json",
  "prompts/.hidden/p.txt",
  "README.md",
];

describe("globWarnings", () => {
  it("warns at the line of a roots glob that matches no directory", () => {
    const { policy, file } = loaded(yaml`
      version: 1
      artifacts:
        model:
          roots:
            - models/*
            - modles/*
    `);
    expect(globWarnings(policy, file, REPO_FILES)).toEqual([
      {
        path: ".github/readiness.yml",
        line: 6,
        column: 9,
        message: "roots glob 'modles/*' matches no directory in the repository",
      },
    ]);
  });

  it("matches roots against directories, not files, and sees dot-directories", () => {
    const { policy, file } = loaded(yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*/eval"] }
        prompt: { roots: ["prompts/*"] }
        readme: { roots: ["README.md"] }
    `);
    expect(globWarnings(policy, file, REPO_FILES).map((w) => w.message)).toEqual([
      "roots glob 'README.md' matches no directory in the repository",
    ]);
  });

  it("warns about ignore globs that match no file", () => {
    const { policy, file } = loaded(yaml`
      version: 1
      artifacts:
        model: { roots: ["models/*"], ignore: ["**/*.pkl", "**/*.mdx"] }
    `);
    expect(globWarnings(policy, file, REPO_FILES)).toEqual([
      expect.objectContaining({
        line: 3,
        message: "ignore glob '**/*.mdx' matches no file in the repository",
      }),
    ]);
  });

  it("does not warn about globs that come from a builtin pack", () => {
    const { policy, file } = loaded("version: 1\nextends: builtin:ai-production-readiness\n");
    expect(globWarnings(policy, file, REPO_FILES)).toEqual([]);
  });
});
