// The shapes of GitHub's answers that the facts read, parsed with zod where they arrive: a
// GraphQL question's field (github-graphql.ts parses it before the asker sees it) or a REST
// response body. An answer of another shape is an error naming where it differs and what was
// expected, so a missing field fails the evaluation instead of reading as `undefined` (no
// reviews, no such file, not a member). Only the fields the facts read are checked; objects keep
// only those (zod's default), so nothing else of an answer is trusted by accident.
import { z } from "zod";

// --- shared pieces -------------------------------------------------------------------------------

const login = z.object({ login: z.string() });
/** A connection's forward paging. */
const forward = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
/** A connection's backward paging (`last`/`before`). */
const backward = z.object({ hasPreviousPage: z.boolean(), startCursor: z.string().nullable() });
/** git's object kinds as a tree entry names them. */
const entryType = z.enum(["blob", "tree", "commit"]);

function connection<Node extends z.ZodType, Paging extends z.ZodType>(node: Node, pageInfo: Paging) {
  return z.object({ pageInfo, nodes: z.array(node.nullable()).nullable() });
}

// --- files and trees (github-blobs.ts, github-entries.ts, github-base.ts) -------------------------

/** `... on Blob { byteSize isBinary isTruncated text oid }`; other objects give their type only. */
export const GitObjectNode = z.discriminatedUnion("__typename", [
  z.object({
    __typename: z.literal("Blob"),
    byteSize: z.number(),
    isBinary: z.boolean().nullable(),
    isTruncated: z.boolean(),
    text: z.string().nullable(),
    oid: z.string(),
  }),
  z.object({ __typename: z.enum(["Tree", "Commit", "Tag"]) }),
]);
export type GitObjectNode = z.infer<typeof GitObjectNode>;

/** `repository { object(expression:) { … } }`. */
export const BlobAnswer = z.object({ object: GitObjectNode.nullable() });

/** A `TreeEntry` (`Commit.file(path:)`): its mode is a number (40960 for git's 120000). */
export const TreeEntryNode = z.object({
  type: entryType,
  mode: z.number(),
  object: GitObjectNode.nullable(),
});
export type TreeEntryNode = z.infer<typeof TreeEntryNode>;

const entries = z.array(z.object({ name: z.string(), type: entryType, mode: z.number() })).nullable();

/** `repository { object(expression:) { … on Tree { entries } … on Commit { tree { entries } } } }`. */
export const DirectoryAnswer = z.object({
  object: z
    .discriminatedUnion("__typename", [
      z.object({ __typename: z.literal("Tree"), entries }),
      z.object({ __typename: z.literal("Commit"), tree: z.object({ entries }).nullable() }),
      z.object({ __typename: z.enum(["Blob", "Tag"]) }),
    ])
    .nullable(),
});

const baseAnswers = new Map<number, z.ZodType<BaseAnswer>>();

/**
 * `repository { pullRequest { baseRefName baseRef { target { oid … on Commit { file0 … } } } } }`
 * with one `file<i>` per path asked: every one must be there (null: no such path).
 */
export function baseAnswer(paths: number): z.ZodType<BaseAnswer> {
  let schema = baseAnswers.get(paths);
  if (!schema) {
    const files: Record<string, z.ZodType<TreeEntryNode | null>> = {};
    for (let i = 0; i < paths; i++) files[`file${i}`] = TreeEntryNode.nullable();
    const target = z.object({ oid: z.string(), ...files });
    schema = z.object({
      pullRequest: z
        .object({ baseRefName: z.string(), baseRef: z.object({ target: target.nullable() }).nullable() })
        .nullable(),
    }) as unknown as z.ZodType<BaseAnswer>;
    baseAnswers.set(paths, schema);
  }
  return schema;
}
export interface BaseAnswer {
  pullRequest: {
    baseRefName: string;
    baseRef: { target: ({ oid: string } & Record<`file${number}`, TreeEntryNode | null>) | null } | null;
  } | null;
}

/** `GET /repos/{o}/{r}/git/trees/{sha}`: a submodule's entry has no `size`, only `mode` and `sha`. */
export const TreeListing = z.object({
  sha: z.string(),
  truncated: z.boolean(),
  tree: z.array(z.object({ path: z.string(), mode: z.string(), type: entryType, sha: z.string() })),
});

/** `GET /repos/{o}/{r}/git/blobs/{sha}`. */
export const BlobContent = z.object({ content: z.string(), encoding: z.string() });

// --- a pull request (github-pull.ts, github-commit-authors.ts) ----------------------------------

const user = z.object({ user: login.nullable() }).nullable();

/** `oid message author { user { login } } committer { user { login } }`. */
export const CommitPeopleNode = z.object({
  oid: z.string(),
  message: z.string(),
  author: user,
  committer: user,
});
export type CommitPeopleNode = z.infer<typeof CommitPeopleNode>;

export const FileNode = z.object({ path: z.string(), changeType: z.string() });
export type FileNode = z.infer<typeof FileNode>;
export const ReviewNode = z.object({
  databaseId: z.number().nullable().optional(),
  author: login.nullable(),
  state: z.string(),
  submittedAt: z.string().nullable(),
  commit: z.object({ oid: z.string() }).nullable(),
});
export type ReviewNode = z.infer<typeof ReviewNode>;
export const CommitNode = z.object({ commit: CommitPeopleNode });
export type CommitNode = z.infer<typeof CommitNode>;
export const CommentNode = z.object({
  author: z.object({ __typename: z.string(), login: z.string() }).nullable(),
  body: z.string(),
});
export type CommentNode = z.infer<typeof CommentNode>;

