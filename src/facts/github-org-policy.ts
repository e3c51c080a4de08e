// The org policy: `.github/readiness.yml` in the owner's `.github` repository, default branch.
// One request. No file (404) means no org policy. A file that exists but cannot be used (too
// large for the contents API, not a file, not UTF-8) is an error value, not a missing policy and
// not a made-up text: the app turns it into a `policy_error`, so a broken org policy fails closed
// instead of silently leaving repositories ungoverned.
import type { LocatedError } from "../policy/located.js";
import type { PolicySourceText } from "../policy/resolve.js";
import type { GitHubOctokit } from "./github-client.js";
import { isNotFound } from "./github-client.js";

export const ORG_POLICY_REPO = ".github";
export const ORG_POLICY_PATH = ".github/readiness.yml";

export interface OrgPolicyError {
  /** Names the file in `sources`, as a PolicySource's label would. */
  label: string;
  error: LocatedError;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The org policy as a PolicySource (`path` `.github/readiness.yml`, `label`
 * `<owner>/.github:.github/readiness.yml`), an OrgPolicyError, or undefined when there is none.
 * Check `"error" in result` to tell the two apart.
 */
export async function readOrgPolicy(
  octokit: GitHubOctokit,
  owner: string,
): Promise<PolicySourceText | OrgPolicyError | undefined> {
  const label = `${owner}/${ORG_POLICY_REPO}:${ORG_POLICY_PATH}`;
  let data: Awaited<ReturnType<GitHubOctokit["rest"]["repos"]["getContent"]>>["data"];
  try {
    ({ data } = await octokit.rest.repos.getContent({ owner, repo: ORG_POLICY_REPO, path: ORG_POLICY_PATH }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const fail = (message: string): OrgPolicyError => ({ label, error: { path: label, message } });
  if (Array.isArray(data)) return fail("the org policy is a directory, not a file");
  if (data.type !== "file") return fail(`the org policy is a ${data.type}, not a file`);
  // The contents API inlines files up to 1 MB; a larger policy is surely a mistake.
  if (!("content" in data) || (data.encoding !== "base64" && data.size > 0)) {
    return fail(`the org policy is too large to read (${data.size} bytes)`);
  }
  try {
    return { path: ORG_POLICY_PATH, label, text: decoder.decode(Buffer.from(data.content, "base64")) };
  } catch {
    return {
      label,
      error: { path: label, line: 1, column: 1, message: "the org policy is not valid UTF-8 text" },
    };
  }
}
