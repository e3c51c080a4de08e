// A hand-filled PeopleFacts for table-driven tests (the policy-bot way).
import type { PeopleFacts, Review } from "../../src/facts/types.js";

export interface PeopleSpec {
  author?: string;
  commitAuthors?: string[];
  reviews?: Array<Partial<Review> & { user: string; state: Review["state"] }>;
  teams?: Record<string, string[]>;
  /**
   * Members and teams of the repository's organisation; by default every team in `teams`, their
   * members, alice and bob.
   */
  existing?: string[];
  /** Logins with admin permission on the repository. */
  admins?: string[];
  /** Reviewed commit → paths changed since then. */
  changedSince?: Record<string, string[]>;
}

export const HEAD_SHA = "h".repeat(40);

export function fakePeople(spec: PeopleSpec = {}): PeopleFacts {
  const teams = spec.teams ?? {};
  const reviews: Review[] = (spec.reviews ?? []).map((r, i) => ({
    commitId: HEAD_SHA,
    submittedAt: `2026-11-2${Math.min(i, 9)}T10:00:00Z`,
    ...r,
  }));
  const existing = new Set(
    (spec.existing ?? [...Object.keys(teams), ...Object.values(teams).flat(), "alice", "bob"]).map((p) =>
      p.toLowerCase(),
    ),
  );
  return {
    author: spec.author ?? "dev",
    commitAuthors: async () => spec.commitAuthors ?? [spec.author ?? "dev"],
    reviews: async () => reviews,
    isTeamMember: async (team, login) =>
      (teams[team] ?? []).some((m) => m.toLowerCase() === login.toLowerCase()),
    isOrgPrincipal: async (principal) => existing.has(principal.replace(/^@(?=[^/]+$)/, "").toLowerCase()),
    isRepoAdmin: async (login) => (spec.admins ?? []).some((a) => a.toLowerCase() === login.toLowerCase()),
    changedSince: async (sha) => spec.changedSince?.[sha] ?? [],
  };
}
