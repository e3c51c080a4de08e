// The effective policy for one repository: the org policy, tightened by the repo policy, each
// optionally on top of a builtin pack. Callers fetch the texts (org default branch, repo base
// commit); this stays pure.
import { policyDigest } from "./digest.js";
import { type BuiltinPacks, loadPolicy } from "./load.js";
import type { LocatedError } from "./located.js";
import { mergeTightenOnly } from "./merge.js";
import type { Policy } from "./schema.js";
import { thresholdKindWarnings } from "./threshold-kinds.js";
import type { PolicyLayer } from "./tighten.js";
import { globWarnings, placeholderWarnings } from "./warnings.js";

export interface PolicySourceText {
  /** Repository-relative path, used in error locations. */
  path: string;
  text: string;
  /** How the source is named in `sources`, e.g. `acme/.github:.github/readiness.yml`. */
  label?: string;
}

/**
 * The effective policy, or why it could not be loaded. Same shape as the engine's
 * `EffectivePolicy`, declared here so the policy layer imports nothing of ours.
 */
export type ResolvedPolicy =
  | { ok: true; policy: Policy; digest: string; sources: string[]; warnings: LocatedError[] }
  | { ok: false; errors: LocatedError[]; sources: string[] };

export interface ResolveInput {
  org?: PolicySourceText;
  repo?: PolicySourceText;
  builtins: BuiltinPacks;
  /** The repository's files; when given, repo-policy globs that match nothing are warnings. */
  paths?: string[];
}

/** Undefined when neither an org nor a repo policy exists: the repository is not governed. */
export function resolvePolicy(input: ResolveInput): ResolvedPolicy | undefined {
  if (!input.org && !input.repo) return undefined;
  const sources: string[] = [];
  const errors: LocatedError[] = [];
  const placeholders: LocatedError[] = [];
  const load = (source: PolicySourceText | undefined): PolicyLayer | undefined => {
    if (!source) return undefined;
    const result = loadPolicy(source.path, source.text, input.builtins);
    // A pack is named with its version, `@1` for a bare name: the sources say which one applied.
    if (result.ok && result.pack) sources.push(`builtin:${versioned(result.pack.name)}`);
    sources.push(source.label ?? source.path);
    if (!result.ok) {
      errors.push(...result.errors);
      return undefined;
    }
    placeholders.push(...placeholderWarnings(result));
    return {
      policy: result.policy,
      file: result.file,
      input: result.input,
      ...(source.label !== undefined && { label: source.label }),
      ...(result.pack && { pack: { name: result.pack.name } }),
    };
  };
  const org = load(input.org);
  const repo = load(input.repo);
  if (errors.length > 0) return { ok: false, errors, sources };

  let policy: Policy;
  if (org && repo) {
    const merged = mergeTightenOnly(org, repo);
    if (merged.errors.length > 0) return { ok: false, errors: merged.errors, sources };
    policy = merged.policy;
  } else {
    policy = ((org ?? repo) as PolicyLayer).policy;
  }
  // Only the repo's own globs warn: an org-wide policy names folders many repositories lack.
  const kinds = Object.keys(policy.artifacts);
  const warnings = [
    ...placeholders,
    ...[org, repo].flatMap((layer) => (layer ? thresholdKindWarnings(layer, kinds) : [])),
    ...(repo && input.paths ? globWarnings(repo.policy, repo.file, input.paths) : []),
  ];
  return { ok: true, policy, digest: policyDigest(policy), sources, warnings };
}

/** `ai-production-readiness` → `ai-production-readiness@1`; a versioned name as it is. */
function versioned(pack: string): string {
  return pack.includes("@") ? pack : `${pack}@1`;
}
