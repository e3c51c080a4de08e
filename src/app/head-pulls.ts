// The open pull requests of a repository whose head is one commit. GitHub keeps one
// `Readiness gate` run per commit, and every PR with that head shows it, so an evaluation must
// know them all (engine/combine.ts decides which one the run carries).
//
// They are found by listing the repository's open PRs (number and head SHA, 100 a page) in the
// evaluation's first GraphQL query: an ordinary PR pays no request for it. A repository with more
// than 100 open PRs pays one request per further 100. GitHub's own commit→PR association
// (`Commit.associatedPullRequests`) would be cheaper there but is not complete: it lists a fork's
// commit only under the fork, and only the merged PR of a commit already on the default branch.

import type { z } from "zod";
import type { RepoRef } from "../facts/github-client.js";
import type { Answer, GraphQLBatcher } from "../facts/github-graphql.js";
import { throwUnlessNotFound } from "../facts/github-graphql.js";
import { OpenPullsPage, PullDetails } from "./answers.js";
import { type EvaluationTarget, pullTarget } from "./target.js";

const PAGE = 100;
/** Past this many open PRs the evaluation fails closed rather than guess which share the head. */
const MAX_OPEN_PULLS = 5000;

/** Numbers of the repository's open PRs whose head is `headSha`, the evaluated one included. */
export async function openPullsWithHead(
  batch: GraphQLBatcher,
  repo: RepoRef,
  headSha: string,
): Promise<number[]> {
  const found: number[] = [];
  let after: string | null = null;
  for (let read = 0; ; read += PAGE) {
    if (read >= MAX_OPEN_PULLS) {
      throw new Error(
        `${repo.owner}/${repo.repo} has more than ${MAX_OPEN_PULLS} open pull requests: cannot tell which share the head ${headSha}`,
      );
    }
    const answer: Answer<z.output<typeof OpenPullsPage>> = await batch.ask(
      `repository(owner: $owner, name: $name) {
    pullRequests(states: [OPEN], first: ${PAGE}, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount pageInfo { hasNextPage endCursor } nodes { number headRefOid } } }`,
      {
        owner: ["String!", repo.owner],
        name: ["String!", repo.repo],
        after: ["String", after],
      },
      OpenPullsPage,
    );
    throwUnlessNotFound(answer.errors, `the open pull requests of ${repo.owner}/${repo.repo}`);
    const list = answer.data?.pullRequests;
    if (!list) throw new Error(`GitHub did not list the open pull requests of ${repo.owner}/${repo.repo}`);
    for (const node of list.nodes ?? []) if (node?.headRefOid === headSha) found.push(node.number);
    if (!list.pageInfo.hasNextPage) return found;
    after = list.pageInfo.endCursor;
  }
}

/**
 * The PRs as evaluation targets, asked together (one query). A PR that closed or moved on to
 * another head since it was listed is left out: it no longer shows this commit's run.
 */
export async function pullTargets(
  batch: GraphQLBatcher,
  repo: RepoRef,
  numbers: readonly number[],
  headSha: string,
): Promise<EvaluationTarget[]> {
  const answers = await Promise.all(
    numbers.map((number) =>
      batch.ask(
        `repository(owner: $owner, name: $name) { pullRequest(number: $number) {
    number state url author { login } baseRefOid baseRefName headRefOid headRefName } }`,
        {
          owner: ["String!", repo.owner],
          name: ["String!", repo.repo],
          number: ["Int!", number],
        },
        PullDetails,
      ),
    ),
  );
  return answers.flatMap((answer, i) => {
    throwUnlessNotFound(answer.errors, `pull request #${numbers[i]}`);
    const pull = answer.data?.pullRequest;
    if (pull?.state !== "OPEN" || pull.headRefOid !== headSha) return [];
    return [
      pullTarget(repo, {
        number: pull.number,
        html_url: pull.url,
        state: "open",
        user: pull.author,
        base: { sha: pull.baseRefOid, ref: pull.baseRefName },
        head: { sha: pull.headRefOid, ref: pull.headRefName },
      }),
    ];
  });
}
