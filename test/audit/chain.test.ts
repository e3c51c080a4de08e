// The hashed encoding: the fast path must be exactly RFC 8785 as the `canonicalize` package
// writes it, or a chain written by one would not verify with the other (or an auditor's tool).
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalJson, chainedDecision } from "../../src/audit/chain.js";
import { seededRandom } from "../support/seeded-random.js";
import { decision } from "./stores.js";

const AWKWARD = [
  "",
  "é",
  "😀 pair",
  "\u2028line\u2029",
  'q"uote\\',
  "\u0000\u001f\u007f",
  "€uro",
  "z",
  "Z",
  "ä",
  "\uffff",
];

describe("canonicalJson", () => {
  it("writes what the canonicalize package writes, for records and awkward values", () => {
    const values: unknown[] = [
      chainedDecision(decision()),
      {
        b: 1,
        a: [3, 2, { d: null, c: true }],
        é: "x",
        "€": 0.1,
        A: -0,
        long: 1e21,
        small: 5e-7,
        big: 2 ** 53,
      },
      AWKWARD,
      Object.fromEntries(AWKWARD.map((key, i) => [key || "empty", i])),
    ];
    const random = seededRandom(11);
    for (let n = 0; n < 200; n++) {
      const pick = () => AWKWARD[random(AWKWARD.length)] as string;
      values.push({
        [pick() || "k"]: pick(),
        n: random(1_000_000) / 1000,
        list: [pick(), { [`${pick()}x`]: pick() }],
      });
    }
    for (const value of values) expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it("falls back to the package for what the fast path does not cover (integer-like keys)", () => {
    const value = { b: 1, 10: "ten", 2: "two", a: [1] };
    expect(canonicalJson(value)).toBe(canonicalize(value));
    expect(canonicalJson(value)).toBe('{"10":"ten","2":"two","a":[1],"b":1}');
  });

  it("a lone surrogate in a hostile reason becomes U+FFFD; a pair is kept", () => {
    const kept = chainedDecision(
      decision({
        gates: [{ artifact: null, gate: "g", status: "fail", reasons: ["a\ud800b", "😀"], evidence: [] }],
      }),
    );
    expect(kept.gates[0]?.reasons).toEqual(["a\ufffdb", "😀"]);
  });
});
