// What a path is in a commit's tree: a file, a symbolic link, a submodule, a directory, or
// nothing. GraphQL does not give a blob's mode, but a tree's entries carry it (`mode`, `type`): each
// path's parent directory is asked for once, as one question that joins the evaluation's next
// query (github-graphql.ts), and answers every path in that directory. Past a query's worth of
// directories in one commit (a PR touching hundreds of artifacts), each further question would
// cost a request per 50: the rest are answered from the commit's one recursive tree listing
// (REST, shared with listFiles), unless GitHub truncates it.
import type { GitHubClient } from "./github-client.js";
import { type GraphQLBatcher, QUESTIONS_PER_QUERY, throwUnlessNotFound } from "./github-graphql.js";
import { DirectoryAnswer } from "./github-schema.js";
import type { GitTrees } from "./github-tree.js";
import { normalizeRepoPath } from "./repo-path.js";
import type { EntryKind } from "./types.js";

const SYMLINK_MODE = 0o120000;

/**
 * A tree entry's kind from git's `type` (`blob`, `tree`, `commit`) and mode (as a number: GraphQL
 * gives 40960 for 120000; REST's octal string is parsed by the caller).
 */
export function kindOfEntry(type: string, mode: number): Exclude<EntryKind, "missing"> {
  if (type === "tree") return "directory";
  if (type === "commit") return "submodule";
  return mode === SYMLINK_MODE ? "symlink" : "file";
}

// The root is the commit's own tree: `<sha>` names the commit, `<sha>:<dir>` a directory.
const ENTRIES = "entries { name type mode }";
const DIRECTORY = `repository(owner: $owner, name: $name) {
    object(expression: $expression) { __typename ... on Tree { ${ENTRIES} } ... on Commit { tree { ${ENTRIES} } } }
  }`;

/** Directories of one commit asked through GraphQL before the recursive listing answers the rest. */
const DIRECTORY_QUESTIONS = QUESTIONS_PER_QUERY;

export class TreeEntryKinds {
  /** `<commit>:<dir>` → the directory's entries by name (undefined: no such directory). */
  private readonly directories = new Map<string, Promise<Map<string, EntryKind> | undefined>>();
  /** Directories asked through GraphQL, per commit. */
  private readonly asked = new Map<string, number>();

  constructor(
    private readonly client: GitHubClient,
    private readonly batch: GraphQLBatcher,
    private readonly trees: GitTrees,
  ) {}

  async kind(commitSha: string, path: string): Promise<EntryKind> {
    const normal = normalizeRepoPath(path);
    if (normal === undefined) return "missing";
    const slash = normal.lastIndexOf("/");
    const dir = slash === -1 ? "" : normal.slice(0, slash);
    const expression = dir === "" ? commitSha : `${commitSha}:${dir}`;
    if (!this.directories.has(expression) && (this.asked.get(commitSha) ?? 0) >= DIRECTORY_QUESTIONS) {
      const whole = await this.trees.kinds(commitSha);
      if (whole) return whole.get(normal) ?? "missing";
    }
    const entries = await this.directory(commitSha, expression);
    return entries?.get(normal.slice(slash + 1)) ?? "missing";
  }

  private directory(commitSha: string, expression: string): Promise<Map<string, EntryKind> | undefined> {
    let entries = this.directories.get(expression);
    if (!entries) {
      this.asked.set(commitSha, (this.asked.get(commitSha) ?? 0) + 1);
      entries = this.ask(expression);
      this.directories.set(expression, entries);
    }
    return entries;
  }

  private async ask(expression: string): Promise<Map<string, EntryKind> | undefined> {
    const { owner, repo } = this.client.repo;
    const answer = await this.batch.ask(
      DIRECTORY,
      { owner: ["String!", owner], name: ["String!", repo], expression: ["String!", expression] },
      DirectoryAnswer,
    );
    throwUnlessNotFound(answer.errors, `the entries of ${owner}/${repo} ${expression}`);
    if (!answer.data) throw new Error(`GitHub did not return ${owner}/${repo} to list ${expression}`);
    const node = answer.data.object;
    // A path below a file, a symlink or a submodule is in no directory: nothing is there.
    const listed =
      node?.__typename === "Commit"
        ? node.tree?.entries
        : node?.__typename === "Tree"
          ? node.entries
          : undefined;
    if (!listed) return undefined;
    return new Map(listed.map((e) => [e.name, kindOfEntry(e.type, e.mode)]));
  }
}
