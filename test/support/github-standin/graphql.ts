// The stand-in's GraphQL endpoint: graphql-js executing against GitHub's official schema.
//
// Every request is parsed and validated against the public schema GitHub publishes
// (@octokit/graphql-schema), so a query GitHub would reject (syntax error, unknown field or
// argument, wrong argument type, missing required argument, bad variables) is rejected here too:
// HTTP 200 with `{errors: [{message, locations}]}` and no `data`, as GitHub answers, and a
// violation for the stand-in's log. A valid query is executed with resolvers built from the
// stand-in's state (graphql-model.ts); what the model covers is listed there. Field errors
// follow GitHub's shape: `{type, path, locations, message}` next to partial `data` (NOT_FOUND for
// an unknown repository, organization, user or pull request; MISSING_PAGINATION_BOUNDARIES and
// EXCESSIVE_PAGINATION for badly paged connections, which are also violations).
//
// A schema field the model does not implement answers an error naming it and marks the request
// unhandled (like a REST operation the stand-in lacks), so it never passes for a real null.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import {
  buildSchema,
  type DocumentNode,
  type ExecutionResult,
  executeSync,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  parse,
  validate,
} from "graphql";
import { githubError, NOT_IMPLEMENTED, REJECTING_ERROR_TYPES } from "./graphql-connections.js";
import { graphqlCost } from "./graphql-cost.js";
import { GraphModel } from "./graphql-model.js";
import { Renderer } from "./render.js";
import type { GitHubState } from "./state.js";

// ---- GitHub's schema, built once per process ---------------------------------------------------

let schema: GraphQLSchema | undefined;

/**
 * Where @octokit/graphql-schema keeps schema.graphql. The package's "exports" map exposes only its
 * ESM entry, so `require.resolve("@octokit/graphql-schema/schema.graphql")` throws
 * ERR_PACKAGE_PATH_NOT_EXPORTED: look for the file along the module lookup paths instead.
 */
function schemaPath(): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths("@octokit/graphql-schema") ?? []) {
    const candidate = join(dir, "@octokit", "graphql-schema", "schema.graphql");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("the GitHub stand-in needs the @octokit/graphql-schema package (a devDependency)");
}

/**
 * GitHub's GraphQL schema, built on first use (~0.5 s). The SDL is preferred to the package's
 * schema.json, which builds twice as fast but is an older snapshot. The SDL repeats some fields,
 * which strict SDL validation rejects, hence `assumeValidSDL`; `assumeValid` skips re-validating
 * GitHub's own schema on the first request.
 */
export function githubSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync(schemaPath(), "utf8"), { assumeValidSDL: true, assumeValid: true });
  return schema;
}

// ---- parsing and validation, cached by query text ----------------------------------------------

type Checked =
  | { document: DocumentNode; errors?: undefined }
  | { document?: undefined; errors: readonly GraphQLError[] };

// Apps send the same few query texts over and over: parse and validate each text once.
const checkedQueries = new Map<string, Checked>();
const CHECKED_QUERIES_LIMIT = 500;

function check(query: string): Checked {
  const cached = checkedQueries.get(query);
  if (cached) return cached;
  let checked: Checked;
  try {
    const document = parse(query);
    const errors = validate(githubSchema(), document);
    checked = errors.length > 0 ? { errors } : { document };
  } catch (error) {
    checked = { errors: [error as GraphQLError] };
  }
  if (checkedQueries.size >= CHECKED_QUERIES_LIMIT) checkedQueries.clear();
  checkedQueries.set(query, checked);
  return checked;
}

// ---- execution ---------------------------------------------------------------------------------

/**
 * Resolves a field from the model's plain objects: the property of the field's name, called with
 * (args, context, info) when it is a function. A field the object lacks is not implemented.
 */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (source !== null && typeof source === "object" && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === "function" ? value(args, context, info) : value;
  }
  throw githubError(
    NOT_IMPLEMENTED,
    `The GitHub stand-in does not implement ${info.parentType.name}.${info.fieldName} (a valid field of GitHub's schema).`,
  );
};

/** A GraphQL error as GitHub writes it: `type` at the top level, not inside `extensions`. */
function githubShape(error: GraphQLError): Record<string, unknown> {
  const { message, locations, path, extensions } = error.toJSON();
  const { type, ...rest } = (extensions ?? {}) as { type?: unknown } & Record<string, unknown>;
  return {
    ...(type !== undefined ? { type } : {}),
    ...(path ? { path } : {}),
    ...(locations ? { locations } : {}),
    ...(Object.keys(rest).length > 0 ? { extensions: rest } : {}),
    message,
  };
}

/**
 * graphql-js words validation errors differently from GitHub (graphql-ruby). The most common
 * ones are reworded as GitHub writes them; the rest keep graphql-js's wording.
 */
