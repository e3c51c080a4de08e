// Vitest global setup: probes each real service once per run (not once per test file) and prints
// one line for each that does not answer. Test files read the result with testService().
import type { TestProject } from "vitest/node";
import { probe, SERVICE_NAMES, unreachableLine } from "./services.js";

export async function setup(project: TestProject): Promise<void> {
  const found = await Promise.all(SERVICE_NAMES.map((name) => probe(name)));
  for (const service of found) {
    if (service.problem !== undefined) console.warn(unreachableLine(service));
  }
  project.provide("testServices", found);
}
