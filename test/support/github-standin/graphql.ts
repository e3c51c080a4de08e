// A tiny GraphQL evaluator for the shapes the app uses — not a GraphQL engine.
//
// It parses one query document (operation name, variables with defaults, aliases, arguments,
// inline fragments `... on T`, named fragments, `__typename`; directives are ignored) and
// resolves it against the stand-in's state. Supported fields:
//
//   query {
//     rateLimit { limit cost remaining used resetAt nodeCount }
//     repository(owner: String!, name: String!) {       # aliases allowed, several per query
//       id name nameWithOwner isPrivate owner { login }
//       defaultBranchRef { name target { oid ... } }
//       ref(qualifiedName: "refs/heads/x" | "x") { name prefix target { ... } }
//       object(expression: "<rev>:<path>" | "<rev>" | oid: "<sha>") {   # rev: sha, branch, tag, HEAD
//         __typename
//         ... on Blob { oid abbreviatedOid byteSize text isBinary isTruncated }
//         ... on Tree { oid abbreviatedOid entries { name path type mode oid size extension object { ... } } }
//         ... on Commit { oid abbreviatedOid message committedDate authoredDate
//                         tree { ... } file(path: String!) { name path type mode oid object { ... } } }
//       }
//     }
//   }
//
// A missing object resolves to null. An unknown repository resolves to null with a NOT_FOUND
// error, as GitHub does. An unknown field, a mutation or a syntax error answers
// `{errors: [...]}` without `data`, as GitHub's validation does.
import { isBinary, lookupPath, type TreeEntry } from "./git.js";
import type { CommitRecord, GitHubState, RepoRecord } from "./state.js";

// ---- parsing -----------------------------------------------------------------------------------

type Value =
  | { kind: "var"; name: string }
  | { kind: "list"; items: Value[] }
  | { kind: "object"; fields: Record<string, Value> }
  | { kind: "literal"; value: unknown };

interface Field {
  kind: "field";
  alias: string;
  name: string;
  args: Record<string, Value>;
  selections: Selection[];
}
interface InlineFragment {
  kind: "inline";
  on: string | undefined;
  selections: Selection[];
}
interface Spread {
  kind: "spread";
  name: string;
}
type Selection = Field | InlineFragment | Spread;

interface Document {
  operation: "query" | "mutation" | "subscription";
  variableDefaults: Record<string, unknown>;
  selections: Selection[];
  fragments: Map<string, InlineFragment>;
}

