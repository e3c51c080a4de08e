import type { ReviewState } from "./types.js";

const STATES = new Set<string>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

/** A review state as the REST and GraphQL APIs spell it; webhook payloads spell it in lower case. */
export function normalizeReviewState(state: string): ReviewState | undefined {
  const upper = state.toUpperCase();
  return STATES.has(upper) ? (upper as ReviewState) : undefined;
}
