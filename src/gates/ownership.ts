// Ownership gate: a manifest that names owners who exist and, with `codeowners: true`, a
// CODEOWNERS owner on the base branch for every changed file of the artifact.
import { posix } from "node:path";
import { CODEOWNERS_LOCATIONS, ownersOf, parseCodeowners } from "../evidence/codeowners.js";
import type { Codeowners } from "../evidence/types.js";
import { formatLocated, type LocatedError } from "../policy/located.js";
import { appliesToTier, MANIFEST_FILE, readEvidenceText } from "./evidence-file.js";
import { Findings, skipped } from "./findings.js";
import type { GateInput, GateResult } from "./types.js";

export async function ownershipGate(input: GateInput): Promise<GateResult | undefined> {
  const config = input.policy.gates.ownership;
  if (!config) return undefined;
  const { artifact } = input;
  if (artifact.removed) return skipped("ownership", "the artifact was removed; evidence is not required");
  if (!appliesToTier(config.tiers, artifact.tier)) {
    return skipped("ownership", `not required for tier ${artifact.tier} (only ${config.tiers?.join(", ")})`);
  }
  const findings = new Findings("ownership");
  const manifestPath = posix.join(artifact.root, MANIFEST_FILE);
  for (const error of artifact.manifestErrors) {
    findings.fail(`${error.path}: ${error.message}`, `Fix ${manifestPath}.`, error);
  }
  if (!artifact.manifest && artifact.manifestErrors.length === 0) {
    findings.fail(
      `${manifestPath} does not exist`,
      `Add ${manifestPath} naming the artifact's owners (GitHub users or @org/teams).`,
      { path: manifestPath },
    );
  }
  const people = input.facts.people;
  for (const owner of artifact.manifest?.owners ?? []) {
    if (!people) {
      findings.note("not checked offline: whether the owners exist");
      break;
    }
    const exists = await input.memo(`exists:${owner.toLowerCase()}`, () => people.principalExists(owner));
    if (!exists) {
      findings.fail(
        `owner ${owner} is not a user or team of this organisation`,
        `Correct the owners in ${manifestPath}.`,
        {
          path: manifestPath,
        },
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
  // GitHub skips lines it cannot read; so do we, and say which.
  for (const error of errors) findings.note(`${formatLocated(error)} (GitHub ignores this line)`);
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
