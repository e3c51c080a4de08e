// The org policy: `.github/readiness.yml` in the owner's `.github` repository, default branch.
// No repository or no file (GitHub's NOT_FOUND) means no org policy. A file that exists but
// cannot be used (too large, not a file, not UTF-8) is an error value, not a missing policy and
// not a made-up text: the app turns it into a `policy_error`, so a broken org policy fails closed
// instead of silently leaving repositories ungoverned.
import type { LocatedError } from "../policy/located.js";
import type { PolicySourceText } from "../policy/resolve.js";
import { readBlob } from "./github-blobs.js";
import type { GitHubClient } from "./github-client.js";
import type { GraphQLBatcher } from "./github-graphql.js";

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
 * Check `"error" in result` to tell the two apart. Read through the evaluation's GraphQL batch,
 * so it shares a request with the repository policy and the pull request.
 */
export async function readOrgPolicy(
  client: GitHubClient,
  batch: GraphQLBatcher,
  owner: string,
): Promise<PolicySourceText | OrgPolicyError | undefined> {
  const label = `${owner}/${ORG_POLICY_REPO}:${ORG_POLICY_PATH}`;
  const read = await readBlob(client, batch, { owner, repo: ORG_POLICY_REPO }, `HEAD:${ORG_POLICY_PATH}`);
  const fail = (message: string): OrgPolicyError => ({ label, error: { path: label, message } });
  switch (read.kind) {
    case "no_repository":
    case "missing":
      return undefined;
    case "too_large":
      return fail(`the org policy is too large to read (${read.size} bytes)`);
    case "unreadable":
      return fail(`the org policy cannot be read: ${read.reason}`);
  }
  try {
    return { path: ORG_POLICY_PATH, label, text: decoder.decode(read.bytes) };
  } catch {
    return {
      label,
      error: { path: label, line: 1, column: 1, message: "the org policy is not valid UTF-8 text" },
    };
  }
}
