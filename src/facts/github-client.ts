// The one door to GitHub for a Facts source: it holds the repository and counts every HTTP
// request it sends, page by page. A `hook.before("request")` would count the whole octokit,
// shared with the rest of the handler; this counts only what one evaluation's facts cost.
// Retries made below Octokit's request (the app's limits plugin, app/github/limits.ts) are not
// seen here.
import type { ProbotOctokit } from "probot";

/** Probot 14's `context.octokit`. */
export type GitHubOctokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export class GitHubClient {
  private sent = 0;

  constructor(
    readonly octokit: GitHubOctokit,
    readonly repo: RepoRef,
  ) {}

  requestCount(): number {
    return this.sent;
  }

  /** A request another evaluation sent for this one too (a shared GraphQL query). */
  countShared(): void {
    this.sent++;
  }

  /** One request. */
  send<T>(request: (octokit: GitHubOctokit) => Promise<T>): Promise<T> {
    this.sent++;
    return request(this.octokit);
  }

  /** One request whose 404 means "there is none"; every other error propagates (fail closed). */
  async sendOrMissing<T>(request: (octokit: GitHubOctokit) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.send(request);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every item of a paginated listing (`octokit.paginate.iterator`), one counted request per page. */
  async allPages<T>(pages: (octokit: GitHubOctokit) => AsyncIterable<{ data: T[] }>): Promise<T[]> {
    const iterator = pages(this.octokit)[Symbol.asyncIterator]();
    const items: T[] = [];
    for (;;) {
      // Counted before the request so a failing page is counted too; the final `done` sends nothing.
      this.sent++;
      const page = await iterator.next();
      if (page.done) {
        this.sent--;
        return items;
      }
      items.push(...page.value.data);
    }
  }
}

export function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "status" in error && error.status === 404;
}

/**
 * A request whose JSON body is sent ready-made and whose answer is read with JSON.parse.
 * Octokit serialises and parses every body with a BigInt-safe JSON library that walks each value
 * with a callback, a cost that grows with the app's big bodies (GraphQL answers carrying file
 * texts, check-run summaries); GitHub's numbers here (ids, counts) fit a double. The caller parses
 * the value's shape (github-schema.ts). Errors (status >= 400) still come back as Octokit's
 * RequestError.
 */
export async function requestJson<T>(
  octokit: GitHubOctokit,
  route: string,
  parameters: Record<string, unknown>,
  body: unknown,
): Promise<T> {
  const { data } = await octokit.request(route, {
    ...parameters,
    data: JSON.stringify(body),
    request: { parseSuccessResponseBody: false },
  });
  const text = await readText(data as unknown as AsyncIterable<Uint8Array | string>);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`GitHub answered ${route} with something that is not JSON (${text.slice(0, 80)})`);
  }
}

/** The whole body of an unparsed response (a Node stream, or a web ReadableStream from fetch). */
async function readText(body: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}
