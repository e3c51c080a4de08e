// The app tests' sample repository on the GitHub stand-in, with the app in this process (every
// request checked against GitHub's description): for scenarios, where nock would have to replay
// GitHub. The clock is the app tests' fixed `NOW`, for both the app and the stand-in.
import { expect } from "vitest";
import type { ServiceOptions } from "../../src/app/services.js";
import { InProcessApp } from "../e2e/in-process.js";
import type { PullRequestRecord } from "../support/github-standin/records.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { baseFiles, results, TEAMS } from "./repository.js";

/** The app tests' clock. */
export const NOW = new Date("2026-11-21T12:00:00Z");

export const REPO = "acme/app";

/** The change of the sample PR: the model retrained with fresh results. */
export const RETRAINED = {
  "models/churn/model.py": "weights = 2\n",
  "models/churn/eval/results.json": results(0.95),
};

export interface Sample {
  gh: GitHubStandIn;
  app: InProcessApp;
}

/** A fresh stand-in holding `acme/app` (the sample policy and model) and its teams, and the app. */
export async function sample(
  files: Record<string, string> = baseFiles(),
  options: ServiceOptions = {},
): Promise<Sample> {
  const gh = await startGitHubStandIn({ now: () => NOW });
  addSampleRepository(gh, REPO, files);
  const app = await InProcessApp.start(gh, { now: () => NOW, ...options });
  return { gh, app };
}

/**
 * The sample repository `repo` holding `files`, by alice, a member of its owner organisation,
 * with the sample teams (`TEAMS`) in that organisation.
 */
export function addSampleRepository(gh: GitHubStandIn, repo: string, files: Record<string, string>): void {
  const [owner = ""] = repo.split("/");
  for (const [team, members] of Object.entries(TEAMS)) {
    gh.addTeam(owner, team.replace(/^acme\//, ""), { members });
  }
  gh.addOrgMember(owner, "alice");
  gh.addRepo(repo, { files, author: "alice" });
}

/**
 * A PR of `repo` (default the sample's) by `user` with `files` changed (`null` deletes) on branch
 * `head`; by default dana's, with the retrained model.
 */
export function openPull(
  gh: GitHubStandIn,
  options: { repo?: string; files?: Record<string, string | null>; user?: string; head?: string } = {},
): PullRequestRecord {
  return gh.openPullRequest(options.repo ?? REPO, {
    head: options.head ?? "retrain",
    user: options.user ?? "dana",
    title: "Retrain churn",
    files: options.files ?? RETRAINED,
  });
}

/** Requests the app sent, as `METHOD /path`, that change something on GitHub. */
export function writes(gh: GitHubStandIn): string[] {
  return gh.requests
    .filter((r) => r.method !== "GET" && r.route !== "POST /graphql" && !r.path.startsWith("/app/"))
    .map((r) => `${r.method} ${r.path}`);
}

/** GitHub would have accepted every request the app sent, and the stand-in answered each. */
export function expectAccepted(gh: GitHubStandIn): void {
  expect(gh.violations).toEqual([]);
  expect(gh.unhandled).toEqual([]);
}
