import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { githubSchema } from "../support/github-standin/graphql.js";
import { graphqlCost } from "../support/github-standin/graphql-cost.js";

const cost = (query: string, variables: Record<string, unknown> = {}) =>
  graphqlCost(githubSchema(), parse(query), variables);

describe("GraphQL rate-limit cost, by GitHub's published rule", () => {
  it("charges nested pages as if every page came back full (GitHub's own example: 51 points)", () => {
    const query = `query {
      viewer { login repositories(first: 100) { edges { node { id
        issues(first: 50) { edges { node { id
          labels(first: 60) { edges { node { id name } } } } } } } } } }
    }`;
    // 1 request for the repositories, 100 for their issues, 100 × 50 for the issues' labels.
    expect(cost(query)).toBe(Math.round((1 + 100 + 5000) / 100));
  });

  it("costs at least 1 point, reads `first` from variables, and counts fragments", () => {
    expect(cost("query { viewer { login } }")).toBe(1);
    const query = `query ($n: Int!) { viewer { ...repos } }
      fragment repos on User { repositories(first: $n) { nodes { issues(first: 100) { totalCount } } } }`;
    expect(cost(query, { n: 100 })).toBe(Math.round((1 + 100) / 100));
    const deep = `query ($n: Int!) { viewer { ...repos } }
      fragment repos on User { repositories(first: $n) { nodes {
        issues(first: 100) { nodes { comments(first: 100) { totalCount } } } } } }`;
    expect(cost(deep, { n: 100 })).toBe(Math.round((1 + 100 + 10000) / 100));
  });
});
