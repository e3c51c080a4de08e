// The app resolves each distinct pair of policy texts once and keeps the most recently used.
import { describe, expect, it } from "vitest";
import { cachedPolicyResolver } from "../../src/app/policy-cache.js";

const builtins = () => undefined;
const repo = (n: number) => ({
  path: ".github/readiness.yml",
  text: `version: 1\n# repository ${n}\n`,
  label: `acme/r${n}:.github/readiness.yml`,
});

describe("cachedPolicyResolver", () => {
  it("answers the same texts with the same resolution, and a repository without a policy with none", () => {
    const resolve = cachedPolicyResolver();
    const first = resolve({ repo: repo(1), builtins });
    expect(first).toBeDefined();
    expect(resolve({ repo: repo(1), builtins })).toBe(first);
    expect(resolve({ repo: repo(2), builtins })).not.toBe(first);
    expect(resolve({ builtins })).toBeUndefined();
  });

  it("forgets the least recently used pair past its limit", () => {
    const resolve = cachedPolicyResolver(2);
    const one = resolve({ repo: repo(1), builtins });
    const two = resolve({ repo: repo(2), builtins });
    expect(resolve({ repo: repo(1), builtins })).toBe(one); // 1 is now the most recent
    resolve({ repo: repo(3), builtins }); // evicts 2
    expect(resolve({ repo: repo(1), builtins })).toBe(one);
    expect(resolve({ repo: repo(2), builtins })).not.toBe(two);
  });
});
