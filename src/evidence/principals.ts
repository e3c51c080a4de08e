// Who can be named in evidence: GitHub logins, `@org/team`, and (CODEOWNERS only) emails.

/** A GitHub login: letters, digits and hyphens, not starting with a hyphen, at most 39 chars. */
const LOGIN = "[A-Za-z0-9][A-Za-z0-9-]{0,38}";
/** Team slugs are what GitHub derives from team names: letters, digits, `-`, `_`, `.`. */
const TEAM = `${LOGIN}/[A-Za-z0-9][A-Za-z0-9._-]*`;

/** A login, with or without `@` (people write both). */
export const loginPattern = new RegExp(`^@?${LOGIN}$`);
/** `@login` or `@org/team`; a bare `org/team` is refused as it reads like a path. */
export const ownerPattern = new RegExp(`^(?:@?${LOGIN}|@${TEAM})$`);
const atLoginOrTeam = new RegExp(`^@(?:${LOGIN}|${TEAM})$`);

/**
 * A CODEOWNERS owner: `@login`, `@org/team` or an email address (one `@`, no spaces, a dot
 * inside the domain). Checked without a regex for the email: `[^@\s]+\.[^@\s]+$` backtracks
 * over every dot of a long word, which is quadratic.
 */
export function isCodeowner(text: string): boolean {
  if (atLoginOrTeam.test(text)) return true;
  const at = text.indexOf("@");
  if (at <= 0 || text.includes("@", at + 1) || /\s/.test(text)) return false;
  return text.slice(at + 2, -1).includes(".");
}
