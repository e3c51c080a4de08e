// Evidence dates: a date that does not exist is an error, and ages count whole days in UTC.
import { describe, expect, it } from "vitest";
import { dateProblem, daysBetween } from "../../src/evidence/dates.js";

describe("evidence dates", () => {
  it.each([
    "2026-01-05",
    "2024-02-29",
    "2000-02-29",
    "2026-04-30",
    "2026-12-31",
    "2026-01-05T10:00:00Z",
    "2026-01-05T10:00Z",
    "2026-01-05T10:00:00.250+02:00",
  ])("%s is a real date", (text) => {
    expect(dateProblem(text)).toBeUndefined();
  });

  it.each([
    ["2026-02-29", "is not a real date: 2026-02 has no day 29"],
    ["1900-02-29", "is not a real date: 1900-02 has no day 29"],
    ["2026-04-31", "is not a real date: 2026-04 has no day 31"],
    ["2026-13-01", "is not a real date: there is no month 13"],
    ["2026-00-10", "is not a real date: there is no month 00"],
    ["2026-01-00", "is not a real date: 2026-01 has no day 00"],
    ["2026-01-05T25:00:00Z", "is not a real date-time"],
    ["2026-1-5", "must be a date like 2026-01-05 or an ISO date-time like 2026-01-05T10:00:00Z"],
    ["2026-01-05T10:00:00", "must be a date like 2026-01-05 or an ISO date-time like 2026-01-05T10:00:00Z"],
  ])("%s %s", (text, problem) => {
    expect(dateProblem(text)).toBe(problem);
  });

  it("counts whole days from a date (midnight UTC) or a date-time to now", () => {
    const now = new Date("2026-12-05T12:00:00Z");
    expect(daysBetween("2026-12-05", now)).toBe(0);
    expect(daysBetween("2026-12-04", now)).toBe(1);
    expect(daysBetween("2025-12-05", now)).toBe(365);
    expect(daysBetween("2024-02-29", now)).toBe(1010);
    expect(daysBetween("2026-12-06", now)).toBe(-1);
    expect(daysBetween("2026-12-04T13:00:00Z", now)).toBe(0);
    expect(daysBetween("2026-12-05T01:00:00+02:00", now)).toBe(0);
    expect(daysBetween("0050-01-01", now)).toBe(
      Math.floor((now.getTime() - Date.parse("0050-01-01T00:00:00Z")) / 86_400_000),
    );
    expect(daysBetween("2026-02-30", now)).toBeUndefined();
  });
});
