// Calendar arithmetic on YYYY-MM-DD (or ISO) dates, in UTC so results do not depend on the host.

/** Parses `YYYY-MM-DD` or an ISO timestamp; undefined for anything else or an impossible date. */
export function parseDate(text: string): Date | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return date.toISOString().startsWith(text) ? date : undefined;
  }
  const date = new Date(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** Whole days from `from` to `to` (negative when `from` is later). */
export function daysBetween(from: string, to: Date): number | undefined {
  const start = parseDate(from);
  if (!start) return undefined;
  return Math.floor((to.getTime() - start.getTime()) / 86_400_000);
}
