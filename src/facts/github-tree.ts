// Repository trees from `GET /repos/{o}/{r}/git/trees/{sha}?recursive=1`: one request per commit
// answers every `listFiles` of that side, and two answer a whole-tree diff.
//
// GitHub truncates a recursive listing past 100,000 entries or 7 MB. Then `listFiles(dir)` finds
// the directory's own tree (in the partial listing, or by walking down one level per path
// component) and lists it recursively; a subtree that is itself truncated is expanded one level
// at a time. Every listing is cached by SHA, so the walk is paid for once per evaluation.
//
// Symbolic links (mode 120000) and submodules (type `commit`) are listed, marked with their kind:
// they hide content the gate cannot read, so leaving them out would hide them from it too.
import type { GitHubClient } from "./github-client.js";
import { kindOfEntry } from "./github-entries.js";
import { parseAnswer, TreeListing as TreeListingAnswer } from "./github-schema.js";
import { isBelow } from "./repo-path.js";
import type { ChangedFile, EntryKind, TreeEntry } from "./types.js";

interface TreeItem {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

interface TreeListing {
  /** The tree's own SHA (GitHub resolves a commit SHA to its root tree). */
  sha: string;
  truncated: boolean;
  items: TreeItem[];
}

export class GitTrees {
  private readonly listings = new Map<string, Promise<TreeListing>>();

  constructor(private readonly client: GitHubClient) {}

  /** Every file, symlink and submodule below `dir` (normalised, "" for the repository) at a commit. */
  async files(commitSha: string, dir: string): Promise<TreeEntry[]> {
    const whole = await this.listing(commitSha, true);
    if (!whole.truncated) return entriesBelow(whole.items, "", dir);
    if (dir === "") return this.expand(whole.sha, "");
    const dirSha =
      whole.items.find((i) => i.type === "tree" && i.path === dir)?.sha ??
      (await this.walkTo(whole.sha, dir));
    return dirSha === undefined ? [] : this.walk(dirSha, dir);
  }

  /**
   * The files that differ between two commits' trees (no rename detection: a rename is a removal
   * and an addition, which touches the same paths). Undefined when a tree is too large to list in one request.
   */
  async diff(beforeSha: string, afterSha: string): Promise<ChangedFile[] | undefined> {
    const [before, after] = await Promise.all([this.snapshot(beforeSha), this.snapshot(afterSha)]);
    if (!before || !after) return undefined;
    const changes: ChangedFile[] = [];
    for (const [path, id] of after) {
      const was = before.get(path);
      if (was === undefined) changes.push({ path, status: "added" });
      else if (was !== id) changes.push({ path, status: "modified" });
    }
    for (const path of before.keys()) if (!after.has(path)) changes.push({ path, status: "removed" });
    return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * What every path of a commit is (files, symlinks, submodules, directories), from the one
   * recursive listing `files` shares. Undefined when GitHub truncated it.
   */
  async kinds(commitSha: string): Promise<Map<string, EntryKind> | undefined> {
    const whole = await this.listing(commitSha, true);
    if (whole.truncated) return undefined;
    return new Map(whole.items.map((i) => [i.path, kindOfEntry(i.type, Number.parseInt(i.mode, 8))]));
  }

  /** Path → mode and SHA of every non-directory entry, so mode changes count as changes too. */
  private async snapshot(commitSha: string): Promise<Map<string, string> | undefined> {
    const whole = await this.listing(commitSha, true);
    if (whole.truncated) return undefined;
    return new Map(whole.items.filter((i) => i.type !== "tree").map((i) => [i.path, `${i.mode} ${i.sha}`]));
  }

  private listing(sha: string, recursive: boolean): Promise<TreeListing> {
    const key = `${recursive ? "r" : "1"}:${sha}`;
    let listing = this.listings.get(key);
    if (!listing) {
      const { repo } = this.client;
      listing = this.client
        .send((o) => o.rest.git.getTree({ ...repo, tree_sha: sha, ...(recursive ? { recursive: "1" } : {}) }))
        .then(({ data }) => {
          const { tree, ...listing } = parseAnswer(TreeListingAnswer, data, `tree(${sha})`);
          return { ...listing, items: tree };
        });
      this.listings.set(key, listing);
    }
    return listing;
  }

  /** The SHA of the tree at `dir`, one non-recursive listing per path component. */
  private async walkTo(rootSha: string, dir: string): Promise<string | undefined> {
    let sha: string | undefined = rootSha;
    for (const name of dir.split("/")) {
      const level: TreeListing = await this.listing(sha, false);
      sha = level.items.find((i) => i.type === "tree" && i.path === name)?.sha;
      if (sha === undefined) return undefined;
    }
    return sha;
  }

  /** Every entry below a subtree, recursively in one request when GitHub can, else level by level. */
  private async walk(treeSha: string, prefix: string): Promise<TreeEntry[]> {
    const listing = await this.listing(treeSha, true);
    return listing.truncated ? this.expand(treeSha, prefix) : entriesBelow(listing.items, prefix, prefix);
  }

  private async expand(treeSha: string, prefix: string): Promise<TreeEntry[]> {
    const level = await this.listing(treeSha, false);
    if (level.truncated)
      throw new Error(`GitHub cannot list the directory ${prefix || "/"}: it has too many entries`);
    const nested = await Promise.all(
      level.items.filter((i) => i.type === "tree").map((i) => this.walk(i.sha, join(prefix, i.path))),
    );
    return [...entriesBelow(level.items, prefix, prefix), ...nested.flat()];
  }
}

/**
 * The files, symlinks and submodules of a listing whose paths are relative to `prefix`, kept when
 * below `dir`.
 */
function entriesBelow(items: readonly TreeItem[], prefix: string, dir: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const item of items) {
    const kind = kindOfEntry(item.type, Number.parseInt(item.mode, 8));
    if (kind === "directory") continue;
    const path = join(prefix, item.path);
    if (isBelow(path, dir)) entries.push({ path, sha: item.sha, ...(kind === "file" ? {} : { kind }) });
  }
  return entries;
}

function join(prefix: string, path: string): string {
  return prefix === "" ? path : `${prefix}/${path}`;
}