/** A pull request's connections, each with the paging it is read in. */
export const PULL_CONNECTIONS = {
  files: connection(FileNode, forward),
  reviews: connection(ReviewNode, forward),
  commits: connection(CommitNode, forward).extend({ totalCount: z.number() }),
  comments: connection(CommentNode, backward),
};
export type PullConnectionName = keyof typeof PULL_CONNECTIONS;
export type PullConnections = { [Name in PullConnectionName]: z.infer<(typeof PULL_CONNECTIONS)[Name]> };

export type PullAnswer<Names extends PullConnectionName> = {
  pullRequest: ({ changedFiles: number } & Pick<PullConnections, Names>) | null;
};

const pullAnswers = new Map<string, z.ZodType>();

/** `repository { pullRequest { changedFiles <the connections asked> } }`: each asked must be there. */
export function pullAnswer<Names extends PullConnectionName>(
  names: readonly Names[],
): z.ZodType<PullAnswer<Names>> {
  const key = names.join(" ");
  let schema = pullAnswers.get(key);
  if (!schema) {
    const asked = Object.fromEntries(names.map((name) => [name, PULL_CONNECTIONS[name]]));
    schema = z.object({ pullRequest: z.object({ changedFiles: z.number(), ...asked }).nullable() });
    pullAnswers.set(key, schema);
  }
  return schema as z.ZodType<PullAnswer<Names>>;
}

/** `repository { object(oid:) { … on Commit { authors { … } } } }`: no `authors` when not a commit. */
export const CommitAuthorsAnswer = z.object({
  object: z.object({ authors: connection(user.unwrap(), forward).optional() }).nullable(),
});
export type CommitAuthorsAnswer = z.infer<typeof CommitAuthorsAnswer>;

/** `GET /repos/{o}/{r}/pulls/{n}/files`, one item. */
export const ListedFile = z.object({
  filename: z.string(),
  status: z.string(),
  previous_filename: z.string().optional(),
});
export type ListedFile = z.infer<typeof ListedFile>;
export const ListedFiles = z.array(ListedFile);

/** `GET /repos/{o}/{r}/pulls/{n}`: only its count of files is read. */
export const PullFileCount = z.object({ changed_files: z.number() });

// GitHub gives `null` (or `{}`) when a commit's email matches no account.
const account = z.object({ login: z.string().optional() }).nullable();

/** `GET /repos/{o}/{r}/compare/{base}...{head}`, read for its files (on the first page only). */
export const Comparison = z.object({
  status: z.string(),
  merge_base_commit: z.object({ sha: z.string() }),
  files: z.array(ListedFile).optional(),
});

/** The same, read for its commits (on every page). */
export const ComparedCommits = z.object({
  total_commits: z.number(),
  commits: z.array(
    z.object({
      sha: z.string(),
      commit: z.object({ message: z.string() }),
      author: account,
      committer: account,
    }),
  ),
});

// --- people (github-people.ts) -------------------------------------------------------------------

/** `organization { team { members(query:) { … } } }`. */
export const TeamMembersAnswer = z.object({
  team: z.object({ members: connection(login, forward) }).nullable(),
});
export type TeamMembersAnswer = z.infer<typeof TeamMembersAnswer>;

/** `organization { team(slug:) { slug } }`. */
export const TeamAnswer = z.object({ team: z.object({ slug: z.string() }).nullable() });

/** `user { login organization(login:) { login } }`. */
export const UserInOrgAnswer = z.object({ login: z.string(), organization: login.nullable() });

/** `repository { collaborators(login:) { edges { permission node { login } } } }`. */
export const CollaboratorsAnswer = z.object({
  collaborators: z
    .object({ edges: z.array(z.object({ permission: z.string(), node: login }).nullable()).nullable() })
    .nullable(),
});

// --- reading an answer ----------------------------------------------------------------------------

/**
 * `value` as `schema` says, or an error naming the first place it differs, as a path from `root`
 * (`repository.pullRequest.files.nodes[0].path: expected string, received undefined`).
 */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  throw new GitHubAnswerError(`${locate(root, issue.path)}: ${expectation(issue)}`);
}

/** GitHub answered in a shape the app does not read: the evaluation fails closed with it. */
class GitHubAnswerError extends Error {
  constructor(where: string) {
    super(`GitHub's answer is not in the expected shape at ${where}`);
    this.name = "GitHubAnswerError";
  }
}

function locate(root: string, path: readonly PropertyKey[]): string {
  let located = root;
  for (const key of path) located += typeof key === "number" ? `[${key}]` : `.${String(key)}`;
  return located;
}

/** zod's message without its "Invalid input: " lead (`expected string, received undefined`). */
function expectation(issue: z.core.$ZodIssue): string {
  const message = issue.message.replace(/^Invalid (input|option|discriminator value)[:.] /, "");
  return message.charAt(0).toLowerCase() + message.slice(1);
}
