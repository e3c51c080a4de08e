// The Octokit the app runs with: Probot's, with two parts of its own.
//
// 1. GitHub's limits are honoured by `githubLimits` (limits.ts: pauses shared across replicas
//    through Redis, a cap of concurrent requests per installation, retries of rate limits and
//    server errors); Octokit's throttling and retry plugins are turned off, so nothing retries twice.
// 2. Requests go through `githubFetch` (http-fetch.ts): undici's fetch with a keep-alive agent and
//    a one-minute idle timeout.
//
// Auth, endpoints, pagination and errors stay Octokit's. Why these two parts are the app's own:
// docs/decisions.md, "Talking to GitHub".
import { ProbotOctokit } from "probot";
import { githubFetch } from "./http-fetch.js";
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
      request: { ...request, fetch: request.fetch ?? githubFetch },
    };
  }) as typeof ProbotOctokit;
}
