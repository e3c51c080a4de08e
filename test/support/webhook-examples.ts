// GitHub's example webhook payloads (@octokit/webhooks-examples, api.github.com): real deliveries
// collected from GitHub, for tests that feed the app what GitHub sends rather than what we think
// it sends. Each call returns fresh copies, so a test may complete or change them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export type ExamplePayload = Record<string, unknown> & { action?: string };

interface Definition {
  name: string;
  examples: ExamplePayload[];
}

let definitions: Definition[] | undefined;

/** Every example of `event` (with `action`, when given), in the package's order. */
export function githubExamples(event: string, action?: string): ExamplePayload[] {
  definitions ??= JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve("@octokit/webhooks-examples"), "utf8"),
  ) as Definition[];
  const found = definitions.find((d) => d.name === event)?.examples ?? [];
  return found.filter((e) => action === undefined || e.action === action).map((e) => structuredClone(e));
}
