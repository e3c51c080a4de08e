// What a GraphQL query costs against GitHub's rate limit (5,000 points an hour for most
// installations), by GitHub's published rule: add up the requests needed to fulfil each
// connection, assuming every page comes back full (`first`/`last`), so a connection nested in a
// page of 100 counts 100 times; divide by 100 and round; a query costs at least 1 point.
// (docs.github.com, "Rate limits and node limits for the GraphQL API".) A query that nests pages
// carelessly can cost a hundred points and exhaust an installation's hour in fifty evaluations.
import {
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";

export function graphqlCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 1;
  let requests = 0;

  const walk = (selections: SelectionSetNode, parent: GraphQLCompositeType | undefined, pages: number) => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields() : {};
        const field = fields[selection.name.value];
        if (!field || !selection.selectionSet) continue;
        const type = getNamedType(field.type) as GraphQLCompositeType;
        let inner = pages;
        if (type.name.endsWith("Connection")) {
          requests += pages;
          const args: Record<string, unknown> = {};
          for (const arg of selection.arguments ?? [])
            args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
          const size = Number(args.first ?? args.last ?? 0);
          inner = pages * (Number.isFinite(size) ? size : 0);
        }
        walk(selection.selectionSet, type, inner);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, on as GraphQLCompositeType | undefined, pages);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment)
          walk(
            fragment.selectionSet,
            schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType,
            pages,
          );
      }
    }
  };
  walk(operation.selectionSet, schema.getQueryType() ?? undefined, 1);
  return Math.max(1, Math.round(requests / 100));
}
