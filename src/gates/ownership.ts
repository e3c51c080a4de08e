// Ownership gate: a manifest that names owners of the organisation (active members or its teams)
// and, with `codeowners: true`, a CODEOWNERS owner on the base branch for every changed file of
// the artifact.

import { CODEOWNERS_LOCATIONS, ownersOf, parseCodeowners } from "../evidence/codeowners.js";
import type { Codeowners } from "../evidence/types.js";
import { formatLocated, type LocatedError } from "../policy/located.js";
import {
  appliesToTier,
  joinUnderRoot,
  MANIFEST_FILE,
  readEvidenceText,
  singleFileFix,
} from "./evidence-file.js";
import { Findings, skipped } from "./findings.js";
import { isOrgPrincipal } from "./reviews.js";
import type { EvidenceGate, GateInput, GateResult } from "./types.js";

export const ownershipGate: EvidenceGate = {
  name: "ownership",
  check: checkOwnership,
  // The base's CODEOWNERS, every location at once: GitHub uses the first that exists.
  likelyReads: (policy) =>
    policy.gates.ownership?.codeowners
      ? CODEOWNERS_LOCATIONS.map((path) => ({ side: "base" as const, path }))
      : [],
};

async function checkOwnership(input: GateInput): Promise<GateResult | undefined> {
  const config = input.policy.gates.ownership;
  if (!config) return undefined;
  const { artifact } = input;
  if (artifact.removed) return skipped("ownership", "the artifact was removed; evidence is not required");
  if (!appliesToTier(config.tiers, artifact)) {
    return skipped("ownership", `not required for tier ${artifact.tier} (only ${config.tiers?.join(", ")})`);
  }
  const findings = new Findings("ownership");
  const manifestPath = joinUnderRoot(artifact.root, MANIFEST_FILE);
  if (artifact.manifestErrors.length > 0) {
    // The manifest gate lists each error; here it is enough to say the owners cannot be read.
    findings.fail(
      `the owners cannot be read: ${manifestPath} fails the manifest check`,
      `Fix ${manifestPath}.`,
      { path: manifestPath },
    );
  } else if (!artifact.manifest && artifact.rootEntry === "file") {
    findings.fail(
      `${artifact.root} is a single file, so it cannot hold its ${MANIFEST_FILE}`,
      singleFileFix(artifact),
      { path: artifact.root },
    );
  } else if (!artifact.manifest) {
    findings.fail(
      `${manifestPath} does not exist`,
      `Add ${manifestPath} naming the artifact's owners (GitHub users or @org/teams).`,
      { path: manifestPath },
    );
  }
  const owners = artifact.manifest?.owners ?? [];
  const people = input.facts.people;
  if (!people) {
    if (owners.length > 0)
      findings.note("not checked offline: whether the owners belong to the organisation");
  } else {
    const belong = await Promise.all(owners.map((owner) => isOrgPrincipal(input, people, owner)));
    for (const [i, owner] of owners.entries()) {
      if (belong[i]) continue;
      findings.fail(
        `owner ${owner} is not an active member or a team of this organisation`,
        `Name members or teams of the organisation as owners in ${manifestPath}.`,
        { path: manifestPath },
      );
    }
  }
  if (config.codeowners) await checkCodeowners(input, findings);
  return findings.result();
}

async function checkCodeowners(input: GateInput, findings: Findings) {
  const found = await input.memo("codeowners", () => readCodeowners(input));
  if (found.kind === "none") {
    findings.fail(
      "the base branch has no CODEOWNERS file",
      `Add a CODEOWNERS file (${CODEOWNERS_LOCATIONS.join(", ")}) that covers ${input.artifact.root}/.`,
    );
    return;
  }
  if (found.kind === "unreadable") {
    findings.fail(found.reason, "Make the CODEOWNERS file a readable UTF-8 text file.", { path: found.path });
    return;
  }
  const { codeowners, errors } = found;
  // GitHub skips lines (or a whole file) it cannot read; so do we, and each error says which.
  for (const error of errors) findings.note(formatLocated(error));
  const unowned = input.artifact.changedPaths.filter(
    (path) => (ownersOf(codeowners, path)?.owners.length ?? 0) === 0,
  );
  if (unowned.length > 0) {
    const shown = unowned.slice(0, 5).join(", ");
    findings.fail(
      `no CODEOWNERS owner for ${shown}${unowned.length > 5 ? ` and ${unowned.length - 5} more` : ""}`,
      `Add a CODEOWNERS rule such as \`/${input.artifact.root}/ @owner\` on the base branch.`,
      { path: codeowners.path },
    );
  }
}

type CodeownersRead =
  | { kind: "found"; codeowners: Codeowners; errors: LocatedError[] }
  | { kind: "unreadable"; path: string; reason: string }
  | { kind: "none" };

/**
 * The first CODEOWNERS in GitHub's search order, read at the base (a PR cannot own itself). All
 * locations are asked at once, so a GitHub source reads them in one request, not one per miss.
 */
async function readCodeowners(input: GateInput): Promise<CodeownersRead> {
  const reads = await Promise.all(CODEOWNERS_LOCATIONS.map((path) => readEvidenceText(input, path, "base")));
  for (const [i, path] of CODEOWNERS_LOCATIONS.entries()) {
    const read = reads[i] as (typeof reads)[number];
    if (read.ok) return { kind: "found", ...parseCodeowners(path, read.text) };
    if (!read.missing) return { kind: "unreadable", path, reason: read.reason };
  }
  return { kind: "none" };
}
