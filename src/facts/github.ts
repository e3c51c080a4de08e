// Facts from the GitHub API, for the app: one source per evaluation. API requests are the
// scarcest resource, so everything is fetched once and batched:
// - changedFiles: one request per 100 PR files (see github-changes.ts for GitHub's caps);
// - listFiles: one recursive tree request per side, whatever the directories asked for;
// - readFile: reads of the same tick share one GraphQL query (50 files per query);
// - people: one request (or one per page) per distinct question.
// `requestCount()` is what this source sent, every page counted (see github-client.ts).

import { batchedBlobReader } from "./github-blobs.js";
import { commitChanges, pullRequestChanges } from "./github-changes.js";
import { GitHubClient, type GitHubOctokit } from "./github-client.js";
import { githubPeople } from "./github-people.js";
import { GitTrees } from "./github-tree.js";
import { normalizeRepoDir, normalizeRepoPath } from "./repo-path.js";
import type { ChangeList, Facts, FileRead, Override, Side } from "./types.js";

export type { GitHubOctokit } from "./github-client.js";
export { normalizeReviewState } from "./github-people.js";

export interface GitHubTarget {
  owner: string;
  repo: string;
  baseSha: string;
  headSha: string;
  /** The pull request being evaluated; without it (a push, a release) there are no `people`. */
  pull?: { number: number; author: string };
}

export interface GitHubFactsOptions {
  /** The override in force on this head, read by the app from its own store. */
  override?: () => Promise<Override | undefined>;
}

export type GitHubFacts = Facts & {
  /** HTTP requests this source has sent so far, each page of a listing counted. */
  requestCount(): number;
};

export function githubFacts(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  options: GitHubFactsOptions = {},
): GitHubFacts {
  const client = new GitHubClient(octokit, { owner: target.owner, repo: target.repo });
  const trees = new GitTrees(client);
  const readBlob = batchedBlobReader(client);
  const shaOf = (side: Side) => (side === "base" ? target.baseSha : target.headSha);
  const reads = new Map<string, Promise<FileRead>>();
  let changes: Promise<ChangeList> | undefined;
  const { pull } = target;

  return {
    baseSha: target.baseSha,
    headSha: target.headSha,
    ...(pull ? { people: githubPeople(client, trees, { ...target, pull }, options.override) } : {}),
    changedFiles() {
      changes ??= pull
        ? pullRequestChanges(client, pull.number)
        : commitChanges(client, trees, target.baseSha, target.headSha);
      return changes;
    },
    readFile(side, path) {
      const normal = normalizeRepoPath(path);
      if (normal === undefined) {
        return Promise.resolve({ kind: "unreadable", reason: `${path} is not a path inside the repository` });
      }
      const key = `${side}:${normal}`;
      let read = reads.get(key);
      if (!read) {
        read = readBlob(shaOf(side), normal);
        reads.set(key, read);
      }
      return read;
    },
    async listFiles(side, dir) {
      const below = normalizeRepoDir(dir);
      return below === undefined ? [] : trees.files(shaOf(side), below);
    },
    requestCount: () => client.requestCount(),
  };
}
