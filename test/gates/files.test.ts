import { describe, expect, it } from "vitest";
import { filesGate } from "../../src/gates/files.js";
import type { TouchedArtifact } from "../../src/gates/types.js";
import { artifactAt, gateInput } from "./input.js";

describe("files gate", () => {
  const cases: Array<[string, Partial<TouchedArtifact>, string[] | undefined]> = [
    ["nothing hidden: no row", {}, undefined],
    [
      "a removed artifact: no row",
      { removed: true, hiddenEntries: [{ path: "models/a/w", kind: "symlink", changed: true }] },
      undefined,
    ],
    [
      "the root is a link",
      { rootEntry: "symlink", hiddenEntries: [{ path: "models/a", kind: "symlink", changed: true }] },
      [
        "models/a is a symbolic link (the artifact itself): the gate cannot read or bind the content it points to",
      ],
    ],
    [
      "a link the PR did not change, found through a change outside",
      { hiddenEntries: [{ path: "models/a/w", kind: "symlink", changed: false }] },
      [
        "models/a/w is a symbolic link (a path under models/a): this pull request changes files outside every governed artifact, and the link may point to them",
      ],
    ],
    [
      "a submodule under the root",
      { hiddenEntries: [{ path: "models/a/lib", kind: "submodule", changed: true }] },
      [
        "models/a/lib is a submodule (a path under models/a): its files live in another repository, where the gate cannot read or bind them",
      ],
    ],
  ];
  it.each(cases)("%s", async (_, overrides, reasons) => {
    const result = await filesGate.check(gateInput(artifactAt("models/a", overrides)));
    if (reasons === undefined) {
      expect(result).toBeUndefined();
      return;
    }
    expect(result?.status).toBe("fail");
    expect(result?.reasons).toEqual(reasons);
    expect(result?.locations).toEqual((overrides.hiddenEntries ?? []).map((e) => ({ path: e.path })));
  });
});
