// Facts about people on a PR, from GitHub. Each answer is fetched once per evaluation; a 404
// answers "no" (not a member, does not exist), every other error propagates so the app fails closed.

import { pathsChangedSince } from "./github-changes.js";
import type { GitHubClient } from "./github-client.js";
import type { GitTrees } from "./github-tree.js";
import type { Override, PeopleFacts, Review, ReviewState } from "./types.js";

/** GitHub's list of a PR's commits stops here; past it the comparison's commits are paged instead. */
export const PULL_COMMIT_LIMIT = 250;

export interface PeopleTarget {
  baseSha: string;
  headSha: string;
  pull: { number: number; author: string };
}

const STATES = new Set<string>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/** A review state as the REST API spells it; webhook payloads spell it in lower case. */
export function normalizeReviewState(state: string): ReviewState | undefined {
  const upper = state.toUpperCase();
  return STATES.has(upper) ? (upper as ReviewState) : undefined;
}

/** `@org/team` (or `org/team`) → its org and slug. */
export function parseTeam(team: string): { org: string; slug: string } | undefined {
  const match = /^@?([^/\s]+)\/([^/\s]+)$/.exec(team);
  return match ? { org: match[1] as string, slug: match[2] as string } : undefined;
}

export function githubPeople(
  client: GitHubClient,
  trees: GitTrees,
  target: PeopleTarget,
  override?: () => Promise<Override | undefined>,
): PeopleFacts {
  const { repo } = client;
  const pull_number = target.pull.number;
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let value = memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      memo.set(key, value);
    }
    return value;
  };

  const commitLogins = async (): Promise<string[]> => {
    let commits: CommitPeople[] = await client.allPages((o) =>
      o.paginate.iterator(o.rest.pulls.listCommits, { ...repo, pull_number, per_page: 100 }),
    );
    if (commits.length >= PULL_COMMIT_LIMIT)
      commits = await comparedCommits(client, target.baseSha, target.headSha);
    const logins = commits.flatMap((c) => [c.author?.login, c.committer?.login]);
    // `web-flow` commits every merge made in GitHub's UI; it is GitHub, not a person.
    return [...new Set(logins.filter((l): l is string => !!l && l !== "web-flow"))];
  };

  const reviews = async (): Promise<Review[]> => {
    const listed = await client.allPages((o) =>
      o.paginate.iterator(o.rest.pulls.listReviews, { ...repo, pull_number, per_page: 100 }),
    );
    return listed.flatMap((r) => {
      const state = normalizeReviewState(r.state);
      // A pending review is a draft only its author sees; a deleted account has no user.
      if (!state || state === "PENDING" || !r.user) return [];
      return [{ user: r.user.login, state, commitId: r.commit_id ?? "", submittedAt: r.submitted_at ?? "" }];
    });
  };

  const isTeamMember = async (team: string, login: string): Promise<boolean> => {
    const parsed = parseTeam(team);
    if (!parsed) return false;
    const username = login.replace(/^@/, "");
    const found = await client.sendOrMissing((o) =>
      o.rest.teams.getMembershipForUserInOrg({ org: parsed.org, team_slug: parsed.slug, username }),
    );
    // A pending member has been invited but has not accepted: not yet a member.
    return found?.data.state === "active";
  };

  const principalExists = async (principal: string): Promise<boolean> => {
    const name = principal.replace(/^@/, "");
    if (name.includes("/")) {
      const parsed = parseTeam(name);
      if (!parsed) return false;
      return (
        (await client.sendOrMissing((o) =>
          o.rest.teams.getByName({ org: parsed.org, team_slug: parsed.slug }),
        )) !== undefined
      );
    }
    const found = await client.sendOrMissing((o) => o.rest.users.getByUsername({ username: name }));
    // An organisation is an account too, but it cannot own or approve anything.
    return found !== undefined && found.data.type !== "Organization";
  };

  return {
    author: target.pull.author,
    commitAuthors: () => once("commits", commitLogins),
    reviews: () => once("reviews", reviews),
    isTeamMember: (team, login) => once(`member:${key(team)}:${key(login)}`, () => isTeamMember(team, login)),
    principalExists: (principal) => once(`exists:${key(principal)}`, () => principalExists(principal)),
    changedSince: (sha) => once(`since:${sha}`, () => pathsChangedSince(client, trees, sha, target.headSha)),
    ...(override ? { activeOverride: () => once("override", override) } : {}),
  };
}

// GitHub gives `null` (or `{}`) when a commit's email matches no account.
/** Logins and teams are case-insensitive, with or without `@`. */
function key(name: string): string {
  return name.replace(/^@/, "").toLowerCase();
}

interface CommitPeople {
  author: { login?: string } | null;
  committer: { login?: string } | null;
}

/** Every commit of `base...head`, 100 per request (the comparison pages commits without a cap). */
async function comparedCommits(client: GitHubClient, base: string, head: string): Promise<CommitPeople[]> {
  const commits: CommitPeople[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.send((o) =>
      o.rest.repos.compareCommitsWithBasehead({
        ...client.repo,
        basehead: `${base}...${head}`,
        per_page: 100,
        page,
      }),
    );
    commits.push(...data.commits);
    if (data.commits.length < 100 || commits.length >= data.total_commits) return commits;
  }
}
