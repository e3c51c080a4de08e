// Facts from the GitHub API, for the app: one source per evaluation. API requests are the
// scarcest resource, so everything is fetched once, and every question asked in the same turn of
// the event loop shares one GraphQL query (github-graphql.ts):
// - the org policy, the base branch's current tip with the repository policy read there
//   (github-base.ts), and the pull request's first 100 files, reviews, commits and comments
//   (github-pull.ts) form the first query;
// - file reads, entry kinds (github-entries.ts), the authors of commits whose message names a
//   co-author (github-commit-authors.ts), team memberships, whether owners belong to the
//   organisation and admin permissions join whichever query is next;
// - listFiles: one recursive tree request per side (REST), whatever the directories asked for;
// - changedSince: a comparison per reviewed commit that is not the head (REST).
// `requestCount()` is what this source sent, every page counted (see github-client.ts).

import type { PolicySourceText } from "../policy/resolve.js";
import { type BaseSide, fixedBase, pullRequestBase } from "./github-base.js";
import { batchedBlobReader } from "./github-blobs.js";
import { commitChanges } from "./github-changes.js";
import { GitHubClient, type GitHubOctokit, type RepoRef } from "./github-client.js";
import { TreeEntryKinds } from "./github-entries.js";
import { GraphQLBatcher, type SharedBatch } from "./github-graphql.js";
import { type OrgPolicyError, readOrgPolicy } from "./github-org-policy.js";
import { githubPeople } from "./github-people.js";
import { type PullComment, type PullSnapshot, readPullSnapshot } from "./github-pull.js";
import { GitTrees } from "./github-tree.js";
import { memo } from "./memo.js";
import { normalizeRepoDir, normalizeRepoPath } from "./repo-path.js";
import type { ChangeList, Facts, Side } from "./types.js";

export type { GitHubOctokit } from "./github-client.js";
export { normalizeReviewState } from "./github-people.js";

export interface GitHubTarget extends RepoRef {
  /**
   * The base commit. For a pull request only a hint until the first query answers: the base is
   * the base branch's current tip (github-base.ts), whatever SHA the payload carried.
   */
  baseSha: string;
  headSha: string;
  /** The pull request being evaluated; without it (a push, a release) there are no `people`. */
  pull?: { number: number; author: string };
}

export interface GitHubFactsOptions {
  /** Share GraphQL queries with the installation's other evaluations (see SharedQueries). */
  shared?: SharedBatch;
}

export type GitHubFacts = Facts & {
  /** HTTP requests this source has sent so far, each page of a listing counted. */
  requestCount(): number;
  /** The owner's org policy (see github-org-policy.ts), read in the same query as the rest. */
  orgPolicy(): Promise<PolicySourceText | OrgPolicyError | undefined>;
  /** The PR's comments, oldest first (empty without a PR): where the app keeps its overrides. */
  comments(): Promise<PullComment[]>;
  /** The evaluation's GraphQL batch, for the app's own questions (the check-run lookup). */
  readonly graphql: GraphQLBatcher;
  /** Its REST client and trees, for the questions a release asks (facts/github-range.ts), counted with the rest. */
  readonly client: GitHubClient;
  readonly trees: GitTrees;
};

export function githubFacts(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  options: GitHubFactsOptions = {},
): GitHubFacts {
  const client = new GitHubClient(octokit, { owner: target.owner, repo: target.repo });
  const trees = new GitTrees(client);
  const batch = new GraphQLBatcher(client, options.shared);
  const kinds = new TreeEntryKinds(client, batch, trees);
  const readBlob = batchedBlobReader(client, batch);
  const { pull } = target;
  const base: BaseSide = pull
    ? pullRequestBase(client, batch, pull.number, target.baseSha, readBlob)
    : fixedBase(target.baseSha, readBlob);
  const shaOf = (side: Side) => (side === "base" ? base.sha() : Promise.resolve(target.headSha));
  const reads = memo();
  let changes: Promise<ChangeList> | undefined;
  let org: ReturnType<GitHubFacts["orgPolicy"]> | undefined;
  let pullSnapshot: Promise<PullSnapshot> | undefined;
  const snapshot = (number: number) => {
    pullSnapshot ??= readPullSnapshot(client, batch, { number, baseSha: base.sha, headSha: target.headSha });
    return pullSnapshot;
  };

  return {
    // The tip once the first query answered (the engine runs after it), the payload's until then.
    get baseSha() {
      return base.known();
    },
    headSha: target.headSha,
    graphql: batch,
    client,
    trees,
    ...(pull
      ? {
          people: githubPeople(client, batch, trees, { ...target, pull }, () => snapshot(pull.number)),
        }
      : {}),
    changedFiles() {
      changes ??= pull
        ? snapshot(pull.number).then((s) => s.changes)
        : commitChanges(client, trees, target.baseSha, target.headSha);
      return changes;
    },
    orgPolicy() {
      org ??= readOrgPolicy(client, batch, target.owner);
      return org;
    },
    async comments() {
      return pull ? (await snapshot(pull.number)).comments : [];
    },
    readFile(side, path) {
      const normal = normalizeRepoPath(path);
      if (normal === undefined) {
        return Promise.resolve({ kind: "unreadable", reason: `${path} is not a path inside the repository` });
      }
      return reads(`${side}:${normal}`, () =>
        side === "base" ? base.read(normal) : readBlob(target.headSha, normal),
      );
    },
    async listFiles(side, dir) {
      const below = normalizeRepoDir(dir);
      return below === undefined ? [] : trees.files(await shaOf(side), below);
    },
    async entryKind(side, path) {
      return kinds.kind(await shaOf(side), path);
    },
    requestCount: () => client.requestCount(),
  };
}
