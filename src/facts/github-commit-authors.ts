// Who wrote a pull request's commits, as GitHub lists them: each commit's authors — the git author
// first, then every co-author GitHub resolved from a `Co-authored-by:` trailer to an account
// (`Commit.authors`) — and its committer. A co-author approving the pull request is approving
// their own work, so a trailer GitHub resolves counts like the author line.
//
// `Commit.authors` is a connection: nested in a page of 100 commits it would cost 100 of GitHub's
// GraphQL "requests" per pull request (a point of the rate limit for each PR of a shared query).
// So the commit list carries each message, and only the commits whose message names a co-author
// are asked for their authors, each a question of the evaluation's next query. Whether the
// commits come from GraphQL (a PR's first 250) or from REST (the comparison, past that), the rule
// is the same.
import type { CommitPeople } from "./github-changes.js";
import type { GitHubClient } from "./github-client.js";
import { type Answer, type GraphQLBatcher, throwUnlessNotFound } from "./github-graphql.js";
import { CommitAuthorsAnswer, type CommitPeopleNode } from "./github-schema.js";

const AUTHORS_PAGE = 100;

type AuthorConnection = NonNullable<NonNullable<CommitAuthorsAnswer["object"]>["authors"]>;

/** The fields of a commit node (`PullRequestCommit.commit`) that `commitNodePeople` reads. */
export const COMMIT_PEOPLE = "oid message author { user { login } } committer { user { login } }";

export function commitNodePeople(node: CommitPeopleNode): CommitPeople {
  return {
    sha: node.oid,
    message: node.message,
    author: node.author?.user ?? null,
    committer: node.committer?.user ?? null,
  };
}

/**
 * Matches a message that may name a co-author: generously (any mention, any case), since asking
 * about a commit that names none costs only a question, and missing one would let a co-author
 * approve.
 */
const MAY_NAME_CO_AUTHOR = /co-authored-by/i;

/** GitHub's `web-flow` commits every merge made in GitHub's UI; it is GitHub, not a person. */
const GITHUB_ITSELF = "web-flow";

/** Every author, co-author and committer of the commits, asked all at once. */
export async function commitLogins(
  client: GitHubClient,
  batch: GraphQLBatcher,
  commits: readonly CommitPeople[],
): Promise<string[]> {
  const coAuthors = await Promise.all(
    commits.map((c) => (MAY_NAME_CO_AUTHOR.test(c.message) ? authorsOf(client, batch, c.sha) : [])),
  );
  const logins = [...commits.flatMap((c) => [c.author?.login, c.committer?.login]), ...coAuthors.flat()];
  return [...new Set(logins.filter((l): l is string => !!l && l !== GITHUB_ITSELF))];
}

/** A commit's authors (the git author, then its co-authors), one page per question. */
async function authorsOf(client: GitHubClient, batch: GraphQLBatcher, oid: string): Promise<string[]> {
  const { owner, repo } = client.repo;
  const found: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const answer: Answer<CommitAuthorsAnswer> = await batch.ask(
      `repository(owner: $owner, name: $name) { object(oid: $oid) { ... on Commit {
    authors(first: ${AUTHORS_PAGE}, after: $after) { pageInfo { hasNextPage endCursor } nodes { user { login } } } } } }`,
      {
        owner: ["String!", owner],
        name: ["String!", repo],
        oid: ["GitObjectID!", oid],
        after: ["String", cursor],
      },
      CommitAuthorsAnswer,
    );
    throwUnlessNotFound(answer.errors, `the authors of commit ${oid}`);
    const authors: AuthorConnection | undefined = answer.data?.object?.authors;
    // A commit of the pull request that GitHub cannot show: who wrote it is unknown, so fail closed.
    if (!authors) throw new Error(`GitHub did not return the authors of commit ${oid}`);
    for (const login of logins(authors)) if (login) found.push(login);
    if (!authors.pageInfo.hasNextPage) return found;
    cursor = authors.pageInfo.endCursor;
  }
}

function logins(authors: AuthorConnection): Array<string | undefined> {
  return (authors.nodes ?? []).map((n) => n?.user?.login);
}
