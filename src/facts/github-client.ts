// The one door to GitHub for a Facts source: it holds the repository and counts every HTTP
// request it sends, page by page. A `hook.before("request")` would count the whole octokit,
// shared with the rest of the handler; this counts only what one evaluation's facts cost.
// Retries made inside octokit's retry plugin are not seen here.
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
