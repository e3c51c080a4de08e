// Facts about people on a PR, from GitHub. Each answer is fetched once per evaluation; a 404
// answers "no" (not a member, does not exist), every other error propagates so the app fails closed.

import { pathsChangedSince } from "./github-changes.js";
import type { GitHubClient } from "./github-client.js";
import { type GraphQLBatcher, throwUnlessNotFound } from "./github-graphql.js";
import type { PullSnapshot } from "./github-pull.js";
import type { GitTrees } from "./github-tree.js";
import type { Override, PeopleFacts } from "./types.js";

export { normalizeReviewState } from "./github-review-state.js";

export interface PeopleTarget {
  headSha: string;
  pull: { number: number; author: string };
}

/** `@org/team` (or `org/team`) → its org and slug. */
export function parseTeam(team: string): { org: string; slug: string } | undefined {
  const match = /^@?([^/\s]+)\/([^/\s]+)$/.exec(team);
  return match ? { org: match[1] as string, slug: match[2] as string } : undefined;
}

export function githubPeople(
  client: GitHubClient,
  batch: GraphQLBatcher,
  trees: GitTrees,
  target: PeopleTarget,
  snapshot: () => Promise<PullSnapshot>,
  override?: () => Promise<Override | undefined>,
): PeopleFacts {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let value = memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      memo.set(key, value);
    }
    return value;
  };

  return {
    author: target.pull.author,
    commitAuthors: async () => (await snapshot()).commitLogins,
    reviews: async () => (await snapshot()).reviews,
    isTeamMember: (team, login) =>
      once(`member:${key(team)}:${key(login)}`, () => isTeamMember(batch, team, login)),
    principalExists: (principal) => once(`exists:${key(principal)}`, () => principalExists(batch, principal)),
    changedSince: (sha) => once(`since:${sha}`, () => pathsChangedSince(client, trees, sha, target.headSha)),
    ...(override ? { activeOverride: () => once("override", override) } : {}),
  };
}

/** Logins and teams are case-insensitive, with or without `@`. */
function key(name: string): string {
  return name.replace(/^@/, "").toLowerCase();
}

interface TeamMembers {
  team: {
    members: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{ login: string } | null>;
    };
  } | null;
}

/**
 * An active member of the team (or of a child team, as GitHub counts them). GraphQL lists only
 * members who accepted their invitation. `query` narrows the list to logins and names containing
 * the login, so one page nearly always answers; the exact login is then looked for.
 */
async function isTeamMember(batch: GraphQLBatcher, team: string, login: string): Promise<boolean> {
  const parsed = parseTeam(team);
  if (!parsed) return false;
  const username = login.replace(/^@/, "").toLowerCase();
  let after: string | null = null;
  for (;;) {
    const answer: { data: TeamMembers | null; errors: { message: string; type?: string }[] } =
      await batch.ask<TeamMembers>(
        `organization(login: $org) { team(slug: $slug) {
    members(query: $login, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { login } } } }`,
        {
          org: ["String!", parsed.org],
          slug: ["String!", parsed.slug],
          login: ["String!", username],
          after: ["String", after],
        },
      );
    throwUnlessNotFound(answer.errors, `whether ${username} is in ${team}`);
    const members = answer.data?.team?.members;
    if (!members) return false;
    if (members.nodes.some((m) => m?.login.toLowerCase() === username)) return true;
    if (!members.pageInfo.hasNextPage) return false;
    after = members.pageInfo.endCursor;
  }
}

/** A user account (an organisation is an account too, but cannot own or approve), or a team. */
async function principalExists(batch: GraphQLBatcher, principal: string): Promise<boolean> {
  const name = principal.replace(/^@/, "");
  if (name.includes("/")) {
    const parsed = parseTeam(name);
    if (!parsed) return false;
    const answer = await batch.ask<{ team: { slug: string } | null }>(
      "organization(login: $org) { team(slug: $slug) { slug } }",
      { org: ["String!", parsed.org], slug: ["String!", parsed.slug] },
    );
    throwUnlessNotFound(answer.errors, `whether the team ${principal} exists`);
    return !!answer.data?.team;
  }
  const answer = await batch.ask<{ __typename: string }>("repositoryOwner(login: $login) { __typename }", {
    login: ["String!", name],
  });
  throwUnlessNotFound(answer.errors, `whether ${principal} exists`);
  return answer.data?.__typename === "User";
}
