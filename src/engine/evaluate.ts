// The engine's entry point: facts and an effective policy in, one Evaluation out. Gates read files
// only through Facts; everything here is deterministic for the same facts, policy and time.
import { decodeUtf8 } from "../evidence/text.js";
import { memo } from "../facts/memo.js";
import type { Facts, Override } from "../facts/types.js";
import { evidenceMatcher } from "../gates/evidence-file.js";
import { approvalsGate, evidenceFiles, gatesFor } from "../gates/index.js";
import type { EvidenceGate, GateInput, GateResult, GateScope } from "../gates/types.js";
import type { BuiltinPacks } from "../policy/load.js";
import { type PolicySourceText, resolvePolicy } from "../policy/resolve.js";
import { POLICY_PATH } from "../policy/schema.js";
import { cachedFacts } from "./cached-facts.js";
import { artifactResolver } from "./touched.js";
import { touchedArtifacts } from "./touched-artifacts.js";
import type { ArtifactResult, EffectivePolicy, Evaluation } from "./types.js";
import { decideVerdict, overrideInForce } from "./verdict.js";

export type { BuiltinPacks } from "../policy/load.js";
/** A policy file's text and where it came from (`label` names it to users). */
export type PolicySource = PolicySourceText;

export interface EvaluationInput {
  facts: Facts;
  /** The effective policy (org + repo at base), from `loadEffectivePolicy`. */
  policy: EffectivePolicy;
  /** The org policy, to validate a PR's own edit of the repo policy against it. */
  org?: PolicySource;
  builtins: BuiltinPacks;
  now: Date;
  /**
   * The override recorded for this head, as the caller read it (the app: from its own PR
   * comments). It counts only on its head and until it expires (`overrideInForce`).
   */
  override?: Override;
}

export async function evaluate(input: EvaluationInput): Promise<Evaluation> {
  const { policy: effective } = input;
  if (!effective.ok) {
    return {
      verdict: "policy_error",
      enforcement: "enforced",
      policy: { digest: "", sources: effective.sources },
      artifacts: [],
      approvals: [],
      errors: effective.errors,
      warnings: [],
    };
  }
  const policy = effective.policy;
  const facts = cachedFacts(input.facts);
  const changes = await facts.changedFiles();
  const remember = memo();
  const resolver = artifactResolver({ policy, memo: remember });
  const changedPaths = new Set<string>();
  for (const change of changes.files) {
    changedPaths.add(change.path);
    if (change.previousPath) changedPaths.add(change.previousPath);
  }
  const scope: GateScope = {
    policy,
    facts,
    now: input.now,
    changedPaths,
    memo: remember,
    isGoverned: (path) => {
      if (resolver.pseudoKindOf(path)) return true;
      const found = resolver.artifactOf(path);
      return found !== undefined && !resolver.ignores(found, path);
    },
    sources: { ...(input.org ? { org: input.org } : {}), builtins: input.builtins },
  };
  const { artifacts: touched, errors } = await touchedArtifacts(scope, resolver, changes);
  // Evidence is governed even where an ignore glob matches it: weakening a rollback plan after an
  // approval must invalidate that approval.
  const isEvidence = evidenceMatcher(touched.flatMap((artifact) => [...evidenceFiles(scope, artifact)]));
  const governed = scope.isGoverned;
  scope.isGoverned = (path) => isEvidence(path) || governed(path);
  // Approvals run beside the evidence gates, not after them: their questions about people then
  // travel with the evidence reads (a GitHub source batches what is asked together).
  const [artifacts, approvals] = await Promise.all([
    Promise.all(touched.map((artifact) => checkArtifact({ ...scope, artifact }))),
    approvalsGate({ ...scope, artifacts: touched }),
  ]);
  if (changes.incomplete) errors.unshift({ path: "", message: changes.incomplete });
  const override = overrideInForce(input.override, facts.headSha, input.now);
  return {
    verdict: decideVerdict(artifacts, approvals, errors.length > 0, override),
    enforcement: policy.enforcement,
    policy: { digest: effective.digest, sources: effective.sources },
    artifacts,
    approvals,
    errors,
    warnings: effective.warnings,
    ...(override ? { override } : {}),
  };
}

async function checkArtifact(input: GateInput): Promise<ArtifactResult> {
  const { artifact } = input;
  const gates = await Promise.all(gatesFor(artifact, input.policy).map((gate) => guarded(gate, input)));
  return {
    root: artifact.root,
    kind: artifact.kind,
    tier: artifact.tier,
    removed: artifact.removed,
    owners: artifact.owners,
    gates: gates.filter((g): g is GateResult => g !== undefined),
  };
}

/** A gate that throws fails closed with the reason, instead of taking the evaluation down. */
function guarded(gate: EvidenceGate, input: GateInput): Promise<GateResult | undefined> {
  try {
    return gate.check(input).catch((error: unknown) => couldNotCheck(gate.name, error));
  } catch (error) {
    return Promise.resolve(couldNotCheck(gate.name, error));
  }
}

function couldNotCheck(gate: string, error: unknown): GateResult {
  return {
    gate,
    status: "fail",
    reasons: [`the gate could not be checked: ${(error as Error).message}`],
    fixes: ["Re-run the check; if it keeps failing, report it with this message."],
    notes: [],
    locations: [],
  };
}

/**
 * The effective policy: the org policy and the repository policy read at the BASE side (never
 * the head, so a PR cannot loosen its own gate). `repoOverride` replaces the repository file
 * (the CLI's `--policy`). Undefined when there is no policy anywhere: the app then posts nothing.
 */
export async function loadEffectivePolicy(
  facts: Facts,
  options: {
    org?: PolicySource;
    repoOverride?: PolicySource;
    builtins: BuiltinPacks;
    /** `resolvePolicy`, or a cache of it (the app keeps one). */
    resolve?: typeof resolvePolicy;
  },
): Promise<EffectivePolicy | undefined> {
  let repo = options.repoOverride;
  if (!repo) {
    const read = await facts.readFile("base", POLICY_PATH);
    if (read.kind === "ok") {
      const text = decodeUtf8(POLICY_PATH, read.bytes);
      if (!text.ok) return { ok: false, errors: [text.error], sources: [POLICY_PATH] };
      repo = { path: POLICY_PATH, text: text.text };
    } else if (read.kind !== "missing") {
      const why =
        read.kind === "too_large" ? `is too large (${read.size} bytes)` : `cannot be read: ${read.reason}`;
      return {
        ok: false,
        errors: [{ path: POLICY_PATH, message: `the policy file ${why}` }],
        sources: [POLICY_PATH],
      };
    }
  }
  return (options.resolve ?? resolvePolicy)({
    ...(options.org ? { org: options.org } : {}),
    ...(repo ? { repo } : {}),
    builtins: options.builtins,
  });
}
