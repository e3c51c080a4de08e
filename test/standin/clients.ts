// The clients the stand-in's own tests talk to it with: Probot's Octokit (REST, as the app sends
// it) and a bare GraphQL POST that returns GitHub's whole answer, errors included.

import { ProbotOctokit } from "probot";
import { expect } from "vitest";
import type { GitHubStandIn } from "../support/github-standin.js";

export type StandInOctokit = InstanceType<typeof ProbotOctokit>;

/**
 * Probot's Octokit on the stand-in's installation token, quiet, without throttling. `retry`:
 * Octokit's retry options (the default retries quickly; `{ enabled: false }` lets a failure the
 * stand-in injects reach the test as the first attempt saw it).
 */
export function standInOctokit(
  gh: GitHubStandIn,
  retry: { enabled?: boolean; retryAfterBaseValue?: number } = { retryAfterBaseValue: 10 },
): StandInOctokit {
  return new ProbotOctokit({
    baseUrl: gh.baseUrl,
    auth: { token: gh.installationToken },
    throttle: { enabled: false },
    retry,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

/** A GraphQL response body. */
export interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: response shapes vary per query; tests index freely
  data?: any;
  errors?: Array<Record<string, unknown>>;
}

/** POSTs a query as Octokit does and returns GitHub's whole response body (data and errors). */
export async function postGraphQL(
  gh: GitHubStandIn,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLBody> {
  const res = await fetch(gh.graphqlUrl, {
    method: "POST",
    headers: { authorization: `token ${gh.installationToken}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as GraphQLBody;
}
