// Whether a metric's change from the base branch counts as a regression (PRODUCT.md "Regression",
// noise-aware): worse by more than the tolerance and, where both sides report a standard error,
// by more than `stderr` × √(se_base² + se_head²). Pure arithmetic, so the wording stays in the gate.

export interface RegressionRule {
  tolerance: number;
  /** How many combined standard errors a change must exceed; absent: the tolerance alone. */
  stderr?: number | undefined;
}

export interface MetricChange {
  before: number;
  now: number;
  /** `max` thresholds: a rise is worse. */
  higherIsWorse: boolean;
  stderrBefore?: number | undefined;
  stderrNow?: number | undefined;
}

export interface Regression {
  /** How much worse the metric is (negative: better). */
  worse: number;
  beyondTolerance: boolean;
  /** The noise band, when the rule has `stderr` and both sides report a standard error. */
  band?: { width: number; formula: string };
  /** Counted as a regression. */
  counts: boolean;
}

/** Float noise in `before - now` must not turn a change of exactly the tolerance into a regression. */
const EPSILON = 1e-12;

export function regressionOf(rule: RegressionRule, change: MetricChange): Regression {
  const worse = change.higherIsWorse ? change.now - change.before : change.before - change.now;
  const beyondTolerance = worse > rule.tolerance + EPSILON;
  const { stderrBefore: seBase, stderrNow: seHead } = change;
  // A standard error comes from the results the PR commits: a negative one is none at all.
  if (rule.stderr === undefined || !isStandardError(seBase) || !isStandardError(seHead)) {
    return { worse, beyondTolerance, counts: beyondTolerance };
  }
  const width = rule.stderr * Math.sqrt(seBase ** 2 + seHead ** 2);
  const formula = `${rule.stderr} × √(${short(seBase)}² + ${short(seHead)}²)`;
  return {
    worse,
    beyondTolerance,
    band: { width, formula },
    counts: beyondTolerance && worse > width + EPSILON,
  };
}

function isStandardError(se: number | undefined): se is number {
  return se !== undefined && Number.isFinite(se) && se >= 0;
}

/** Standard errors shown to four significant digits: enough to redo the sum by hand. */
function short(n: number): string {
  return String(Number(n.toPrecision(4)));
}
