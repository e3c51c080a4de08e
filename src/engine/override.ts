// Who may override a pull request's readiness gate, and until when: the decision behind
// `/readiness override <reason>`, apart from the app that reads the comment and posts the answer.
// Refused: the PR's author and anyone who authored, co-authored or committed one of its commits
// (an override is someone else's judgement, never one's own), anyone outside `overrides.teams`,
// and a reason with no visible text. The expiry is the policy's `overrides.expires_after_hours`.
import type { Override, PeopleFacts } from "../facts/types.js";
import type { EffectivePolicy } from "./types.js";

export interface OverrideRequest {
  /** Login of whoever commented. */
  by: string;
  reason: string;
  /** The head the override is for: the next push ends it. */
  headSha: string;
  now: Date;
}

export type OverrideDecision = { allowed: true; override: Override } | { allowed: false; refusal: string };

// Characters that show nothing on their own: format characters (zero-width space and joiners,
// bidirectional marks, the word joiner…), controls, separators and whitespace, the code points
// Unicode says to ignore by default (Hangul fillers, variation selectors…), lone combining marks,
// surrogates and the blank Braille pattern.
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Cs}\p{Z}\p{M}\p{Default_Ignorable_Code_Point}\s\u2800]/gu;

/** Whether a reason has at least one character a reader can see. */
export function hasVisibleText(reason: string): boolean {
  return reason.replace(INVISIBLE, "").length > 0;
}

export async function decideOverride(
  request: OverrideRequest,
  policy: EffectivePolicy,
  people: PeopleFacts,
): Promise<OverrideDecision> {
  const refuse = (refusal: string): OverrideDecision => ({ allowed: false, refusal });
  const by = request.by.toLowerCase();
  if (by === people.author.toLowerCase()) {
    return refuse("the author of a pull request cannot override its readiness gate");
  }
  if ((await people.commitAuthors()).some((login) => login.toLowerCase() === by)) {
    return refuse(
      "an author, co-author or committer of a commit in this pull request cannot override its readiness gate",
    );
  }
  if (!hasVisibleText(request.reason)) {
    return refuse("a reason with visible text is required: `/readiness override <reason>`");
  }
  if (!policy.ok) return refuse("the readiness policy cannot be loaded, so no override team can be checked");
  const overrides = policy.policy.overrides;
  if (!overrides || overrides.teams.length === 0) {
    return refuse("the readiness policy names no `overrides.teams`, so nobody can override");
  }
  const memberships = await Promise.all(overrides.teams.map((team) => people.isTeamMember(team, request.by)));
  if (!memberships.includes(true)) {
    return refuse(`only active members of ${overrides.teams.join(", ")} can override`);
  }
  const at = request.now;
  return {
    allowed: true,
    override: {
      by: request.by,
      reason: request.reason,
      headSha: request.headSha,
      at: at.toISOString(),
      expiresAt: new Date(at.getTime() + overrides.expires_after_hours * 3_600_000).toISOString(),
    },
  };
}
