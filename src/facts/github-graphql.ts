// One GraphQL query for everything asked in the same turn of the event loop. Each question is a
// top-level field (`repository(owner: $owner, name: $name) { … }`) with its own variables; the
// questions asked before the loop turns (setImmediate, so questions issued across several awaits
// of a Promise.all still meet) go out together, each under an alias, its variables renamed so
// they cannot clash. This is what keeps an evaluation to a handful of requests: the policy, the
// pull request, its reviews and the check-run lookup share one query; the evidence files, team
// memberships and owners of the artifacts share the next.
//
// GitHub answers a field it cannot resolve with `null` and an error naming the field's path
// (`type: "NOT_FOUND"` for a repository, user or organisation that does not exist or is not
// visible). Each question gets its own data and its own errors and decides what they mean; an
// error that names no question (a malformed query, an outage) fails every question of the query.
// Every question carries the schema of its data (github-schema.ts, app/answers.ts), parsed on
// arrival: an answer of another shape rejects that question with the place it differs.
import { z } from "zod";
import { type GitHubClient, type GitHubOctokit, requestJson } from "./github-client.js";
import { parseAnswer } from "./github-schema.js";

/** At most this many questions share a query (file texts can be large; GitHub caps response time). */
export const QUESTIONS_PER_QUERY = 50;

export interface GraphQLErrorEntry {
  message: string;
  type?: string;
  path?: ReadonlyArray<string | number>;
}

export interface Answer<T> {
  /** The field's value; null when GitHub could not resolve it. */
  data: T | null;
  /** Errors under this field, their paths relative to it. */
  errors: GraphQLErrorEntry[];
}

/** A variable of a question: its GraphQL type (`String!`, `Int`, `GitObjectID!`) and value. */
export type Variables = Record<string, readonly [type: string, value: unknown]>;

interface Question {
  /** The evaluation's door to GitHub: the query is sent by one participant, counted by each. */
  client: GitHubClient;
  field: string;
  variables: Variables;
  /** The shape of the field's data. */
  schema: z.ZodType;
  resolve: (answer: Answer<unknown>) => void;
  reject: (error: unknown) => void;
}

/**
 * Queues shared by the evaluations of one installation: questions that several evaluations ask
 * in the same turn (a burst of webhooks, a policy push re-evaluating every open PR) travel
 * together, up to QUESTIONS_PER_QUERY per query. The key MUST name the installation: the query
 * goes out with one participant's token, and only the same installation's token may read the
 * same repositories. A question that another installation's token could not see would come back
 * NOT_FOUND, which for a policy means "no policy": so nothing else may share a key.
 */
export class SharedQueries {
  readonly #queues = new Map<string, Question[]>();

  enqueue(key: string, question: Question): void {
    let queue = this.#queues.get(key);
    if (!queue) {
      const fresh: Question[] = [];
      queue = fresh;
      this.#queues.set(key, fresh);
      setImmediate(() => {
        this.#queues.delete(key);
        flush(fresh);
      });
    }
    queue.push(question);
  }
}

export interface SharedBatch {
  queries: SharedQueries;
  /** The installation (see SharedQueries). */
  installation: string;
}

export class GraphQLBatcher {
  private readonly shared: SharedBatch;

  /** Without `shared`, only this batcher's own questions share a query (a queue of its own). */
  constructor(
    private readonly client: GitHubClient,
    shared?: SharedBatch,
  ) {
    this.shared = shared ?? { queries: new SharedQueries(), installation: "this batcher" };
  }

  /**
   * Asks one top-level field, e.g. `repository(owner: $owner, name: $name) { id }` with
   * `{ owner: ["String!", "acme"], name: ["String!", "models"] }`, its data parsed by `schema`
   * (null stays null: GitHub could not resolve the field).
   */
  ask<S extends z.ZodType>(field: string, variables: Variables, schema: S): Promise<Answer<z.output<S>>> {
    return new Promise<Answer<z.output<S>>>((resolve, reject) => {
      const question = {
        client: this.client,
        field,
        variables,
        resolve: resolve as (answer: Answer<unknown>) => void,
        reject,
        schema,
      };
      this.shared.queries.enqueue(this.shared.installation, question);
    });
  }
}

function flush(pending: Question[]): void {
  for (let i = 0; i < pending.length; i += QUESTIONS_PER_QUERY) {
    void send(pending.slice(i, i + QUESTIONS_PER_QUERY));
  }
}

/**
 * GitHub's answer when a query ran out of time ("Something went wrong while executing your query.
 * This may be the result of a timeout…"): the questions are asked again in two halves, so a query
 * too heavy for GitHub's time limit (a burst's shared query) becomes two lighter ones.
 */
const TIMED_OUT = /Something went wrong while executing your query/i;
const TIMEOUT_RETRIES = 2;

