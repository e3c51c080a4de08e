import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { readPrivacyRecord } from "../../src/evidence/privacy.js";

const PATH = "models/churn/privacy-review.yml";

const VALID = [
  "reviewer: '@dana'", // 1
  "decision: approved_with_conditions", // 2
  "reviewed_at: 2026-01-05", // 3
  "expires_at: 2027-01-05T00:00:00Z", // 4
  "data_categories: [customer_contact]", // 5
  "lawful_basis: legitimate interest", // 6
  "conditions:", // 7
  "  - delete raw logs after 30 days", // 8
  "dpia: https://wiki.example.com/dpia/churn", // 9
].join("\n");

function errorsOf(text: string) {
  const result = readPrivacyRecord(PATH, text);
  if (result.ok) throw new Error("expected the record to be rejected");
  return result.errors;
}

/** VALID with one line replaced (1-based). */
function withLine(line: number, text: string): string {
  return VALID.split("\n")
    .map((l, i) => (i === line - 1 ? text : l))
    .join("\n");
}

describe("readPrivacyRecord", () => {
  it("reads a complete record with the line of each field", () => {
    expect(readPrivacyRecord(PATH, VALID)).toEqual({
      ok: true,
      value: {
        reviewer: "dana",
        decision: "approved_with_conditions",
        reviewed_at: "2026-01-05",
        expires_at: "2027-01-05T00:00:00Z",
        data_categories: ["customer_contact"],
        lawful_basis: "legitimate interest",
        conditions: ["delete raw logs after 30 days"],
        dpia: "https://wiki.example.com/dpia/churn",
        lines: {
          reviewer: 1,
          decision: 2,
          reviewed_at: 3,
          expires_at: 4,
          data_categories: 5,
          lawful_basis: 6,
          conditions: 7,
          dpia: 9,
        },
      },
    });
  });

  it("needs only reviewer, decision and reviewed_at", () => {
    const result = readPrivacyRecord(
      PATH,
      "reviewer: dana\ndecision: not_required\nreviewed_at: 2026-01-05\n",
    );
    expect(result).toMatchObject({ ok: true, value: { data_categories: [], conditions: [] } });
  });

  it("reads a date that a YAML 1.1 parser turned into a Date", () => {
    // What a parser with YAML 1.1 timestamps would hand over; the reader must cope with both forms.
    const asDate = parseDocument("reviewed_at: 2026-01-05", { version: "1.1" }).toJS().reviewed_at;
    expect(asDate).toBeInstanceOf(Date);
    const result = readPrivacyRecord(
      PATH,
      "reviewer: dana\ndecision: approved\nreviewed_at: !!timestamp 2026-01-05\n",
    );
    expect(result).toMatchObject({ ok: true, value: { reviewed_at: "2026-01-05" } });
  });

  it.each([
    [
      1,
      "reviewer: '@acme/privacy'",
      /^"reviewer" must be the reviewer's GitHub login \(a person, not a team\)$/,
    ],
    [
      2,
      "decision: approved-ish",
      /^"decision" must be one of approved, approved_with_conditions, rejected, not_required/,
    ],
    [3, "reviewed_at: last tuesday", /^"reviewed_at" must be a date like 2026-01-05/],
    [3, "reviewed_at: 2026-02-30", /^"reviewed_at" is not a real date: 2026-02 has no day 30$/],
    [3, "reviewed_at: 2026-13-01", /^"reviewed_at" is not a real date: there is no month 13$/],
    [4, "expires_at: 2025-12-31", /^"expires_at" is before reviewed_at$/],
    [5, "data_categories: pii", /^"data_categories" must be a list, not text "pii"$/],
    [9, "dpia: wiki/dpia", /^"dpia" must be an http\(s\) link/],
    [9, "dpai: https://x.example", /^unknown key "dpai" \(did you mean "dpia"\?\)$/],
  ])("reports a bad field at its line (line %i: %s)", (line, replacement, message) => {
    const errors = errorsOf(withLine(line, replacement));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: PATH, line, message: expect.stringMatching(message) });
  });

  it("accepts 29 February in a leap year only", () => {
    const record = (date: string) => `reviewer: dana\ndecision: approved\nreviewed_at: ${date}\n`;
    expect(readPrivacyRecord(PATH, record("2028-02-29")).ok).toBe(true);
    expect(readPrivacyRecord(PATH, record("2026-02-29")).ok).toBe(false);
  });

  it("requires reviewer, decision and reviewed_at", () => {
    expect(errorsOf("lawful_basis: consent\n").map((e) => e.message)).toEqual([
      '"reviewer" is required',
      '"decision" is required',
      '"reviewed_at" is required',
    ]);
  });

  it("refuses approved_with_conditions without conditions, at the decision", () => {
    const text =
      "reviewer: dana\ndecision: approved_with_conditions\nreviewed_at: 2026-01-05\nconditions: []\n";
    expect(errorsOf(text)).toEqual([
      {
        path: PATH,
        line: 2,
        column: 11,
        message: '"decision" is approved_with_conditions, so `conditions` must list the conditions',
      },
    ]);
    expect(errorsOf(withLine(8, "")).map((e) => e.line)).toEqual([7]);
  });
});
