// GitHub's connection pattern for the GraphQL stand-in: first/after/last/before paging with opaque
// cursors, pageInfo, totalCount, and the errors GitHub answers for unbounded or oversized pages.
import { GraphQLError, type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/** GitHub's largest page: `first`/`last` above it is an EXCESSIVE_PAGINATION error. */
export const MAX_PAGE_SIZE = 100;

/** The paging arguments every GitHub connection field takes (after graphql-js coercion). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * An error GitHub reports with a top-level `type` (NOT_FOUND, MISSING_PAGINATION_BOUNDARIES, ...).
 * The type travels in `extensions.type` through graphql-js; graphql.ts lifts it to the top level.
 */
export function githubError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

/** The type of the error a schema field the stand-in does not implement answers (graphql.ts). */
export const NOT_IMPLEMENTED = "STAND_IN_NOT_IMPLEMENTED";

/** Error types that mean "GitHub rejects this query": the stand-in records them as violations. */
export const REJECTING_ERROR_TYPES: ReadonlySet<string> = new Set([
  "MISSING_PAGINATION_BOUNDARIES",
  "EXCESSIVE_PAGINATION",
  "INVALID_PAGINATION",
  "INVALID_CURSOR_ARGUMENTS",
]);

const CURSOR_PREFIX = "cursor:v2:";

/** An opaque cursor for the item at `index` of a connection's full list (base64, like GitHub's). */
export function encodeCursor(index: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${index}`, "utf8").toString("base64");
}

function decodeCursor(cursor: string, argument: "after" | "before"): number {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  const index = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isInteger(index) || index < 0) {
    throw githubError("INVALID_CURSOR_ARGUMENTS", `\`${argument}\` does not appear to be a valid cursor.`);
  }
  return index;
}

/** Whether the field being resolved selects any of `names` (through inline fragments and spreads). */
function selects(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return names.includes(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * One page of `items` as a GitHub connection object (`totalCount`, `pageInfo`, `nodes`, `edges`).
 *
 * Like GitHub, selecting `nodes` or `edges` without `first` or `last` is a
 * MISSING_PAGINATION_BOUNDARIES error, and a page over 100 an EXCESSIVE_PAGINATION error; both are
 * errors on this field (it resolves to null, or nulls its nearest nullable parent). Counting
 * (`totalCount` alone) needs no bounds. `hasNextPage`/`hasPreviousPage` follow graphql-ruby's
 * connections: each is computed from the side being paged (`first`/`before` and `last`/`after`).
 */
export function connection<T>(
  items: readonly T[],
  args: PageArgs,
  info: GraphQLResolveInfo,
  node: (item: T) => unknown,
  edge?: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const name = info.fieldName;
  const { first, last, after, before } = args;
  if (first == null && last == null && selects(info, ["nodes", "edges"])) {
    throw githubError(
      "MISSING_PAGINATION_BOUNDARIES",
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  }
  for (const [argument, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value == null) continue;
    if (value < 0) {
      throw githubError(
        "INVALID_PAGINATION",
        `\`${argument}\` on the \`${name}\` connection cannot be less than zero.`,
      );
    }
    if (value > MAX_PAGE_SIZE) {
      throw githubError(
        "EXCESSIVE_PAGINATION",
        `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE_SIZE} records.`,
      );
    }
  }

  // [start, end) is the window after/before leave; [from, to) the page first/last cut from it.
  const start = after == null ? 0 : Math.min(decodeCursor(after, "after") + 1, items.length);
  const end =
    before == null ? items.length : Math.max(Math.min(decodeCursor(before, "before"), items.length), start);
  let from = start;
  let to = end;
  if (first != null) to = Math.min(to, from + first);
  if (last != null) from = Math.max(from, to - last);
  const indexes = Array.from({ length: to - from }, (_, i) => from + i);

  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: first != null ? end > to : before != null ? end < items.length : false,
      hasPreviousPage: last != null ? from > start : after != null ? start > 0 : false,
      startCursor: indexes.length > 0 ? encodeCursor(from) : null,
      endCursor: indexes.length > 0 ? encodeCursor(to - 1) : null,
    },
    nodes: () => indexes.map((i) => node(items[i] as T)),
    edges: () =>
      indexes.map((i) => ({
        cursor: encodeCursor(i),
        node: node(items[i] as T),
        ...edge?.(items[i] as T),
      })),
  };
}
