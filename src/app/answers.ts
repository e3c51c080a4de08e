// The shapes of GitHub's answers to the app's own GraphQL questions (the facts' are in
// facts/github-schema.ts), parsed where they arrive: a wrong-shaped answer fails the evaluation
// with the path that differs, never reads as "no other PRs" or "no run yet".
import { z } from "zod";

/** `repository { pullRequests(states: [OPEN]) { totalCount pageInfo nodes { number headRefOid } } }`. */
export const OpenPullsPage = z.object({
  pullRequests: z
    .object({
      totalCount: z.number(),
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      nodes: z.array(z.object({ number: z.number(), headRefOid: z.string() }).nullable()).nullable(),
    })
    .nullable(),
});

/** `repository { pullRequest(number:) { number state url author baseRef… headRef… } }`. */
export const PullDetails = z.object({
  pullRequest: z
    .object({
      number: z.number(),
      state: z.string(),
      url: z.string(),
      author: z.object({ login: z.string() }).nullable(),
      baseRefOid: z.string(),
      baseRefName: z.string(),
      headRefOid: z.string(),
      headRefName: z.string(),
    })
    .nullable(),
});

const RunNode = z.object({
  databaseId: z.number().nullable(),
  externalId: z.string().nullable(),
  annotations: z.object({ totalCount: z.number() }).nullable(),
});

/** `repository { object(oid:) { ... on Commit { checkSuites { nodes { checkRuns { nodes } } } } } }`. */
export const CommitRuns = z.object({
  object: z
    .object({
      checkSuites: z
        .object({
          nodes: z.array(
            z.object({ checkRuns: z.object({ nodes: z.array(RunNode.nullable()) }).nullable() }).nullable(),
          ),
        })
        .optional(),
    })
    .nullable(),
});
