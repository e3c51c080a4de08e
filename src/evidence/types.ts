// What the evidence readers return. Readers are pure: text in, a value or located errors out.
import type { LocatedError } from "../policy/located.js";
import type { Tier } from "../policy/schema.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: LocatedError[] };

/** `<root>/artifact.yml`. */
export interface Manifest {
  owners: string[];
  tier?: Tier;
  data_categories: string[];
  /** Gate name → evidence path relative to the artifact root, overriding the policy's `file`. */
  evidence: Partial<Record<string, string>>;
}

export type EvalFormat =
  | "native"
  | "promptfoo"
  | "lm-eval"
  | "hf-model-index"
  | "inspect"
  | "hf-eval-results"
  | "cyclonedx"
  | "junit";

/** Evaluation results in any supported format, with metric names normalised. */
export interface EvalResults {
  format: EvalFormat;
  /** Normalised metric name → value. */
  metrics: Record<string, number>;
  /** Normalised metric name → 1-based line where the value sits, where known. */
  lines: Record<string, number>;
  /**
   * Bare metric names that are not unique (Hugging Face): name → the qualified names that
   * carry it, so an error can list them.
   */
  ambiguous: Record<string, string[]>;
  /**
   * Normalised metric name → its standard error, where the results report one (lm-eval
   * `<metric>_stderr`, Inspect's `stderr` metric, a 95 % confidence interval). Absent: none.
   */
  stderr?: Record<string, number>;
  /** Native results only: what was evaluated (`evaluated.files` maps path → git blob SHA). */
  evaluated?: { commit?: string; files?: Record<string, string> };
  /** Set when the run was partial (lm-evaluation-harness `limit`, fewer samples than the task). */
  partial?: string;
}

export type PrivacyDecision = "approved" | "approved_with_conditions" | "rejected" | "not_required";

/** `privacy-review.yml`. Dates are `YYYY-MM-DD` strings (or full ISO timestamps). */
export interface PrivacyRecord {
  reviewer: string;
  decision: PrivacyDecision;
  reviewed_at: string;
  expires_at?: string;
  data_categories: string[];
  lawful_basis?: string;
  conditions: string[];
  dpia?: string;
  /** Field name → 1-based line, for annotations. */
  lines: Record<string, number>;
}

/** A rollback plan, Markdown or YAML, reduced to its sections and drill date. */
export interface RollbackPlan {
  format: "markdown" | "yaml";
  sections: Array<{
    /** Heading text (Markdown) or the section's canonical name (YAML: "Previous version"…). */
    title: string;
    line: number;
    /** At least one line of text before the next heading of the same or higher level. */
    hasText: boolean;
  }>;
  /** The drill date: `last_tested`, or the first YYYY-MM-DD in the "Last tested" section. */
  lastTested?: { date: string; line: number };
}

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
}

export interface Codeowners {
  path: string;
  rules: CodeownersRule[];
}
