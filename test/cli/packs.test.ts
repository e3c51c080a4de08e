import { describe, expect, it } from "vitest";
import { readBuiltinPack } from "../../src/assets/packs.js";

describe("readBuiltinPack", () => {
  it("reads a shipped pack from policies/", () => {
    expect(readBuiltinPack("ai-production-readiness")).toMatch(/^version: 1$/m);
  });

  it("returns undefined for unknown packs and names that could leave policies/", () => {
    expect(readBuiltinPack("no-such-pack")).toBeUndefined();
    for (const name of ["../package", "ai-production-readiness.yml", "AI", "", "a/b"]) {
      expect(readBuiltinPack(name)).toBeUndefined();
    }
  });
});