export class GraphQLError extends Error {}

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const re =
    /\s+|,|#[^\n]*|"""[\s\S]*?"""|"(?:[^"\\]|\\.)*"|\.\.\.|[{}():=$!@[\]]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*/y;
  let at = 0;
  while (at < source.length) {
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) throw new GraphQLError(`Parse error on "${source.slice(at, at + 10)}" at offset ${at}`);
    at = re.lastIndex;
    const t = m[0];
    if (/^\s|^,|^#/.test(t)) continue;
    tokens.push(t);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  private peek(): string | undefined {
    return this.tokens[this.i];
  }
  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new GraphQLError("Parse error: unexpected end of document");
    return t;
  }
  private expect(t: string): void {
    const got = this.next();
    if (got !== t) throw new GraphQLError(`Parse error: expected "${t}", got "${got}"`);
  }
  private name(): string {
    const t = this.next();
    if (!/^[_A-Za-z]/.test(t)) throw new GraphQLError(`Parse error: expected a name, got "${t}"`);
    return t;
  }

  document(): Document {
    const doc: Document = { operation: "query", variableDefaults: {}, selections: [], fragments: new Map() };
    let seenOperation = false;
    while (this.peek() !== undefined) {
      const t = this.peek();
      if (t === "fragment") {
        this.next();
        const name = this.name();
        this.expect("on");
        const on = this.name();
        this.directives();
        doc.fragments.set(name, { kind: "inline", on, selections: this.selectionSet() });
        continue;
      }
      if (seenOperation)
        throw new GraphQLError("Only one operation per document is supported by the stand-in");
      seenOperation = true;
      if (t === "query" || t === "mutation" || t === "subscription") {
        doc.operation = this.next() as Document["operation"];
        if (this.peek() !== "{" && this.peek() !== "(") this.name();
        if (this.peek() === "(") {
          this.next();
          while (this.peek() !== ")") {
            this.expect("$");
            const name = this.name();
            this.expect(":");
            this.type();
            if (this.peek() === "=") {
              this.next();
              doc.variableDefaults[name] = evaluate(this.value(), {});
            }
            this.directives();
          }
          this.next();
        }
        this.directives();
      }
      doc.selections = this.selectionSet();
    }
    return doc;
  }

  private type(): void {
    if (this.peek() === "[") {
      this.next();
      this.type();
      this.expect("]");
    } else this.name();
    if (this.peek() === "!") this.next();
  }

  private directives(): void {
    while (this.peek() === "@") {
      this.next();
      this.name();
      if (this.peek() === "(") this.args();
    }
  }

  private args(): Record<string, Value> {
    const args: Record<string, Value> = {};
    this.expect("(");
    while (this.peek() !== ")") {
      const name = this.name();
      this.expect(":");
      args[name] = this.value();
    }
    this.next();
    return args;
  }

  private value(): Value {
    const t = this.next();
    if (t === "$") return { kind: "var", name: this.name() };
    if (t === "[") {
      const items: Value[] = [];
      while (this.peek() !== "]") items.push(this.value());
      this.next();
      return { kind: "list", items };
    }
    if (t === "{") {
      const fields: Record<string, Value> = {};
      while (this.peek() !== "}") {
        const name = this.name();
        this.expect(":");
        fields[name] = this.value();
      }
      this.next();
      return { kind: "object", fields };
    }
    if (t.startsWith('"""')) return { kind: "literal", value: t.slice(3, -3) };
    if (t.startsWith('"')) return { kind: "literal", value: JSON.parse(t) };
    if (/^-?\d/.test(t)) return { kind: "literal", value: Number(t) };
    if (t === "true" || t === "false") return { kind: "literal", value: t === "true" };
    if (t === "null") return { kind: "literal", value: null };
    return { kind: "literal", value: t }; // enum value
  }

  private selectionSet(): Selection[] {
    const selections: Selection[] = [];
    this.expect("{");
    while (this.peek() !== "}") {
      if (this.peek() === "...") {
        this.next();
        if (this.peek() === "on" || this.peek() === "{" || this.peek() === "@") {
          let on: string | undefined;
          if (this.peek() === "on") {
            this.next();
            on = this.name();
          }
          this.directives();
          selections.push({ kind: "inline", on, selections: this.selectionSet() });
        } else {
          selections.push({ kind: "spread", name: this.name() });
          this.directives();
        }
        continue;
      }
      const alias = this.name();
      let name = alias;
      if (this.peek() === ":") {
        this.next();
        name = this.name();
      }
      const args = this.peek() === "(" ? this.args() : {};
      this.directives();
      const selections2 = this.peek() === "{" ? this.selectionSet() : [];
      selections.push({ kind: "field", alias, name, args, selections: selections2 });
    }
    this.next();
    return selections;
  }
}

function evaluate(value: Value, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case "var":
      return variables[value.name];
    case "list":
      return value.items.map((v) => evaluate(v, variables));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, evaluate(v, variables)]));
    default:
      return value.value;
  }
}

// ---- resolving ---------------------------------------------------------------------------------

/** A resolved GraphQL object: its type name and a resolver for its fields. */
interface Node {
  type: string;
  field(name: string, args: Record<string, unknown>): unknown;
}

interface Context {
  errors: Array<{ type?: string; message: string; path: Array<string | number> }>;
  fragments: Map<string, InlineFragment>;
  variables: Record<string, unknown>;
}

class UnknownField extends GraphQLError {}

function unknown(type: string, name: string): never {
  throw new UnknownField(`Field '${name}' doesn't exist on type '${type}'`);
}

/** Interfaces of GitHub's schema that the served object types implement. */
const INTERFACES: Record<string, readonly string[]> = {
  GitObject: ["Blob", "Tree", "Commit", "Tag"],
  Node: ["Blob", "Tree", "Commit", "Tag", "Repository", "Ref"],
};

/** A fragment's type condition applies to its own type and to the types implementing it. */
function typeMatches(condition: string | undefined, type: string): boolean {
  return !condition || condition === type || (INTERFACES[condition]?.includes(type) ?? false);
}

