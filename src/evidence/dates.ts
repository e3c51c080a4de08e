// Calendar dates in evidence: `YYYY-MM-DD` or an ISO date-time with a time zone. A date that
// does not exist (2026-02-30) is an error rather than silently rolling into March.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Why `text` is not a usable date, or undefined when it is one. */
export function dateProblem(text: string): string | undefined {
  const parts = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!parts) return `must be a date like 2026-01-05 or an ISO date-time like 2026-01-05T10:00:00Z`;
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  if (month < 1 || month > 12) return `is not a real date: there is no month ${parts[2]}`;
  if (day < 1 || day > daysInMonth(year, month))
    return `is not a real date: ${text.slice(0, 7)} has no day ${parts[3]}`;
  // A bare date that passed the checks above is real; a date-time's hours and zone are Date's to judge.
  if (text.length > 10 && Number.isNaN(Date.parse(text))) return "is not a real date-time";
  return undefined;
}

/** Milliseconds since the epoch; a bare date counts as midnight UTC. */
export function dateValue(text: string): number {
  const bare = DATE.exec(text);
  const year = Number(bare?.[1]);
  // Date.UTC reads the years 0–99 as 1900–1999: those few go through Date.parse.
  if (!bare || year < 100) return Date.parse(bare ? `${text}T00:00:00Z` : text);
  return Date.UTC(year, Number(bare[2]) - 1, Number(bare[3]));
}

/** How a YAML timestamp (a `Date`, with some parser options) is written back as evidence text. */
export function dateText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
}

/** The Gregorian calendar's days in a month (1–12) of a year. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whole days from the date `from` to `to` (negative when `from` is later); undefined when invalid. */
export function daysBetween(from: string, to: Date): number | undefined {
  if (dateProblem(from)) return undefined;
  return Math.floor((to.getTime() - dateValue(from)) / 86_400_000);
}
