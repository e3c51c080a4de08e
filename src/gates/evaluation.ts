// Evaluation gate: results exist, parse, meet every threshold, do not regress against the base
// branch, and are bound to what changed (PRODUCT.md "Evidence").
import { EVALUATED_FILE, evaluatedFilePath, readEvaluatedFile } from "../evidence/eval/evaluated-file.js";
import { normaliseMetricName, readEvalEvidence, type WrongFormat } from "../evidence/eval-results.js";
import type { EvalResults } from "../evidence/types.js";
import { EVIDENCE_SIZE_LIMIT } from "../facts/types.js";
import { EVAL_FORMATS, type EvaluationGate, type Threshold } from "../policy/schema.js";
import { contentFiles, contentFileTest } from "./content-files.js";
import { isResultsPath, readEvalEvidenceAt } from "./eval-evidence.js";
import {
  baseEvidencePath,
  defaultEvidenceReads,
  failParseErrors,
  openEvidenceWith,
  readEvidenceText,
} from "./evidence-file.js";
import type { Findings } from "./findings.js";
import { regressionOf } from "./regression.js";
import { appliesToTier } from "./tiers.js";
import type { EvidenceGate, GateInput, GateResult, TouchedArtifact } from "./types.js";

const RERUN = "Re-run the evaluation and commit its results.";

export const evaluationGate: EvidenceGate = {
  name: "evaluation",
  check: checkEvaluation,
  // Regression compares with the base's results.
  likelyReads: (policy, root, lowest) => {
    const config = policy.gates.evaluation;
    // A results folder (`.eval_results/`) is listed, not read: its files are not known ahead.
    const reads = defaultEvidenceReads(
      config,
      root,
      lowest,
      config?.regression ? ["head", "base"] : ["head"],
    ).filter((read) => !read.path.endsWith("/"));
    const results = reads.find((read) => read.side === "head");
    if (config?.bind === "digest" && results)
      reads.push({ side: "head", path: evaluatedFilePath(results.path) });
    return reads;
  },
};

async function checkEvaluation(input: GateInput): Promise<GateResult | undefined> {
  const config = input.policy.gates.evaluation;
  if (!config) return undefined;
  const opened = await openEvidenceWith(
    input,
    "evaluation",
    config,
    (path) =>
      `Commit the results of an evaluation run at ${path} (native, promptfoo, lm-evaluation-harness, Inspect, JUnit, a model card or .eval_results).`,
    (path) => readEvalEvidenceAt(input, path),
  );
  if ("done" in opened) return opened.done;
  const { path, content, findings } = opened;
  const parsed = await readEvalEvidence(path, content, config.format, EVIDENCE_SIZE_LIMIT);
  if (!parsed.ok) {
    const fix =
      "wrongFormat" in parsed
        ? formatFix(path, parsed.wrongFormat)
        : `Fix ${path} so it is a supported results file.`;
    return failParseErrors(findings, parsed.errors, fix);
  }
  const results = parsed.value;
  if (results.partial)
    findings.fail(`${path}: ${results.partial}`, "Run the full evaluation, without a sample limit.", {
      path,
    });
  const thresholds = thresholdsFor(input.artifact, config.thresholds);
  checkThresholds(findings, path, results, thresholds);
  if (config.regression) await checkRegression(input, findings, path, results, config, thresholds);
  await checkBinding(input, findings, path, results, config);
  return findings.result();
}

/** The fix for results the policy's `format` cannot read: it names the setting and its values. */
function formatFix(path: string, wrong: WrongFormat): string {
  const accepted = `accepted values: ${EVAL_FORMATS.join(", ")}`;
  if (wrong.detected) {
    return `Set format: ${wrong.detected} (or auto) under gates.evaluation in the policy (${accepted}), or commit ${wrong.wanted} results at ${path}.`;
  }
  return `Commit ${path} in a supported results format, or set format under gates.evaluation in the policy to the one it is in (${accepted}).`;
}

/**
 * The thresholds that apply to the artifact — those whose `kinds` and `tiers` filters match it,
 * as approval rules' do — folded to one per metric, the tightest `min` and `max` winning.
 */
export function thresholdsFor(artifact: TouchedArtifact, thresholds: readonly Threshold[]): Threshold[] {
  const byMetric = new Map<string, Threshold>();
  for (const th of thresholds) {
    if (th.kinds && !th.kinds.includes(artifact.kind)) continue;
    if (!appliesToTier(th.tiers, artifact)) continue;
    const name = normaliseMetricName(th.metric);
    const seen = byMetric.get(name);
    if (!seen) {
      byMetric.set(name, { metric: th.metric, ...bounds(th) });
      continue;
    }
    if (th.min !== undefined) seen.min = seen.min === undefined ? th.min : Math.max(seen.min, th.min);
    if (th.max !== undefined) seen.max = seen.max === undefined ? th.max : Math.min(seen.max, th.max);
  }
  return [...byMetric.values()];
}