function resolveSelections(
  node: Node,
  selections: Selection[],
  ctx: Context,
  path: Array<string | number>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const sel of selections) {
    if (sel.kind === "spread") {
      const fragment = ctx.fragments.get(sel.name);
      if (!fragment) throw new GraphQLError(`Fragment ${sel.name} was used, but not defined`);
      if (typeMatches(fragment.on, node.type))
        Object.assign(out, resolveSelections(node, fragment.selections, ctx, path));
      continue;
    }
    if (sel.kind === "inline") {
      if (typeMatches(sel.on, node.type))
        Object.assign(out, resolveSelections(node, sel.selections, ctx, path));
      continue;
    }
    if (sel.name === "__typename") {
      out[sel.alias] = node.type;
      continue;
    }
    const args = Object.fromEntries(
      Object.entries(sel.args).map(([k, v]) => [k, evaluate(v, ctx.variables)]),
    );
    const fieldPath = [...path, sel.alias];
    out[sel.alias] = complete(
      node.field(sel.name, { ...args, __path: fieldPath, __ctx: ctx }),
      sel,
      ctx,
      fieldPath,
    );
  }
  return out;
}

function complete(value: unknown, sel: Field, ctx: Context, path: Array<string | number>): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v, i) => complete(v, sel, ctx, [...path, i]));
  if (typeof value === "object" && "field" in (value as object) && "type" in (value as object)) {
    if (sel.selections.length === 0)
      throw new GraphQLError(`Field must have selections (field '${sel.name}')`);
    return resolveSelections(value as Node, sel.selections, ctx, path);
  }
  return value;
}

function gitObject(state: GitHubState, repo: RepoRecord, sha: string, path = ""): Node | null {
  const commit = repo.commits.get(sha);
  if (commit) return commitNode(state, repo, commit);
  const entries = repo.objects.trees.get(sha);
  if (entries) return treeNode(state, repo, sha, entries, path);
  const blob = repo.objects.blobs.get(sha);
  if (blob) return blobNode(sha, blob);
  return null;
}

function blobNode(sha: string, bytes: Buffer): Node {
  return {
    type: "Blob",
    field(name) {
      const binary = isBinary(bytes);
      switch (name) {
        case "oid":
          return sha;
        case "abbreviatedOid":
          return sha.slice(0, 7);
        case "byteSize":
          return bytes.byteLength;
        case "isBinary":
          return binary;
        case "isTruncated":
          return false;
        case "text":
          return binary ? null : bytes.toString("utf8");
        default:
          return unknown("Blob", name);
      }
    },
  };
}

function entryNode(state: GitHubState, repo: RepoRecord, entry: TreeEntry, dir: string): Node {
  const path = dir ? `${dir}/${entry.name}` : entry.name;
  return {
    type: "TreeEntry",
    field(name) {
      switch (name) {
        case "name":
          return entry.name;
        case "path":
          return path;
        case "type":
          return entry.type;
        case "mode":
          return Number.parseInt(entry.mode, 8);
        case "oid":
          return entry.sha;
        case "extension": {
          const dot = entry.name.lastIndexOf(".");
          return dot > 0 ? entry.name.slice(dot) : "";
        }
        case "size":
          return entry.type === "blob" ? (repo.objects.blobs.get(entry.sha)?.byteLength ?? 0) : 0;
        case "isGenerated":
          return false;
        case "object":
          return gitObject(state, repo, entry.sha, path);
        default:
          return unknown("TreeEntry", name);
      }
    },
  };
}

function treeNode(
  state: GitHubState,
  repo: RepoRecord,
  sha: string,
  entries: TreeEntry[],
  dir: string,
): Node {
  return {
    type: "Tree",
    field(name) {
      switch (name) {
        case "oid":
          return sha;
        case "abbreviatedOid":
          return sha.slice(0, 7);
        case "entries":
          return entries.map((e) => entryNode(state, repo, e, dir));
        default:
          return unknown("Tree", name);
      }
    },
  };
}

function commitNode(state: GitHubState, repo: RepoRecord, commit: CommitRecord): Node {
  return {
    type: "Commit",
    field(name, args) {
      switch (name) {
        case "oid":
          return commit.sha;
        case "abbreviatedOid":
          return commit.sha.slice(0, 7);
        case "message":
          return commit.message;
        case "committedDate":
        case "authoredDate":
          return commit.date;
        case "tree":
          return gitObject(state, repo, commit.tree);
        case "file": {
          const found = lookupPath(repo.objects, commit.tree, String(args.path ?? ""));
          return found ? entryNode(state, repo, found.entry, found.dir) : null;
        }
        default:
          return unknown("Commit", name);
      }
    },
  };
}

