import { describe, expect, it } from "vitest";
import { policyDigest } from "../../src/policy/index.js";
import { loaded, yaml } from "./helpers.js";

const A = yaml`
  version: 1
  artifacts:
    model: { roots: ["models/*"], tier: high }
  gates:
    evaluation:
      thresholds: [{ metric: accuracy, min: 0.9 }]
`;

const A_REORDERED = yaml`
  # Same requirements, keys in another order, with comments.
  gates:
    evaluation:
      thresholds:
        - min: 0.90       # written differently, same number
          metric: accuracy
  artifacts:
    model:
      tier: high
      roots: ["models/*"]
  version: 1
`;

describe("policyDigest", () => {
  it("is sha256 of the canonical policy", () => {
    expect(policyDigest(loaded(A).policy)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("does not change with key order, comments or number spelling", () => {
    expect(policyDigest(loaded(A_REORDERED).policy)).toBe(policyDigest(loaded(A).policy));
  });

  it("does not change when a default is written out", () => {
    const explicit = A.replace("version: 1", "version: 1\nenforcement: enforced");
    expect(policyDigest(loaded(explicit).policy)).toBe(policyDigest(loaded(A).policy));
  });

  it("changes when a threshold changes", () => {
    expect(policyDigest(loaded(A.replace("0.9", "0.91")).policy)).not.toBe(policyDigest(loaded(A).policy));
  });
});
