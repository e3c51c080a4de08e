// GitHub rejects a check run whose summary or text exceeds 65,535 characters. Rather than cut
// the Markdown blindly (mid-row, mid-code-span), we re-render with fewer rows until it fits.

/** Size as GitHub may count it: UTF-8 bytes, never fewer than characters, so it is the safe measure. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const CUT_NOTE = "\n\n… more items not shown (the full list: `readiness-gate check` or the details page)\n";

/**
 * The longest rendering within `max`: `render(limit)` shows the first `limit` rows of each list,
 * `rows` is the longest list. Binary search, so a 5,000-artifact PR costs about 13 renders.
 */
export function fitWithin(render: (limit: number) => string, rows: number, max: number): string {
  const full = render(Number.POSITIVE_INFINITY);
  if (utf8Length(full) <= max) return full;
  let fits = -1;
  let low = 0;
  let high = rows;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    if (utf8Length(render(middle)) <= max) {
      fits = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return fits >= 0 ? render(fits) : cutAtLine(render(0), max);
}

// Last resort when even the fixed parts are too long: cut at a line end, which is never inside
// a table row or a code span (rendered text keeps both on one line).
function cutAtLine(text: string, max: number): string {
  const budget = max - utf8Length(CUT_NOTE);
  let end = text.lastIndexOf("\n", Math.min(text.length, budget));
  while (end > 0 && utf8Length(text.slice(0, end)) > budget) end = text.lastIndexOf("\n", end - 1);
  return `${text.slice(0, Math.max(end, 0))}${CUT_NOTE}`;
}
