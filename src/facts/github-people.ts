// Facts about people on a PR, from GitHub. Each answer is fetched once per evaluation; a 404
// answers "no" (not a member, does not exist), every other error propagates so the app fails closed.
// Every question joins the evaluation's GraphQL batch (github-graphql.ts):
// - team membership: `organization.team.members(query:)`;
// - belonging to the owner organisation: `user.organization(login:)` (active members only: an
//   invitation not yet accepted or an outside collaborator's access is no membership) or
//   `organization.team(slug:)` for a team;
// - admin permission: `repository.collaborators(login:)`, whose edge carries the permission GitHub
//   computed from every source (org owners are admins of every repository).

import { pathsChangedSince } from "./github-changes.js";
import type { GitHubClient } from "./github-client.js";
import { type Answer, type GraphQLBatcher, throwUnlessNotFound } from "./github-graphql.js";
import type { PullSnapshot } from "./github-pull.js";
import { CollaboratorsAnswer, TeamAnswer, TeamMembersAnswer, UserInOrgAnswer } from "./github-schema.js";
import type { GitTrees } from "./github-tree.js";
import { memo } from "./memo.js";
import { parseTeam } from "./team-name.js";
import type { PeopleFacts } from "./types.js";

export { normalizeReviewState } from "./github-review-state.js";

export interface PeopleTarget {
  /** The repository's owner: the organisation (or user) principals must belong to. */
  owner: string;
  headSha: string;
  pull: { number: number; author: string };
}

export function githubPeople(
  client: GitHubClient,
  batch: GraphQLBatcher,
  trees: GitTrees,
  target: PeopleTarget,
  snapshot: () => Promise<PullSnapshot>,
): PeopleFacts {
  const once = memo();

  return {
    author: target.pull.author,
    commitAuthors: async () => (await snapshot()).commitLogins,
    reviews: async () => (await snapshot()).reviews,
    isTeamMember: (team, login) =>
      once(`member:${key(team)}:${key(login)}`, () => isTeamMember(batch, team, login)),
    isOrgPrincipal: (principal) =>
      once(`org:${key(principal)}`, () => isOrgPrincipal(batch, target.owner, principal)),
    isRepoAdmin: (login) => once(`admin:${key(login)}`, () => isRepoAdmin(client, batch, login)),
    changedSince: (sha) => once(`since:${sha}`, () => pathsChangedSince(client, trees, sha, target.headSha)),
  };
}

/** Logins and teams are case-insensitive, with or without `@`. */
function key(name: string): string {
  return name.replace(/^@/, "").toLowerCase();
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
    const answer: Answer<TeamMembersAnswer> = await batch.ask(
      `organization(login: $org) { team(slug: $slug) {
    members(query: $login, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { login } } } }`,
      {
        org: ["String!", parsed.org],
        slug: ["String!", parsed.slug],
        login: ["String!", username],
        after: ["String", after],
      },
      TeamMembersAnswer,
    );
    throwUnlessNotFound(answer.errors, `whether ${username} is in ${team}`);
    const members = answer.data?.team?.members;
    if (!members) return false;
    if ((members.nodes ?? []).some((m) => m?.login.toLowerCase() === username)) return true;
    if (!members.pageInfo.hasNextPage) return false;
    after = members.pageInfo.endCursor;
  }
}

/**
 * A principal of the organisation `owner`: an active member, or one of its teams. For a repository
 * owned by a user, only that user. Another organisation's team, a pending invitee, an outside
 * collaborator and an account that does not exist are not.
 */
async function isOrgPrincipal(batch: GraphQLBatcher, owner: string, principal: string): Promise<boolean> {
  const name = principal.replace(/^@/, "");
  if (name.includes("/")) {
    const parsed = parseTeam(name);
    if (!parsed || parsed.org.toLowerCase() !== owner.toLowerCase()) return false;
    const answer = await batch.ask(
      "organization(login: $org) { team(slug: $slug) { slug } }",
      { org: ["String!", owner], slug: ["String!", parsed.slug] },
      TeamAnswer,
    );
    throwUnlessNotFound(answer.errors, `whether the team ${principal} exists`);
    return !!answer.data?.team;
  }
  // `organization` is null unless the user is an active member of `owner` (and `owner` is an
  // organisation); `user` is NOT_FOUND for an organisation's login, a bot or nobody.
  const answer = await batch.ask(
    "user(login: $login) { login organization(login: $org) { login } }",
    { login: ["String!", name], org: ["String!", owner] },
    UserInOrgAnswer,
  );
  throwUnlessNotFound(answer.errors, `whether ${principal} belongs to ${owner}`);
  if (!answer.data) return false;
  if (answer.data.organization) return true;
  return answer.data.login.toLowerCase() === owner.toLowerCase();
}

/** Admin permission on the repository, from any source (org owners included). */
async function isRepoAdmin(client: GitHubClient, batch: GraphQLBatcher, login: string): Promise<boolean> {
  const username = login.replace(/^@/, "");
  const { owner, repo } = client.repo;
  const answer = await batch.ask(
    `repository(owner: $owner, name: $name) {
    collaborators(login: $login, first: 1) { edges { permission node { login } } } }`,
    { owner: ["String!", owner], name: ["String!", repo], login: ["String!", username] },
    CollaboratorsAnswer,
  );
  throwUnlessNotFound(answer.errors, `whether ${username} administers ${owner}/${repo}`);
  if (!answer.data) throw new Error(`GitHub did not return ${owner}/${repo} to read its collaborators`);
  const edges = answer.data.collaborators?.edges ?? [];
  return edges.some(
    (e) => e?.permission === "ADMIN" && e.node.login.toLowerCase() === username.toLowerCase(),
  );
}
