// "Did you mean …?" for typos in keys and names.
import leven from "leven";

/** The closest candidate within a small edit distance, or undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 2)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = leven(word.toLowerCase(), candidate.toLowerCase(), { maxDistance: limit + 1 });
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
