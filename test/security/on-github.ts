// Attacks through the GitHub facts source: the stand-in plays GitHub (every request validated
// against its OpenAPI description and GraphQL schema), the app's facts source and engine run in
// this process, as the app's handlers run them (the first query asked in one turn).
import { ProbotOctokit } from "probot";
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import type { Evaluation } from "../../src/engine/types.js";
import { type GitHubFacts, githubFacts } from "../../src/facts/github.js";
import type { GitHubOctokit } from "../../src/facts/github-client.js";
import { POLICY_PATH } from "../../src/policy/schema.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";

export async function standIn(): Promise<{ gh: GitHubStandIn; octokit: GitHubOctokit }> {
  const gh = await startGitHubStandIn();
  const octokit = new ProbotOctokit({
    baseUrl: gh.baseUrl,
    auth: { token: gh.installationToken },
    throttle: { enabled: false },
    retry: { enabled: false },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  }) as unknown as GitHubOctokit;
  return { gh, octokit };
}

/** The facts of pull request `number` of `repo`, its base SHA as a payload gave it (`baseSha`). */
export function pullFacts(
  gh: GitHubStandIn,
  octokit: GitHubOctokit,
  repo: string,
  number: number,
  baseSha?: string,
): GitHubFacts {
  const pr = gh.pullRequest(repo, number);
  const [owner = "", name = ""] = repo.split("/");
  return githubFacts(octokit, {
    owner,
    repo: name,
    baseSha: baseSha ?? pr.base.sha,
    headSha: pr.head.sha,
    pull: { number, author: pr.user },
  });
}

/** Evaluates the pull request as the app does; `baseSha` is the payload's (possibly stale) base. */
export async function evaluatePull(
  gh: GitHubStandIn,
  octokit: GitHubOctokit,
  repo: string,
  number: number,
  options: { baseSha?: string; now?: Date } = {},
): Promise<{ facts: GitHubFacts; evaluation: Evaluation }> {
  const facts = pullFacts(gh, octokit, repo, number, options.baseSha);
  const builtins = () => undefined;
  // The first query, as gather.ts asks it: the org policy, the PR, the repository policy.
  const orgRead = facts.orgPolicy();
  facts.changedFiles().catch(() => undefined);
  facts.readFile("base", POLICY_PATH).catch(() => undefined);
  const org = await orgRead;
  if (org && "error" in org) throw new Error(org.error.message);
  const policy = await loadEffectivePolicy(facts, { ...(org ? { org } : {}), builtins });
  if (!policy) throw new Error(`${repo} has no readiness policy`);
  const evaluation = await evaluate({
    facts,
    policy,
    builtins,
    now: options.now ?? new Date(),
    ...(org ? { org } : {}),
  });
  return { facts, evaluation };
}
