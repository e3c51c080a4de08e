// Overrides live in the app's own PR comments, as a hidden marker, so every replica reads the same
// state without a shared store: `<!-- readiness-override {"by":…,"reason":…,"headSha":…,"at":…,"expiresAt":…} -->`.
// Only comments authored by this app's bot login count: anyone can paste the marker, nobody else
// can post as the bot.
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

export function parseOverrideMarker(body: string): Override | undefined {
  const match = MARKER.exec(body);
  if (!match?.[1]) return undefined;
  try {
    const value = JSON.parse(match[1]) as Record<string, unknown>;
    const fields = ["by", "reason", "headSha", "at", "expiresAt"] as const;
    if (!fields.every((field) => typeof value[field] === "string")) return undefined;
    const [by, reason, headSha, at, expiresAt] = fields.map((field) => value[field] as string) as [
      string,
      string,
      string,
      string,
      string,
    ];
    return { by, reason, headSha, at, expiresAt };
  } catch {
    return undefined;
  }
}

/** The latest override the bot recorded for this head (the engine then checks its expiry). */
export function latestOverride(
  comments: ReadonlyArray<{ author: string; body: string }>,
  botLogin: string,
  headSha: string,
): Override | undefined {
  let latest: Override | undefined;
  for (const comment of comments) {
    // Anyone can paste the marker; only the bot's own comments count.
    if (comment.author !== botLogin) continue;
    const override = parseOverrideMarker(comment.body);
    if (override?.headSha === headSha && (!latest || override.at >= latest.at)) latest = override;
  }
  return latest;
}
