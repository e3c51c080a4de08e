// Overrides live in the app's own PR comments, as a hidden marker, so every replica reads the same
// state without a shared store: `<!-- readiness-override {"by":…,"reason":…,"headSha":…,"at":…,"expiresAt":…} -->`.
// Only comments authored by this app's bot login count: anyone can paste the marker, nobody else
// can post as the bot.
import { z } from "zod";
import type { Override } from "../facts/types.js";

const MARKER = /<!-- readiness-override (\{.*?\}) -->/s;

/** The marker for a comment body. `<` and `>` are escaped so a reason cannot close the comment. */
export function overrideMarker(override: Override): string {
  const { by, reason, headSha, at, expiresAt } = override;
  const json = JSON.stringify({ by, reason, headSha, at, expiresAt })
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e");
  return `<!-- readiness-override ${json} -->`;
}

/** What a marker must hold; a wrong-shaped one is no override (anything else is dropped). */
const markerSchema = z.object({
  by: z.string(),
  reason: z.string(),
  headSha: z.string(),
  at: z.string(),
  expiresAt: z.string(),
});

export function parseOverrideMarker(body: string): Override | undefined {
  const match = MARKER.exec(body);
  if (!match?.[1]) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(match[1]);
  } catch {
    return undefined;
  }
  const parsed = markerSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The latest override the bot recorded for this head (the engine then checks its expiry); with no
 * head, the latest on the PR whatever its head. `known` (one just accepted, which the listing may
 * not show yet) counts as one of them.
 */
export function latestOverride(
  comments: ReadonlyArray<{ author: string; body: string }>,
  botLogin: string,
  headSha?: string,
  known?: Override,
): Override | undefined {
  let latest = known;
  for (const comment of comments) {
    // Anyone can paste the marker; only the bot's own comments count.
    if (comment.author !== botLogin) continue;
    const override = parseOverrideMarker(comment.body);
    if (!override || (headSha !== undefined && override.headSha !== headSha)) continue;
    if (!latest || override.at >= latest.at) latest = override;
  }
  return latest;
}