function bounds(th: Threshold): Pick<Threshold, "min" | "max"> {
  return { ...(th.min !== undefined && { min: th.min }), ...(th.max !== undefined && { max: th.max }) };
}

function metricValue(
  results: EvalResults,
  threshold: Threshold,
  findings: Findings,
  path: string,
): number | undefined {
  const name = normaliseMetricName(threshold.metric);
  const value = results.metrics[name];
  if (value !== undefined) return value;
  const candidates = results.ambiguous[name];
  if (candidates) {
    findings.fail(
      `metric '${threshold.metric}' is reported for several datasets: ${candidates.join(", ")}`,
      "Name one of them in the policy threshold (`<dataset>/<metric>`).",
      { path },
    );
  } else {
    const found = Object.keys(results.metrics);
    findings.fail(
      `${path} does not report '${threshold.metric}'; it reports ${found.length ? found.join(", ") : "no metrics"}`,
      `Evaluate '${threshold.metric}', or correct the metric name in the policy.`,
      { path },
    );
  }
  return undefined;
}

function checkThresholds(
  findings: Findings,
  path: string,
  results: EvalResults,
  thresholds: readonly Threshold[],
) {
  for (const threshold of thresholds) {
    const value = metricValue(results, threshold, findings, path);
    if (value === undefined) continue;
    const location = { path, line: results.lines[normaliseMetricName(threshold.metric)] };
    if (threshold.min !== undefined && value < threshold.min) {
      findings.fail(
        `${threshold.metric} ${fmt(value)} is below the minimum ${fmt(threshold.min)}`,
        RERUN,
        location,
      );
    }
    if (threshold.max !== undefined && value > threshold.max) {
      findings.fail(
        `${threshold.metric} ${fmt(value)} is above the maximum ${fmt(threshold.max)}`,
        RERUN,
        location,
      );
    }
  }
}

/**
 * Each thresholded metric against the base branch's results, read where the base keeps them (the
 * base manifest's path): a PR that moves its results elsewhere is still compared. A metric absent
 * at base is no regression.
 */
async function checkRegression(
  input: GateInput,
  findings: Findings,
  path: string,
  head: EvalResults,
  config: EvaluationGate,
  thresholds: readonly Threshold[],
) {
  const rule = { tolerance: config.regression?.tolerance ?? 0, stderr: config.regression?.stderr };
  const basePath = baseEvidencePath(input.artifact, "evaluation", config.file);
  if (basePath === undefined) return;
  const baseRead = await readEvalEvidenceAt(input, basePath, "base");
  if (!baseRead.ok) return;
  const base = await readEvalEvidence(basePath, baseRead.content, config.format, EVIDENCE_SIZE_LIMIT);
  if (!base.ok) {
    findings.note(`the base branch's ${basePath} could not be read, so regression was not compared`);
    return;
  }
  const onBase = basePath === path ? "on the base branch" : `on the base branch (${basePath})`;
  for (const threshold of thresholds) {
    const name = normaliseMetricName(threshold.metric);
    const now = head.metrics[name];
    const before = base.value.metrics[name];
    if (now === undefined || before === undefined) continue;
    const higherIsWorse = threshold.max !== undefined && threshold.min === undefined;
    const change = regressionOf(rule, {
      before,
      now,
      higherIsWorse,
      stderrBefore: base.value.stderr?.[name],
      stderrNow: head.stderr?.[name],
    });
    if (!change.counts && !(change.band && change.beyondTolerance)) continue;
    // A noise-aware rule shows the change itself, to set beside the noise band.
    const delta = rule.stderr !== undefined ? ` (${signed(now - before)})` : "";
    const moved = `${threshold.metric} regressed from ${fmt(before)} ${onBase} to ${fmt(now)}${delta}`;
    const location = { path, line: head.lines[name] };
    if (change.counts) {
      const noise = change.band
        ? ` and the noise band ${fmt(change.band.width)} (${change.band.formula})`
        : rule.stderr
          ? " (no standard error on both sides, so the tolerance alone applies)"
          : "";
      findings.fail(
        `${moved}, more than the tolerance ${fmt(rule.tolerance)}${noise}`,
        "Fix the regression, or have the policy's tolerance reviewed.",
        location,
      );
    } else if (change.band && change.beyondTolerance) {
      findings.note(
        `${moved}: more than the tolerance ${fmt(rule.tolerance)} but within the noise band ${fmt(change.band.width)} (${change.band.formula}), so it does not count as a regression`,
      );
    }
  }
}

