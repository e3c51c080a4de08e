// GitHub's official GraphQL schema for test doubles other than the stand-in (nock-based fakes):
// they validate and execute the app's queries against it, so a query GitHub would reject fails the
// tests. The schema and paging rules are the stand-in's own (github-standin/graphql*.ts).
import { executeSync, type GraphQLResolveInfo, parse, validate } from "graphql";
import { githubSchema } from "./github-standin/graphql.js";
import { connection, type PageArgs } from "./github-standin/graphql-connections.js";
/** A resolver error GitHub reports with a `type`, e.g. `NOT_FOUND` for a missing repository. */
export class GitHubGraphQLError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GitHubGraphQLResponse {
  data?: unknown;
  errors?: Array<{ message: string; type?: string; path?: ReadonlyArray<string | number> }>;
}

/**
 * Validates a request body `{query, variables}` against GitHub's schema and executes it over
 * `root` (graphql-js default resolvers: a field is a property, or a function of its arguments;
 * objects of interfaces and unions carry `__typename`; resolvers are synchronous). `invalid` is set when GitHub would have
 * refused the query outright.
 */
export function executeGitHubQuery(
  body: unknown,
  root: unknown,
): { response: GitHubGraphQLResponse; invalid?: string } {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string") return refuse("A query attribute must be specified and must be a string.");
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const problems = validate(githubSchema(), document);
  if (problems.length > 0) return refuse(problems.map((p) => p.message).join("; "));
  const result = executeSync({
    schema: githubSchema(),
    document,
    rootValue: root,
    variableValues: variables ?? {},
  });
  const response: GitHubGraphQLResponse = { data: result.data ?? null };
  if (result.errors?.length) {
    response.errors = result.errors.map((e) => {
      const type = e.originalError instanceof GitHubGraphQLError ? e.originalError.type : undefined;
      return { message: e.message, ...(type ? { type } : {}), ...(e.path ? { path: e.path } : {}) };
    });
    if (!result.data) return { response, invalid: response.errors[0]?.message ?? "no data" };
  }
  return { response };
}

function refuse(message: string): { response: GitHubGraphQLResponse; invalid: string } {
  return { response: { errors: [{ message }] }, invalid: message };
}

/** A connection field over `items`, paged as GitHub pages (first/after/last/before, at most 100). */
export function page<T>(items: readonly T[]) {
  return (args: PageArgs, _context: unknown, info: GraphQLResolveInfo) =>
    connection(items, args, info, (item) => item);
}