async function send(questions: Question[], retries = TIMEOUT_RETRIES): Promise<void> {
  let response: GraphQLResponse;
  try {
    const { query, values } = batchQuery(questions);
    // One participant sends; every other evaluation in the query counts it as one of its requests.
    const [sender, ...others] = new Set(questions.map((q) => q.client));
    for (const client of others) client.countShared();
    const body = await (sender as GitHubClient).send((o) => postQuery(o, query, values));
    response = parseAnswer(GraphQLResponse, body, "the query's response");
  } catch (error) {
    for (const question of questions) question.reject(error);
    return;
  }
  const errors = response.errors ?? [];
  const unplaced = errors.filter((e) => !questionIndexOf(e, questions.length).found);
  if (retries > 0 && unplaced.some((e) => TIMED_OUT.test(e.message))) {
    const half = Math.ceil(questions.length / 2);
    const halves = half < questions.length ? [questions.slice(0, half), questions.slice(half)] : [questions];
    await Promise.all(halves.map((part) => send(part, retries - 1)));
    return;
  }
  if (!response.data || unplaced.length > 0) {
    const message = (unplaced[0] ?? errors[0])?.message ?? "GitHub answered the query without data";
    for (const question of questions) question.reject(new Error(`GitHub GraphQL: ${message}`));
    return;
  }
  const data = response.data;
  const errorsOf = new Map<number, GraphQLErrorEntry[]>();
  for (const error of errors) {
    const { index } = questionIndexOf(error, questions.length);
    errorsOf.set(index, [...(errorsOf.get(index) ?? []), { ...error, path: (error.path ?? []).slice(1) }]);
  }
  questions.forEach((question, i) => {
    const value = data[`q${i}`] ?? null;
    try {
      const parsed =
        value === null ? value : parseAnswer(question.schema, value, template(question.field).root);
      question.resolve({ data: parsed, errors: errorsOf.get(i) ?? [] });
    } catch (error) {
      question.reject(error);
    }
  });
}

/** One query for the questions: each under the alias `q<i>`, its variables renamed `$q<i>_<name>`. */
function batchQuery(questions: readonly Question[]): { query: string; values: Record<string, unknown> } {
  const declared: string[] = [];
  const values: Record<string, unknown> = {};
  const fields = questions.map((question, i) => {
    for (const [name, [type, value]] of Object.entries(question.variables)) {
      declared.push(`$q${i}_${name}: ${type}`);
      values[`q${i}_${name}`] = value;
    }
    const { texts, names } = template(question.field);
    let field = texts[0] as string;
    for (const [j, name] of names.entries()) {
      if (!(name in question.variables)) throw new Error(`GraphQL variable $${name} is not declared`);
      field += `$q${i}_${name}${texts[j + 1]}`;
    }
    return `q${i}: ${field}`;
  });
  const query = `query${declared.length > 0 ? ` (${declared.join(", ")})` : ""} {\n  ${fields.join("\n  ")}\n}`;
  return { query, values };
}

interface Template {
  texts: string[];
  names: string[];
  /** The field's name (`repository`), where a located answer error starts. */
  root: string;
}

// The fields are a handful of constant texts: each is split at its variables once.
const templates = new Map<string, Template>();
function template(field: string): Template {
  let known = templates.get(field);
  if (!known) {
    const parts = field.split(/\$([A-Za-z_][A-Za-z0-9_]*)/);
    known = {
      texts: parts.filter((_, i) => i % 2 === 0),
      names: parts.filter((_, i) => i % 2 === 1),
      root: /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(field)?.[1] ?? "the answer",
    };
    templates.set(field, known);
  }
  return known;
}

/** GraphQL's response: data (absent or null when the query failed as a whole) and errors. */
const GraphQLResponse = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        type: z.string().optional(),
        path: z.array(z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
});
type GraphQLResponse = z.infer<typeof GraphQLResponse>;

const GHES_V3 = /\/api\/v3\/?$/;

/** POSTs one query; GitHub's answer, errors and partial data included, comes back as it is. */
function postQuery(
  octokit: GitHubOctokit,
  query: string,
  variables: Record<string, unknown>,
): Promise<unknown> {
  // GitHub Enterprise Server serves GraphQL at /api/graphql beside /api/v3 (as @octokit/graphql).
  const baseUrl = octokit.request.endpoint.DEFAULTS.baseUrl;
  const url = GHES_V3.test(baseUrl) ? { url: baseUrl.replace(GHES_V3, "/api/graphql") } : {};
  return requestJson<unknown>(octokit, "POST /graphql", url, { query, variables });
}

function questionIndexOf(error: GraphQLErrorEntry, count: number): { found: boolean; index: number } {
  const match = /^q(\d+)$/.exec(String(error.path?.[0] ?? ""));
  const index = match ? Number(match[1]) : -1;
  return { found: index >= 0 && index < count, index };
}

/** Throws the first error that is not a "not found": fail closed on anything unexplained. */
export function throwUnlessNotFound(errors: readonly GraphQLErrorEntry[], what: string): void {
  const other = errors.find((e) => e.type !== "NOT_FOUND");
  if (other) throw new Error(`GitHub could not answer ${what}: ${other.message}`);
}