function objectAt(state: GitHubState, repo: RepoRecord, args: Record<string, unknown>): Node | null {
  if (typeof args.oid === "string") return gitObject(state, repo, args.oid);
  const expression = String(args.expression ?? "");
  const colon = expression.indexOf(":");
  const rev = colon === -1 ? expression : expression.slice(0, colon);
  const sha = state.resolveRef(repo, rev || "HEAD");
  if (!sha) return null;
  const commit = repo.commits.get(sha);
  if (!commit) return gitObject(state, repo, sha);
  if (colon === -1) return commitNode(state, repo, commit);
  const path = expression.slice(colon + 1);
  if (path.replace(/\/+$/, "") === "") return gitObject(state, repo, commit.tree);
  const found = lookupPath(repo.objects, commit.tree, path);
  if (!found) return null;
  const fullPath = found.dir ? `${found.dir}/${found.entry.name}` : found.entry.name;
  return gitObject(state, repo, found.entry.sha, fullPath);
}

function refNode(state: GitHubState, repo: RepoRecord, qualified: string): Node | null {
  const branch = qualified.replace(/^refs\/heads\//, "");
  const tag = qualified.replace(/^refs\/tags\//, "");
  const isTag = qualified.startsWith("refs/tags/") || (!repo.branches.has(branch) && repo.tags.has(tag));
  const name = isTag ? tag : branch;
  const sha = isTag ? repo.tags.get(tag) : repo.branches.get(branch);
  if (!sha) return null;
  return {
    type: "Ref",
    field(field) {
      switch (field) {
        case "name":
          return name;
        case "prefix":
          return isTag ? "refs/tags/" : "refs/heads/";
        case "target":
          return gitObject(state, repo, sha);
        default:
          return unknown("Ref", field);
      }
    },
  };
}

function repositoryNode(state: GitHubState, repo: RepoRecord): Node {
  return {
    type: "Repository",
    field(name, args) {
      switch (name) {
        case "id":
          return Buffer.from(`Repository:${repo.id}`).toString("base64url");
        case "databaseId":
          return repo.id;
        case "name":
          return repo.name;
        case "nameWithOwner":
          return repo.full_name;
        case "isPrivate":
          return repo.private;
        case "isFork":
          return repo.fork_of !== null;
        case "owner":
          return {
            type: state.org(repo.owner) ? "Organization" : "User",
            field: (f: string) => (f === "login" ? repo.owner : unknown("RepositoryOwner", f)),
          } satisfies Node;
        case "defaultBranchRef":
          return refNode(state, repo, `refs/heads/${repo.default_branch}`);
        case "ref":
          return refNode(state, repo, String(args.qualifiedName ?? ""));
        case "object":
          return objectAt(state, repo, args);
        default:
          return unknown("Repository", name);
      }
    },
  };
}

function queryNode(state: GitHubState): Node {
  return {
    type: "Query",
    field(name, args) {
      switch (name) {
        case "repository": {
          const fullName = `${String(args.owner)}/${String(args.name)}`;
          const repo = state.findRepo(fullName);
          if (!repo) {
            const ctx = args.__ctx as Context;
            ctx.errors.push({
              type: "NOT_FOUND",
              path: args.__path as string[],
              message: `Could not resolve to a Repository with the name '${fullName}'.`,
            });
            return null;
          }
          return repositoryNode(state, repo);
        }
        case "rateLimit":
          return {
            type: "RateLimit",
            field: (f: string) =>
              (
                ({
                  limit: 5000,
                  cost: 1,
                  remaining: 4999,
                  used: 1,
                  resetAt: new Date(Date.now() + 3600_000).toISOString(),
                  nodeCount: 1,
                }) as Record<string, unknown>
              )[f] ?? unknown("RateLimit", f),
          } satisfies Node;
        default:
          return unknown("Query", name);
      }
    },
  };
}

/** Answers a GraphQL request body the way GitHub would (always HTTP 200). */
export function executeGraphQL(state: GitHubState, body: unknown): { data?: unknown; errors?: unknown[] } {
  const request = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> | null };
  if (typeof request.query !== "string")
    return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  try {
    const doc = new Parser(tokenize(request.query)).document();
    if (doc.operation !== "query") {
      throw new GraphQLError(`The stand-in supports queries only, not ${doc.operation}s`);
    }
    const ctx: Context = {
      errors: [],
      fragments: doc.fragments,
      variables: { ...doc.variableDefaults, ...(request.variables ?? {}) },
    };
    const data = resolveSelections(queryNode(state), doc.selections, ctx, []);
    return ctx.errors.length > 0 ? { data, errors: ctx.errors } : { data };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [{ message: error.message }] };
    throw error;
  }
}