async function checkBinding(
  input: GateInput,
  findings: Findings,
  path: string,
  results: EvalResults,
  config: EvaluationGate,
) {
  const { artifact } = input;
  if (config.bind === "same_pr") {
    const isContent = contentFileTest(input, artifact);
    const changedContent = artifact.changedPaths.filter(isContent);
    if (changedContent.length > 0 && !resultsChanged(input, path)) {
      findings.fail(
        `${changedContent.slice(0, 3).join(", ")}${changedContent.length > 3 ? ` and ${changedContent.length - 3} more` : ""} changed but ${path} did not`,
        `Re-run the evaluation on the changed artifact and commit ${path} in this pull request.`,
        { path },
      );
    }
  } else if (config.bind === "digest") {
    const recorded = await evaluatedFiles(input, findings, path, results);
    if (!recorded) return;
    const { where, files } = recorded;
    const actual = contentFiles(input, artifact, await input.facts.listFiles("head", artifact.root));
    const problems: string[] = [];
    for (const [file, sha] of actual) {
      const listed = files[file];
      if (listed === undefined) problems.push(`${file} is not listed`);
      else if (listed !== sha) problems.push(`${file} differs from the evaluated version`);
    }
    for (const file of Object.keys(files))
      if (!actual.has(file)) problems.push(`${file} is listed but not in the artifact`);
    for (const problem of problems) {
      findings.fail(
        `evaluated.files does not match the artifact: ${problem}`,
        `Re-run the evaluation, then \`${digestCommand(artifact, where !== path)}\`${where === path ? ` and paste the result into ${path}` : ` and commit ${where}`}.`,
        { path: where },
      );
    }
  }
}

/** The results file changed, or — for a results folder — a file in it. */
function resultsChanged(input: GateInput, path: string): boolean {
  if (!path.endsWith("/")) return input.changedPaths.has(path);
  for (const changed of input.changedPaths) if (isResultsPath(path, changed)) return true;
  return false;
}

function digestCommand(artifact: TouchedArtifact, write: boolean): string {
  return `readiness-gate digest ${artifact.root}${write ? " --write" : ""}`;
}

/**
 * Where `bind: digest` finds what was evaluated: the `evaluated:` block of native results, or
 * `evaluated.yml` beside results of any other format, which cannot hold it. Undefined after
 * failing the gate with why.
 */
async function evaluatedFiles(
  input: GateInput,
  findings: Findings,
  path: string,
  results: EvalResults,
): Promise<{ where: string; files: Record<string, string> } | undefined> {
  const { artifact } = input;
  if (results.format === "native") {
    if (results.evaluated?.files) return { where: path, files: results.evaluated.files };
    findings.fail(
      `${path} has no evaluated.files digest of what was evaluated`,
      `Run \`${digestCommand(artifact, true)}\` (it writes the evaluated: block into ${path}), or paste the block \`${digestCommand(artifact, false)}\` prints.`,
      { path },
    );
    return undefined;
  }
  const where = evaluatedFilePath(path);
  const write = `Run \`${digestCommand(artifact, true)}\`, which writes ${where}, and commit it.`;
  const read = await readEvidenceText(input, where);
  if (!read.ok) {
    const reason = read.missing
      ? `${where} does not exist: ${results.format} results cannot carry the evaluated: block of bind: digest, so it is kept in ${EVALUATED_FILE} beside them`
      : read.reason;
    findings.fail(reason, write, read.location ?? { path: where });
    return undefined;
  }
  const parsed = readEvaluatedFile(where, read.text);
  if (!parsed.ok) {
    failParseErrors(findings, parsed.errors, write);
    return undefined;
  }
  if (!parsed.value.files) {
    findings.fail(`${where} has no evaluated.files digest of what was evaluated`, write, { path: where });
    return undefined;
  }
  return { where, files: parsed.value.files };
}

/** -0.03 → "-0.03", 0.02 → "+0.02": a change reads with its direction. */
function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : fmt(n);
}

/** 0.9 → "0.90", 0.8712 → "0.8712": metrics read best with at least two decimals. */
function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const text = String(Number(n.toPrecision(6)));
  const decimals = text.split(".")[1]?.length ?? 0;
  return decimals === 1 ? n.toFixed(2) : text;
}
