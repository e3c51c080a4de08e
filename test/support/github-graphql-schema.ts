// GitHub's GraphQL API for test doubles other than the stand-in (nock-based fakes): they answer
// the app's queries with the stand-in's own executor (github-standin/graphql.ts), over roots of
// their own, so a query GitHub would reject fails their tests too.
import type { GraphQLResolveInfo } from "graphql";
import { executeGraphQLOn } from "./github-standin/graphql.js";
import { connection, type PageArgs } from "./github-standin/graphql-connections.js";

/** An error GitHub reports with a `type`, e.g. `NOT_FOUND` for a missing repository. */
export { githubError } from "./github-standin/graphql-connections.js";

/**
 * Answers a request body `{query, variables}` from `root`. `invalid` names the first reason GitHub
 * would have refused the query (or a field the root does not implement).
 */
export function executeGitHubQuery(body: unknown, root: unknown): { response: unknown; invalid?: string } {
  const outcome = executeGraphQLOn(root, body);
  const invalid = [...outcome.violations, ...outcome.unimplemented][0];
  return { response: outcome.response, ...(invalid ? { invalid } : {}) };
}

/** A connection field over `items`, paged as GitHub pages (first/after/last/before, at most 100). */
export function page<T>(items: readonly T[]) {
  return (args: PageArgs, _context: unknown, info: GraphQLResolveInfo) =>
    connection(items, args, info, (item) => item);
}
