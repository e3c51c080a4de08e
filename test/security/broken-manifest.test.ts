// Class 7: a broken manifest fails its artifact whether or not an ownership gate is configured.
// The manifest carries the tier, the data categories and the evidence paths the other gates judge
// by: dropping a broken one silently would let a PR hide a new data category from the privacy gate.
import { describe, expect, it } from "vitest";
import { baseFiles, gate, headFiles, POLICY, run } from "../engine/scenario.js";

const WITHOUT_OWNERSHIP = POLICY.replace("  ownership:\n    codeowners: true\n", "");
const BROKEN = `owners: ["@alice"]\ndata_categories: [usage, health]\nreviewd_by: nobody\n`;

describe("a manifest the PR breaks", () => {
  it("blocks, with no ownership gate, a manifest with an unknown key that adds a data category", async () => {
    const base = { ...baseFiles(), ".github/readiness.yml": WITHOUT_OWNERSHIP };
    const e = await run({ base, head: headFiles({ "models/churn/artifact.yml": BROKEN }, base) });
    expect(e.verdict).toBe("blocked");
    const manifest = gate(e, "models/churn", "manifest");
    expect(manifest.status).toBe("fail");
    expect(manifest.reasons).toHaveLength(1);
    expect(manifest.reasons[0]).toMatch(/^models\/churn\/artifact.yml: .*reviewd_by/);
    expect(manifest.locations[0]).toMatchObject({ path: "models/churn/artifact.yml", line: 3 });
    expect(manifest.fixes).toEqual(["Fix models/churn/artifact.yml."]);
  });

  it("lists the errors once, in the manifest row, when an ownership gate is configured too", async () => {
    const e = await run({ head: headFiles({ "models/churn/artifact.yml": BROKEN }) });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "manifest").reasons[0]).toMatch(/reviewd_by/);
    expect(gate(e, "models/churn", "ownership").reasons).toEqual([
      "the owners cannot be read: models/churn/artifact.yml fails the manifest check",
    ]);
  });

  it("blocks a manifest that is not UTF-8 text", async () => {
    const base = { ...baseFiles(), ".github/readiness.yml": WITHOUT_OWNERSHIP };
    const e = await run({
      base,
      head: headFiles({ "models/churn/artifact.yml": new Uint8Array([0xff, 0xfe, 0x41]) }, base),
    });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "manifest").reasons[0]).toMatch(/not valid UTF-8/);
  });

  it("blocks a PR that deletes the manifest of an artifact it keeps", async () => {
    const base = { ...baseFiles(), ".github/readiness.yml": WITHOUT_OWNERSHIP };
    const e = await run({ base, head: headFiles({ "models/churn/artifact.yml": null }, base) });
    expect(e.verdict).toBe("blocked");
    expect(gate(e, "models/churn", "manifest").reasons).toEqual([
      "models/churn/artifact.yml: artifact.yml was removed, but the artifact remains: keep its manifest",
    ]);
  });
});
