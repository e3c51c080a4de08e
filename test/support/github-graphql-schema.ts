// GitHub's official GraphQL schema (@octokit/graphql-schema), built once per process. Test doubles
// of GitHub validate and execute the app's queries against it, so a query GitHub would reject
// fails the tests. Built from the package's introspection JSON (faster than its SDL, which also
// repeats a few enterprise fields that strict SDL validation refuses).
import { schema as published } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  executeSync,
  type GraphQLSchema,
  type IntrospectionQuery,
  parse,
  validate,
} from "graphql";

let schema: GraphQLSchema | undefined;

export function githubGraphQLSchema(): GraphQLSchema {
  const json = published.json as { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
  schema ??= buildClientSchema(json.data ?? (json as IntrospectionQuery));
  return schema;
}

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
  const problems = validate(githubGraphQLSchema(), document);
  if (problems.length > 0) return refuse(problems.map((p) => p.message).join("; "));
  const result = executeSync({
    schema: githubGraphQLSchema(),
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

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A GraphQL connection over `items` with index cursors, refusing what GitHub refuses. */
export function connection<T>(items: readonly T[], pageArgs: object, name = "connection") {
  const args = pageArgs as PageArgs;
  if (args.first == null && args.last == null)
    throw new Error(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  const count = args.first ?? args.last ?? 0;
  if (count > 100 || count < 0)
    throw new Error(
      `Requesting ${count} records on the \`${name}\` connection exceeds the \`first\` limit of 100 records.`,
    );
  let start = args.after ? Number(Buffer.from(args.after, "base64").toString()) + 1 : 0;
  let end = args.before ? Number(Buffer.from(args.before, "base64").toString()) : items.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  else start = Math.max(start, end - count);
  const cursor = (i: number) => Buffer.from(String(i)).toString("base64");
  const nodes = items.slice(start, end);
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: cursor(start + i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? cursor(start) : null,
      endCursor: nodes.length ? cursor(end - 1) : null,
    },
  };
}
