// What `digest` prints: the artifact's content files at one commit, decided by the same code the
// evaluation gate uses (gates/content-files), so a pasted block always matches what is checked.
import { posix } from "node:path";
import { higherTier } from "../engine/artifacts.js";
import { artifactResolver } from "../engine/touched.js";
import type { EvalFormatOption } from "../evidence/eval-results.js";
import { readManifest } from "../evidence/index.js";
import { decodeUtf8 } from "../evidence/text.js";
import type { Manifest } from "../evidence/types.js";
import { memo } from "../facts/memo.js";
import type { Facts } from "../facts/types.js";
import { contentFiles } from "../gates/content-files.js";
import { appliesToTier, evidencePath, MANIFEST_FILE } from "../gates/evidence-file.js";
import type { TouchedArtifact } from "../gates/types.js";
import { formatLocated } from "../policy/located.js";
import { type Policy, policySchema } from "../policy/schema.js";

/**
 * Without a policy, every evidence gate at its default file (eval/results.json,
 * privacy-review.yml, ROLLBACK.md); the reviewer is a placeholder the schema requires.
 */
const DEFAULT_EVIDENCE_POLICY: Policy = policySchema.parse({
  version: 1,
  gates: { evaluation: {}, privacy: { reviewers: ["placeholder"] }, rollback: {} },
});

export interface ArtifactDigest {
  commit: string;
  /** Content file path relative to the root → git blob SHA, sorted by path. */
  files: Record<string, string>;
  /** What the user should know about how the list was made (printed to stderr). */
  notes: string[];
  /**
   * Where the artifact's results file is (repository-relative) and the policy's `format`, for
   * `--write`; or why there is none (no evaluation gate for its tier, a bad evidence path).
   */
  results: { path: string; format: EvalFormatOption } | { problem: string };
}

export type DigestResult = { ok: true; digest: ArtifactDigest } | { ok: false; message: string };

/** The `evaluated:` block for the artifact at `root`, read from the head side of `facts`. */
export async function artifactDigest(
  facts: Facts,
  root: string,
  policy: Policy | undefined,
): Promise<DigestResult> {
  const notes: string[] = [];
  const effective = policy ?? DEFAULT_EVIDENCE_POLICY;
  if (!policy) notes.push("no policy found: excluding artifact.yml and the default evidence files only");

  const scope = { policy: effective, memo: memo() };
  const found = artifactResolver(scope).artifactOf(`${root}/${MANIFEST_FILE}`);
  if (found && found.root !== root) {
    return { ok: false, message: `${root} lies inside the artifact ${found.root}; pass its root instead` };
  }
  if (policy && !found)
    notes.push(`${root} is not an artifact root of any kind in the policy: no ignore globs applied`);

  const rootEntry = await facts.entryKind("head", root);
  if (rootEntry === "symlink" || rootEntry === "submodule")
    return { ok: false, message: refusal(root, [root]) };
  const tree = await facts.listFiles("head", root);
  if (tree.length === 0)
    return { ok: false, message: `no files under ${root} at ${facts.headSha ?? "the commit"}` };
  // The gate fails an artifact holding either, whatever the digest says: printing one would
  // only hide why.
  const hidden = tree.filter((entry) => entry.kind === "symlink" || entry.kind === "submodule");
  if (hidden.length > 0)
    return {
      ok: false,
      message: refusal(
        root,
        hidden.map((entry) => entry.path),
      ),
    };

  const manifest = await readArtifactManifest(facts, root, notes);
  const artifact: TouchedArtifact = {
    root,
    kind: found?.kind ?? "",
    // Which evidence files are left out depends on the gates the tier gets.
    tier: higherTier(found ? effective.artifacts[found.kind]?.tier : undefined, manifest?.tier),
    removed: false,
    ...(manifest ? { manifest } : {}),
    rootEntry,
    hiddenEntries: [],
    owners: [],
    manifestErrors: [],
    changedPaths: [],
  };
  const content = contentFiles(scope, artifact, tree);
  const files: Record<string, string> = {};
  for (const path of [...content.keys()].sort()) files[path] = content.get(path) as string;
  return {
    ok: true,
    digest: { commit: facts.headSha ?? "", files, notes, results: resultsOf(effective, artifact) },
  };
}

function resultsOf(policy: Policy, artifact: TouchedArtifact): ArtifactDigest["results"] {
  const config = policy.gates.evaluation;
  if (!config) return { problem: "the policy has no evaluation gate, so there are no results to bind" };
  if (!appliesToTier(config.tiers, artifact))
    return {
      problem: `the evaluation gate does not apply to ${artifact.root} (tier ${artifact.tier}; only ${config.tiers?.join(", ")})`,
    };
  const where = evidencePath(artifact, "evaluation", config.file);
  return where.ok ? { path: where.path, format: config.format } : { problem: where.reason };
}

function refusal(root: string, paths: readonly string[]): string {
  const shown = paths.slice(0, 5).join(", ");
  const more = paths.length > 5 ? ` and ${paths.length - 5} more` : "";
  return `${root} holds symbolic links or submodules (${shown}${more}), whose content the gate cannot read: it fails the artifact whatever the digest says, so none is printed. Replace them with the files themselves.`;
}

/** The manifest names evidence paths that differ from the policy's; a broken one is only a note. */
async function readArtifactManifest(
  facts: Facts,
  root: string,
  notes: string[],
): Promise<Manifest | undefined> {
  const path = posix.join(root, MANIFEST_FILE);
  const read = await facts.readFile("head", path);
  if (read.kind === "missing") return undefined;
  if (read.kind !== "ok") {
    notes.push(`${path} cannot be read: evidence paths are the policy's defaults`);
    return undefined;
  }
  const text = decodeUtf8(path, read.bytes);
  const parsed = text.ok ? readManifest(path, text.text) : { ok: false as const, errors: [text.error] };
  if (parsed.ok) return parsed.value;
  notes.push(
    ...parsed.errors.map(formatLocated),
    `${path} is invalid: evidence paths are the policy's defaults`,
  );
  return undefined;
}
