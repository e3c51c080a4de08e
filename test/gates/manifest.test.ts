import { describe, expect, it } from "vitest";
import { manifestGate } from "../../src/gates/manifest.js";
import { artifactAt, gateInput } from "./input.js";

const error = { path: "models/a/artifact.yml", line: 3, column: 1, message: "unknown key 'reviewd_by'" };

describe("manifest gate", () => {
  it("shows no row while the manifest is fine", async () => {
    expect(await manifestGate.check(gateInput(artifactAt("models/a")))).toBeUndefined();
  });

  it("shows no row for a removed artifact", async () => {
    const removed = artifactAt("models/a", { removed: true, manifestErrors: [error] });
    expect(await manifestGate.check(gateInput(removed))).toBeUndefined();
  });

  it("fails with each error at its line", async () => {
    const result = await manifestGate.check(gateInput(artifactAt("models/a", { manifestErrors: [error] })));
    expect(result).toMatchObject({
      gate: "manifest",
      status: "fail",
      reasons: ["models/a/artifact.yml: unknown key 'reviewd_by'"],
      fixes: ["Fix models/a/artifact.yml."],
    });
    expect(result?.locations[0]).toMatchObject({ path: "models/a/artifact.yml", line: 3, column: 1 });
  });
});
