// The hashed encoding: the fast path must be exactly RFC 8785 as the `canonicalize` package
// writes it, or a chain written by one would not verify with the other (or an auditor's tool).
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { canonicalJson, chainedDecision } from "../../src/audit/chain.js";
import type { Decision } from "../../src/audit/types.js";
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
      // An own `__proto__` key (JSON.parse makes one) is data, not the prototype.
      JSON.parse('{"b":1,"__proto__":{"x":1},"a":2}'),
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

describe("chainedDecision", () => {
  /** What the store reads back from JSON text: the decision through a JSON round trip. */
  const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value));

  /** Decisions as odd as a caller could hand over, each kept exactly as JSON would keep it. */
  const odd: [string, Partial<Decision>][] = [
    ["as the app builds it", {}],
    ["a Date for a time", { time: new Date("2026-03-01T10:00:00Z") as unknown as string }],
    ["-0", { pull: -0 }],
    ["a non-finite number", { installation: Number.NaN }],
    [
      "undefined in an array and in an object, an extra property",
      {
        approvals: [
          undefined as never,
          { rule: "r", login: "l", review: 1, commit: "c", extra: undefined } as never,
        ],
        appVersion: "1",
        ...({ notARecordField: "dropped" } as object),
      },
    ],
    ["integer-like keys", { override: { 10: "ten", 2: "two", by: "dana" } as never }],
    ["a value with toJSON", { policy: { digest: null, sources: [{ toJSON: () => "x@y" }] as never } }],
    [
      "a lone surrogate",
      { gates: [{ artifact: null, gate: "g", status: "fail", reasons: ["a\ud800"], evidence: [] }] },
    ],
  ];

  it.each(odd)(
    "%s: the values JSON reads back, each column encoded as canonicalize encodes it",
    (_what, overrides) => {
      const given = decision(overrides);
      const chained = chainedDecision(given);
      const expected = roundTrip(chainedDecisionByRoundTrip(given));
      expect(chained).toEqual(expected);
      // -0 is written 0 by JSON; toEqual would not tell them apart.
      expect(Object.is(chained.pull, -0)).toBe(false);
      for (const column of [chained.policy.sources, chained.gates, chained.approvals, chained.override]) {
        expect(canonicalJson(column)).toBe(canonicalize(roundTrip(column)));
      }
    },
  );
});

/** The decision's fields as the chain keeps them, the slow way: picked, then a JSON round trip with U+FFFD for a lone surrogate. */
function chainedDecisionByRoundTrip(given: Decision): unknown {
  // The test's decision holds exactly the record's fields: an extra property is left out.
  const fields = Object.keys(decision()) as (keyof Decision)[];
  const picked = Object.fromEntries(fields.map((f) => [f, given[f] ?? null]));
  return JSON.parse(
    JSON.stringify(picked, (_key, value) =>
      typeof value === "string"
        ? value.replace(/[\ud800-\udfff]/g, (c, i, s) => (isPaired(s, i) ? c : "\ufffd"))
        : value,
    ),
  );
}

function isPaired(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code <= 0xdbff) return (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  return (text.charCodeAt(i - 1) & 0xfc00) === 0xd800;
}