function githubValidationShape(error: GraphQLError): Record<string, unknown> {
  const shaped = githubShape(error);
  const field = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  const argument = /^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\./.exec(error.message);
  const required =
    /^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./.exec(
      error.message,
    );
  if (field) {
    return {
      ...shaped,
      extensions: { code: "undefinedField", typeName: field[2], fieldName: field[1] },
      message: `Field '${field[1]}' doesn't exist on type '${field[2]}'`,
    };
  }
  if (argument) {
    return {
      ...shaped,
      extensions: {
        code: "argumentNotAccepted",
        name: argument[2],
        typeName: "Field",
        argumentName: argument[1],
      },
      message: `Field '${argument[2]}' doesn't accept argument '${argument[1]}'`,
    };
  }
  if (required) {
    return {
      ...shaped,
      extensions: {
        code: "missingRequiredArguments",
        className: "Field",
        name: required[1],
        arguments: required[2],
      },
      message: `Field '${required[1]}' is missing required arguments: ${required[2]}`,
    };
  }
  return shaped;
}

export interface GraphQLOutcome {
  /** The response body (always sent with HTTP 200, as GitHub does). */
  response: { data?: unknown; errors?: unknown[] };
  /** Why GitHub would reject the request (invalid query or variables, unbounded pages...). */
  violations: string[];
  /** Schema fields the request needed that the stand-in does not implement. */
  unimplemented: string[];
  /** Points of GitHub's GraphQL rate limit the query would cost (graphql-cost.ts); 0 if rejected. */
  cost: number;
  /** Repositories (`owner/name`) and organisations the query asked about, first mention first. */
  about: string[];
}

/**
 * Answers one GraphQL request body against `state`. `render` supplies the stand-in's URLs
 * (default: a renderer with github.com URLs). With `installation` (the one whose token sent it),
 * accounts that installation does not reach answer NOT_FOUND, and asking about them is a violation.
 */
export function executeGraphQL(
  state: GitHubState,
  body: unknown,
  render: Renderer = new Renderer(state, "", "https://github.com"),
  installation?: number,
): GraphQLOutcome {
  const model = new GraphModel(render, installation);
  const outcome = executeGraphQLOn(model.query(), body);
  const beyond = model.beyondReach.map(
    (what) =>
      `installation ${installation}'s token asked about ${what}, which installation ${state.installationOf(what.split("/")[0] ?? what)} reaches`,
  );
  return { ...outcome, about: model.about, violations: [...outcome.violations, ...beyond] };
}

/**
 * Answers one GraphQL request body from `root`, the query type's object in the model's style
 * (plain objects with `__typename`, a property or a resolver per field; see graphql-model.ts).
 * The nock-based fakes of test/app and test/facts use it with roots of their own.
 */
export function executeGraphQLOn(root: unknown, body: unknown): GraphQLOutcome {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  const reject = (errors: Array<Record<string, unknown>>): GraphQLOutcome => ({
    response: { errors },
    violations: errors.map((e) => `GraphQL: ${String(e.message)}`),
    unimplemented: [],
    cost: 0,
    about: [],
  });

  if (typeof request.query !== "string") {
    return reject([{ message: "A query attribute must be specified and must be a string." }]);
  }
  const variables = request.variables ?? {};
  if (typeof variables !== "object" || Array.isArray(variables)) {
    return reject([{ message: "Variables must be an object (a JSON object of variable values)." }]);
  }
  const checked = check(request.query);
  if (checked.errors) return reject(checked.errors.map(githubValidationShape));

  const result: ExecutionResult = executeSync({
    schema: githubSchema(),
    document: checked.document,
    rootValue: root,
    variableValues: variables as Record<string, unknown>,
    operationName: typeof request.operationName === "string" ? request.operationName : undefined,
    fieldResolver,
  });

  // No `data` at all: the request failed before execution (variables that do not coerce to their
  // declared types, an ambiguous or unknown operation name).
  if (!("data" in result)) return reject((result.errors ?? []).map(githubShape));

  const violations: string[] = [];
  const unimplemented: string[] = [];
  for (const error of result.errors ?? []) {
    const type = error.extensions?.type;
    const where = error.path ? ` (at ${error.path.join(".")})` : "";
    if (type === NOT_IMPLEMENTED) unimplemented.push(error.message);
    else if (typeof type === "string" && REJECTING_ERROR_TYPES.has(type)) {
      violations.push(`GraphQL ${type}: ${error.message}${where}`);
    } else if (type === undefined) {
      // Not an error GitHub would answer: a resolver of the stand-in failed (or returned null for
      // a non-null field). Record it like a REST handler's crash.
      violations.push(`GraphQL stand-in error: ${error.message}${where}`);
    }
  }
  const response = result.errors
    ? { data: result.data, errors: result.errors.map(githubShape) }
    : { data: result.data };
  const cost = graphqlCost(githubSchema(), checked.document, variables as Record<string, unknown>);
  return { response, violations, unimplemented, cost, about: [] };
}
