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
import type { GitHubClient, GitHubOctokit } from "./github-client.js";

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
  field: string;
  variables: Variables;
  resolve: (answer: Answer<unknown>) => void;
  reject: (error: unknown) => void;
}

export class GraphQLBatcher {
  private queue: Question[] = [];

  constructor(private readonly client: GitHubClient) {}

  /**
   * Asks one top-level field, e.g. `repository(owner: $owner, name: $name) { id }` with
   * `{ owner: ["String!", "acme"], name: ["String!", "models"] }`.
   */
  ask<T>(field: string, variables: Variables): Promise<Answer<T>> {
    return new Promise<Answer<unknown>>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ field, variables, resolve, reject });
    }) as Promise<Answer<T>>;
  }

  private flush(): void {
    const pending = this.queue;
    this.queue = [];
    for (let i = 0; i < pending.length; i += QUESTIONS_PER_QUERY) {
      void this.send(pending.slice(i, i + QUESTIONS_PER_QUERY));
    }
  }

  private async send(questions: Question[]): Promise<void> {
    let response: GraphQLResponse;
    try {
      const { query, values } = batchQuery(questions);
      response = await this.client.send((o) => postQuery(o, query, values));
    } catch (error) {
      for (const question of questions) question.reject(error);
      return;
    }
    const errors = response.errors ?? [];
    const unplaced = errors.filter((e) => !questionIndexOf(e, questions.length).found);
    if (!response.data || unplaced.length > 0) {
      const message = (unplaced[0] ?? errors[0])?.message ?? "GitHub answered the query without data";
      for (const question of questions) question.reject(new Error(`GitHub GraphQL: ${message}`));
      return;
    }
    const data = response.data;
    questions.forEach((question, i) => {
      const own = errors
        .filter((e) => questionIndexOf(e, questions.length).index === i)
        .map((e) => ({ ...e, path: (e.path ?? []).slice(1) }));
      question.resolve({ data: data[`q${i}`] ?? null, errors: own });
    });
  }
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

// The fields are a handful of constant texts: each is split at its variables once.
const templates = new Map<string, { texts: string[]; names: string[] }>();
function template(field: string): { texts: string[]; names: string[] } {
  let known = templates.get(field);
  if (!known) {
    const parts = field.split(/\$([A-Za-z_][A-Za-z0-9_]*)/);
    known = { texts: parts.filter((_, i) => i % 2 === 0), names: parts.filter((_, i) => i % 2 === 1) };
    templates.set(field, known);
  }
  return known;
}

interface GraphQLResponse {
  data: Record<string, unknown> | null;
  errors?: GraphQLErrorEntry[];
}

const GHES_V3 = /\/api\/v3\/?$/;

/**
 * POSTs one query and reads GitHub's answer, errors and partial data included, with JSON.parse.
 * Not `octokit.graphql`: it throws away nothing, but Octokit parses every body with a
 * BigInt-safe parser that cost more CPU than the rest of an evaluation's request handling, and
 * GraphQL's numbers here (counts, database ids) fit a double.
 */
async function postQuery(
  octokit: GitHubOctokit,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLResponse> {
  // GitHub Enterprise Server serves GraphQL at /api/graphql beside /api/v3 (as @octokit/graphql).
  const baseUrl = octokit.request.endpoint.DEFAULTS.baseUrl;
  const { data } = await octokit.request("POST /graphql", {
    ...(GHES_V3.test(baseUrl) ? { url: baseUrl.replace(GHES_V3, "/api/graphql") } : {}),
    data: JSON.stringify({ query, variables }),
    request: { parseSuccessResponseBody: false },
  });
  const text = await readStream(data as unknown as AsyncIterable<Uint8Array | string>);
  try {
    return JSON.parse(text) as GraphQLResponse;
  } catch {
    throw new Error(`GitHub GraphQL: the answer is not JSON (${text.slice(0, 80)})`);
  }
}

/** The whole body of an unparsed response (a Node stream or a web ReadableStream). */
async function readStream(body: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
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
