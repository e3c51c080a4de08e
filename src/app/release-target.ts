// Which commit a release names and which releases came before it, in one GraphQL query: the tag's
// commit (a tag on GitHub is what the release ships; a draft whose tag does not exist yet is judged
// at its `target_commitish`) and the repository's latest releases with their tags' commits.
import { z } from "zod";
import type { GitHubOctokit } from "../facts/github.js";
import type { RepoRef } from "../facts/github-client.js";
import { parseAnswer } from "../facts/github-schema.js";

/** Releases read, newest first: the previous release is among the latest few. */
const RELEASES_READ = 30;

const Target = z.object({ oid: z.string(), target: z.object({ oid: z.string() }).optional() }).nullable();
const Answer = z.object({
  repository: z
    .object({
      tag: z.object({ target: Target }).nullable().optional(),
      commitish: Target.optional(),
      releases: z.object({
        nodes: z
          .array(
            z
              .object({
                tagName: z.string(),
                isDraft: z.boolean(),
                createdAt: z.string(),
                tagCommit: z.object({ oid: z.string() }).nullable(),
              })
              .nullable(),
          )
          .nullable(),
      }),
    })
    .nullable(),
});

export interface EarlierRelease {
  tag: string;
  commit: string;
}

export interface ReleaseTarget {
  /** The commit the release names; undefined when GitHub knows neither its tag nor its target. */
  commit: string | undefined;
  /** Published releases other than this one, created before it (or with it), newest first. */
  earlier: EarlierRelease[];
}

/** `release`: the release being judged; without it (a deployment) every published release is earlier. */
export async function releaseTarget(
  octokit: GitHubOctokit,
  repo: RepoRef,
  release?: { tag: string; commitish: string; createdAt?: string },
): Promise<ReleaseTarget> {
  const asks = release
    ? `tag: ref(qualifiedName: $tag) { target { oid ... on Tag { target { oid } } } }
    commitish: object(expression: $commitish) { oid ... on Tag { target { oid } } }`
    : "";
  const data = await octokit.graphql(
    `query($owner: String!, $name: String!${release ? ", $tag: String!, $commitish: String!" : ""}) {
  repository(owner: $owner, name: $name) {
    ${asks}
    releases(first: ${RELEASES_READ}, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { tagName isDraft createdAt tagCommit { oid } } } } }`,
    {
      owner: repo.owner,
      name: repo.repo,
      ...(release ? { tag: `refs/tags/${release.tag}`, commitish: release.commitish } : {}),
    },
  );
  const found = parseAnswer(Answer, data, "release target").repository;
  // An annotated tag points at a tag object, which points at the commit.
  const commitOf = (t: z.output<typeof Target> | undefined) => (t ? (t.target?.oid ?? t.oid) : undefined);
  const commit = commitOf(found?.tag?.target) ?? commitOf(found?.commitish);
  const earlier = (found?.releases.nodes ?? []).flatMap((r) =>
    r &&
    !r.isDraft &&
    r.tagCommit &&
    r.tagName !== release?.tag &&
    (release?.createdAt === undefined || r.createdAt <= release.createdAt)
      ? [{ tag: r.tagName, commit: r.tagCommit.oid }]
      : [],
  );
  return { commit, earlier };
}
