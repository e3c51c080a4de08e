import { describe, expect, it } from "vitest";
import { memo } from "../../src/facts/memo.js";

describe("memo", () => {
  it("computes a key's value once and gives every later ask the same value", () => {
    const remember = memo();
    let computed = 0;
    const first = remember("codeowners", () => ({ n: ++computed }));
    expect(remember("codeowners", () => ({ n: ++computed }))).toBe(first);
    expect(remember("other", () => ({ n: ++computed }))).toEqual({ n: 2 });
  });

  it("remembers undefined as an answer, not as a miss", () => {
    const remember = memo();
    let computed = 0;
    remember("dir", () => {
      computed++;
      return undefined;
    });
    remember("dir", () => {
      computed++;
      return undefined;
    });
    expect(computed).toBe(1);
  });

  it("shares one pending promise between asks made while it is pending", async () => {
    const remember = memo();
    let requests = 0;
    const ask = () => remember("member:@acme/ml:carol", async () => ++requests > 0);
    const [a, b] = await Promise.all([ask(), ask()]);
    expect([a, b, requests]).toEqual([true, true, 1]);
  });

  it("keeps each memo's values to itself", () => {
    const one = memo();
    const two = memo();
    one("k", () => 1);
    expect(two("k", () => 2)).toBe(2);
  });
});
