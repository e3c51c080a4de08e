// The Octokit the app runs with: Probot's, with two things swapped for lighter ones.
//
// 1. GitHub's limits are honoured by `githubLimits` (pauses shared across replicas through Redis,
//    a cap of concurrent requests per installation, retries of rate limits and server errors)
//    instead of Octokit's throttling and retry plugins, which are turned off here.
// 2. Requests go through Node's http client (`nodeHttpFetch`) instead of the global fetch.
//
// Both were measured to be most of the app's own CPU in a burst of evaluations
// (docs/benchmarks.md); auth, endpoints, pagination and errors stay Octokit's.
import { ProbotOctokit } from "probot";
import { nodeHttpFetch } from "./http-fetch.js";
import { type GitHubLimitsOptions, githubLimits } from "./limits.js";
import { localPauses } from "./rate-limit-pauses.js";

export type ReadinessOctokitOptions = Partial<GitHubLimitsOptions>;

export function readinessOctokit(options: ReadinessOctokitOptions = {}): typeof ProbotOctokit {
  const limits = githubLimits({ ...options, pauses: options.pauses ?? localPauses() });
  return ProbotOctokit.plugin(limits).defaults((instance: Record<string, unknown> = {}) => {
    const request = (instance.request ?? {}) as { fetch?: unknown };
    return {
      ...instance,
      retry: { enabled: false },
      throttle: { enabled: false },
      request: { ...request, fetch: request.fetch ?? nodeHttpFetch },
    };
  }) as typeof ProbotOctokit;
}
