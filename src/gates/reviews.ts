// Which reviews on a PR count, shared by the approvals gate and the privacy trust rule
// (PRODUCT.md "Approvals"): each reviewer's latest decisive review, not from the PR author or a
// commit author, and not made before a governed file changed.
import type { PeopleFacts, Review } from "../facts/types.js";
import type { GateScope } from "./types.js";

export interface Standing {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED";
  /** Why the review does not count, when it does not. */
  discounted?: string;
}

export function sameLogin(a: string, b: string): boolean {
  return a.replace(/^@/, "").toLowerCase() === b.replace(/^@/, "").toLowerCase();
}

/**
 * Latest decisive review per reviewer (lower-cased login); a dismissal clears the reviewer's
 * standing. The audit record names, for each approval counted, this review.
 */
export function latestDecisive(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  const ordered = [...reviews].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  for (const review of ordered) {
    const key = review.user.toLowerCase();
    if (review.state === "APPROVED" || review.state === "CHANGES_REQUESTED") latest.set(key, review);
    else if (review.state === "DISMISSED") latest.delete(key);
  }
  return latest;
}

export function reviewStandings(input: GateScope, people: PeopleFacts): Promise<Standing[]> {
  return input.memo("review-standings", async () => {
    const [reviews, commitAuthors] = await Promise.all([people.reviews(), people.commitAuthors()]);
    // Reviews on older commits are compared with the head side by side.
    const standing = async (review: Review): Promise<Standing> => {
      const state = review.state as Standing["state"];
      let discounted: string | undefined;
      if (sameLogin(review.user, people.author)) discounted = "is the pull request's author";
      else if (commitAuthors.some((a) => sameLogin(a, review.user)))
        discounted = "authored a commit in this pull request";
      else if (state === "APPROVED" && review.commitId !== input.facts.headSha) {
        const changed = await people.changedSince(review.commitId);
        const governed = changed.filter(input.isGoverned);
        if (governed.length > 0) discounted = `approved before ${governed[0]} changed`;
      }
      return { user: review.user, state, ...(discounted ? { discounted } : {}) };
    };
    return Promise.all([...latestDecisive(reviews).values()].map(standing));
  });
}

/** Whether `login` is `principal` (a login) or an active member of it (`@org/team`). */
export function isPrincipal(
  input: GateScope,
  people: PeopleFacts,
  principal: string,
  login: string,
): Promise<boolean> {
  if (!principal.includes("/")) return Promise.resolve(sameLogin(principal, login));
  return input.memo(`member:${principal.toLowerCase()}:${login.toLowerCase()}`, () =>
    people.isTeamMember(principal, login),
  );
}

export async function isAnyPrincipal(
  input: GateScope,
  people: PeopleFacts,
  principals: readonly string[],
  login: string,
): Promise<boolean> {
  // Every principal at once (one batched question each), rather than stopping at the first match.
  const answers = await Promise.all(
    principals.map((principal) => isPrincipal(input, people, principal, login)),
  );
  return answers.includes(true);
}

/** Whether a principal (a login or `@org/team`) belongs to the repository's organisation. */
export function isOrgPrincipal(input: GateScope, people: PeopleFacts, principal: string): Promise<boolean> {
  return input.memo(`org-principal:${principal.replace(/^@(?=[^/]+$)/, "").toLowerCase()}`, () =>
    people.isOrgPrincipal(principal),
  );
}

/** Whether `login` has admin permission on the repository. */
export function isRepoAdmin(input: GateScope, people: PeopleFacts, login: string): Promise<boolean> {
  return input.memo(`repo-admin:${login.replace(/^@/, "").toLowerCase()}`, () => people.isRepoAdmin(login));
}
