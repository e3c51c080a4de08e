// The trust rule for a document someone signs (PRODUCT.md "Privacy review", "Document gates"),
// shared by the privacy gate and every document gate with `reviewers`: the reviewer the document
// names is an active member of the gate's reviewers, and either the document is unchanged since
// the base branch or that reviewer approved this PR. The PR author can write the reviewer's name,
// never their membership or their approval.
import { baseEvidencePath, readEvidenceText } from "./evidence-file.js";
import type { Findings } from "./findings.js";
import { isAnyPrincipal, reviewStandings, sameLogin } from "./reviews.js";
import type { GateInput, Location } from "./types.js";

export interface SignOff {
  /** The gate whose evidence is signed: where the base keeps it is that gate's path there. */
  gate: string;
  /** The policy's file for the gate, relative to the artifact root. */
  file: string;
  /** The document as read at the head, and where. */
  path: string;
  text: string;
  /** The login the document names, and where it names it. */
  reviewer: string;
  at: Location;
  reviewers: readonly string[];
  /** The tiers the gate applies to (all when absent). */
  tiers?: readonly string[] | undefined;
  /** What does not count when the reviewer is not one of `reviewers` ("the review"). */
  what: string;
}

/**
 * Adds to `findings` what keeps the sign-off from counting: a failure when the reviewer is not an
 * active member of `reviewers`, pending while a changed document waits on their approval. Offline
 * (no people facts), notes what could not be checked.
 */
export async function checkSignOff(input: GateInput, findings: Findings, signOff: SignOff): Promise<void> {
  const { path, text, reviewer, at, reviewers } = signOff;
  // Unchanged means the same text at the path the base keeps it (a PR that points the manifest
  // at an older document elsewhere has changed which document counts), and the gate covered the
  // artifact at the base: a copy merged while no sign-off was asked for was never judged.
  const { baseTier } = input.artifact;
  const judgedAtBase = baseTier !== undefined && (signOff.tiers?.includes(baseTier) ?? true);
  const basePath = baseEvidencePath(input.artifact, signOff.gate, signOff.file);
  const base = basePath === path ? await readEvidenceText(input, path, "base") : undefined;
  const sameAsBase = base?.ok === true && base.text === text;
  const unchanged = sameAsBase && judgedAtBase;
  const people = input.facts.people;
  const who = reviewers.join(" or ");
  if (!people) {
    findings.note(`not checked offline: whether @${reviewer} is a member of ${who}`);
    if (!unchanged) findings.note(`not checked offline: whether @${reviewer} approved this pull request`);
    return;
  }
  if (!(await isAnyPrincipal(input, people, reviewers, reviewer))) {
    findings.fail(
      `@${reviewer} is not an active member of ${who}, so ${signOff.what} does not count`,
      `Have a member of ${who} review the artifact.`,
      at,
    );
    return;
  }
  if (unchanged) return;
  const standing = (await reviewStandings(input, people)).find((s) => sameLogin(s.user, reviewer));
  if (standing?.state !== "APPROVED" || standing.discounted) {
    const why = sameAsBase
      ? "was not under this gate on the base branch (no sign-off was asked for it there)"
      : "changed in this pull request";
    findings.pending(
      `${path} ${why}, so @${reviewer} must approve the pull request for it to count`,
      `Request a review from @${reviewer}.`,
      at,
    );
  }
}
