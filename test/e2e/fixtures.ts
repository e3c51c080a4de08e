// The sample governed repository of the end-to-end tests: the app tests' repository, with a drill
// date relative to today because the app runs as a real process on the real clock.
import { baseFiles as appBaseFiles, rollbackPlan } from "../app/repository.js";

export { POLICY, results } from "../app/repository.js";

export const ROLLBACK = rollbackPlan(new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10));

export function baseFiles(): Record<string, string> {
  return appBaseFiles(ROLLBACK);
}
