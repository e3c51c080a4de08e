// Class 5: whatever sits under a governed root is governed. A PR author must not get a model past
// the gate by making it a symbolic link, a submodule or a single file, nor by changing what an
// existing link in an artifact points to.
import { describe, expect, it } from "vitest";
import type { Facts } from "../../src/facts/types.js";
import { baseFiles, gate, headFiles, results, run } from "../engine/scenario.js";

const PINNED = "c".repeat(40);

function gatesOf(e: Awaited<ReturnType<typeof run>>, root: string) {
  return e.artifacts.find((a) => a.root === root)?.gates.map((g) => `${g.gate}:${g.status}`);
}

describe("a model hidden behind a symbolic link or a submodule", () => {
  it("blocks a new model added as a symlinked directory (models/fraud -> ../shadow/fraud)", async () => {
    const e = await run({
      head: headFiles({
        "shadow/fraud/model.py": "weights = 'unreviewed'\n",
        "models/fraud": { symlink: "../shadow/fraud" },
      }),
    });
    expect(e.verdict).toBe("blocked");
    expect(gatesOf(e, "models/fraud")).toEqual(["files:fail"]);
    expect(gate(e, "models/fraud", "files").reasons).toEqual([
      "models/fraud is a symbolic link (the artifact itself): the gate cannot read or bind the content it points to",
    ]);
    expect(gate(e, "models/fraud", "files").fixes).toEqual([
      "Replace the symbolic link models/fraud with the files it points to.",
    ]);
  });

  it("blocks a model added as a submodule at models/llm", async () => {
    const e = await run({ head: headFiles({ "models/llm": { submodule: PINNED } }) });
    expect(e.verdict).toBe("blocked");
    expect(gatesOf(e, "models/llm")).toEqual(["files:fail"]);
    expect(gate(e, "models/llm", "files").reasons[0]).toMatch(
      /^models\/llm is a submodule \(the artifact itself\): its files live in another repository/,
    );
  });

  it("blocks a submodule bumped to another commit inside an existing artifact, even with fresh results", async () => {
    const base = { ...baseFiles(), "models/churn/vendor": { submodule: PINNED } };
    const e = await run({
      base,
      head: headFiles(
        {
          "models/churn/vendor": { submodule: "d".repeat(40) },
          "models/churn/eval/results.json": results(0.95),
        },
        base,
      ),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "files").reasons[0]).toMatch(
      /^models\/churn\/vendor is a submodule \(a path under models\/churn\)/,
    );
  });

  it("blocks a symlink added inside an artifact, even with fresh results", async () => {
    const e = await run({
      head: headFiles({
        "models/churn/weights.bin": { symlink: "../../shadow/weights.bin" },
        "models/churn/eval/results.json": results(0.95),
      }),
    });
    expect(e.verdict).toBe("blocked");
    expect(gatesOf(e, "models/churn")).toEqual([
      "files:fail",
      "ownership:pass",
      "evaluation:pass",
      "privacy:pass",
      "rollback:pass",
    ]);
    expect(gate(e, "models/churn", "files").locations).toEqual([{ path: "models/churn/weights.bin" }]);
  });

  it("blocks a symlink added where the kind's ignore globs match (prompts ignore **/*.md)", async () => {
    const e = await run({
      head: headFiles({ "prompts/support/NOTES.md": { symlink: "../../shadow/prompt.txt" } }),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "prompts/support", "files").reasons[0]).toMatch(
      /^prompts\/support\/NOTES.md is a symbolic link/,
    );
  });
});

describe("a change to what an existing link in an artifact points to", () => {
  const withLink = () => ({
    ...baseFiles(),
    "models/churn/weights.bin": { symlink: "../../shared/weights.bin" },
    "shared/weights.bin": "v1",
  });

  it("touches and blocks the artifact when the PR changes only the link's target outside it", async () => {
    const base = withLink();
    const e = await run({ base, head: headFiles({ "shared/weights.bin": "v2, never evaluated" }, base) });
    expect(e.verdict).toBe("blocked");
    expect(e.artifacts.map((a) => a.root)).toEqual(["models/churn"]);
    expect(gate(e, "models/churn", "files").reasons).toEqual([
      "models/churn/weights.bin is a symbolic link (a path under models/churn): this pull request changes files outside every governed artifact, and the link may point to them",
    ]);
  });

  it("lists the base tree only when a change lies outside every governed artifact", async () => {
    const listed: string[] = [];
    const watch = (facts: Facts): Facts => ({
      ...facts,
      listFiles: (side, dir) => {
        listed.push(`${side}:${dir}`);
        return facts.listFiles(side, dir);
      },
    });
    await run({
      head: headFiles({
        "models/churn/model.py": "w = 2\n",
        "models/churn/eval/results.json": results(0.95),
      }),
      wrap: watch,
    });
    expect(listed).toEqual([]);
    await run({ head: headFiles({ "src/app.py": "print('bye')\n" }), wrap: watch });
    expect(listed).toEqual(["base:"]);
  });

  it("blocks, with the reason, when the base tree cannot be listed to look for such links", async () => {
    const e = await run({
      head: headFiles({ "src/app.py": "print('bye')\n" }),
      wrap: (facts) => ({
        ...facts,
        listFiles: () =>
          Promise.reject(new Error("GitHub cannot list the directory /: it has too many entries")),
      }),
    });
    expect(e.verdict).toBe("blocked");
    expect(e.errors[0]?.message).toMatch(
      /^the base tree could not be listed to find symbolic links under governed roots.*too many entries$/,
    );
  });
});

describe("a path the root glob matches is an artifact, file or directory", () => {
  it("blocks a single file models/evil.onnx, saying it cannot hold its evidence", async () => {
    const e = await run({ head: headFiles({ "models/evil.onnx": "onnx bytes" }) });
    expect(e.verdict).toBe("blocked");
    expect(gatesOf(e, "models/evil.onnx")).toEqual([
      "ownership:fail",
      "evaluation:fail",
      "privacy:fail",
      "rollback:fail",
    ]);
    expect(gate(e, "models/evil.onnx", "ownership").reasons).toEqual([
      "models/evil.onnx is a single file, so it cannot hold its artifact.yml",
    ]);
    expect(gate(e, "models/evil.onnx", "evaluation").reasons).toEqual([
      "models/evil.onnx is a single file, so it cannot hold its evaluation evidence (models/evil.onnx/eval/results.json)",
    ]);
  });
});
