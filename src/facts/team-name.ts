// A principal as policies and CODEOWNERS name a team: `@org/team` (or `org/team`). Pure, so the
// engine (which teams to ask for reviews) and the GitHub facts (who is in a team) read it alike.

/** `@org/team` (or `org/team`) → its org and slug; a user login → undefined. */
export function parseTeam(principal: string): { org: string; slug: string } | undefined {
  const match = /^@?([^/\s]+)\/([^/\s]+)$/.exec(principal);
  return match ? { org: match[1] as string, slug: match[2] as string } : undefined;
}
