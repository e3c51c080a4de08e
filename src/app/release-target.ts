// Which commit a release names and which releases came before it: the two questions asked before
// the release gate can gather anything. The tag decides the commit (a tag on GitHub is what the
// release ships); a draft whose tag does not exist yet is judged at its `target_commitish`.
import { z } from "zod";
import type { GitHubOctokit } from "../facts/github.js";
import type { RepoRef } from "../facts/github-client.js";
import { parseAnswer } from "../facts/github-schema.js";

const Target = z.object({ oid: z.string(), target: z.object({ oid: z.string() }).optional() }).nullable();
const Resolved = z.object({
  repository: z.object({ tag: z.object({ target: Target }).nullable(), commitish: Target }).nullable(),
});

/** The commit of the release's tag, else of its target; undefined when GitHub knows neither. */
export async function releaseCommit(
  octokit: GitHubOctokit,
  repo: RepoRef,
  tag: string,
  commitish: string,
): Promise<string | undefined> {
  const data = await octokit.graphql(
    `query($owner: String!, $name: String!, $tag: String!, $commitish: String!) {
  repository(owner: $owner, name: $name) {
    tag: ref(qualifiedName: $tag) { target { oid ... on Tag { target { oid } } } }
    commitish: object(expression: $commitish) { oid ... on Tag { target { oid } } } } }`,
    { owner: repo.owner, name: repo.repo, tag: `refs/tags/${tag}`, commitish },
  );
  const found = parseAnswer(Resolved, data, "release target").repository;
  // An annotated tag points at a tag object, which points at the commit.
  const commitOf = (t: z.output<typeof Target>) => (t ? (t.target?.oid ?? t.oid) : undefined);
  return commitOf(found?.tag?.target ?? null) ?? commitOf(found?.commitish ?? null);
}

export interface ListedRelease {
  tag: string;
  draft: boolean;
  createdAt: string;
}

const Releases = z.array(z.object({ tag_name: z.string(), draft: z.boolean(), created_at: z.string() }));

/** The repository's published releases' tags created before `before` (ISO time) or with it, newest first; one request. */
export async function earlierReleases(
  octokit: GitHubOctokit,
  repo: RepoRef,
  exclude: string,
  before?: string,
): Promise<string[]> {
  const { data } = await octokit.rest.repos.listReleases({ ...repo, per_page: 100 });
  return parseAnswer(Releases, data, "releases")
    .filter((r) => !r.draft && r.tag_name !== exclude && (before === undefined || r.created_at <= before))
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
    .map((r) => r.tag_name);
}
