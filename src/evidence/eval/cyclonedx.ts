// Model cards as JSON: a CycloneDX 1.5+ ML-BOM (components of type machine-learning-model, each
// with `modelCard.quantitativeAnalysis.performanceMetrics`) or a model-card-toolkit card
// (`quantitative_analysis.performance_metrics`). Both are `format: cyclonedx`: the contract lists
// them as one entry, and their metrics read the same way (performance-metrics.ts).
import type { LocatedError } from "../../policy/located.js";
import { errorAt, type YamlFile } from "../../policy/yaml.js";
import type { EvalResults, Parsed } from "../types.js";
import { CAMEL_CASE, readPerformanceMetrics, SNAKE_CASE } from "./performance-metrics.js";
import { nameReadings, type Reading } from "./readings.js";
import { describeValue, failed, isRecord } from "./values.js";

export const CYCLONEDX_EXPECTS =
  "a CycloneDX ML-BOM (`bomFormat: CycloneDX`, components of type machine-learning-model with modelCard.quantitativeAnalysis.performanceMetrics) or a model-card-toolkit card (quantitative_analysis.performance_metrics)";

const MODEL_COMPONENT = "machine-learning-model";
/** The first CycloneDX version with model cards. */
const FIRST_ML_VERSION = [1, 5];

export function looksCycloneDx(value: unknown): boolean {
  return isRecord(value) && (value.bomFormat === "CycloneDX" || isRecord(value.quantitative_analysis));
}

export function readCycloneDx(file: YamlFile): Parsed<EvalResults> {
  const root = file.value;
  if (!isRecord(root) || !looksCycloneDx(root)) {
    return failed([errorAt(file, [], `not a CycloneDX ML-BOM or model card: expected ${CYCLONEDX_EXPECTS}`)]);
  }
  const errors: LocatedError[] = [];
  const readings =
    root.bomFormat === "CycloneDX" ? readBom(file, root, errors) : readModelCard(file, root, errors);
  if (errors.length > 0) return failed(errors);
  if (readings.length === 0) {
    return failed([errorAt(file, [], "the model card reports no performance metrics")]);
  }
  return { ok: true, value: nameReadings("cyclonedx", readings) };
}

function readBom(file: YamlFile, root: Record<string, unknown>, errors: LocatedError[]): Reading[] {
  const version = typeof root.specVersion === "string" ? root.specVersion.split(".").map(Number) : [];
  const [major = 0, minor = 0] = version;
  if (
    major < (FIRST_ML_VERSION[0] as number) ||
    (major === FIRST_ML_VERSION[0] && minor < (FIRST_ML_VERSION[1] as number))
  ) {
    errors.push(
      errorAt(
        file,
        ["specVersion"],
        `CycloneDX specVersion ${describeValue(root.specVersion)} has no model cards: ML-BOMs start at 1.5`,
      ),
    );
    return [];
  }
  if (!Array.isArray(root.components)) {
    errors.push(
      errorAt(file, ["components"], `the BOM lists no components (${MODEL_COMPONENT} with a modelCard)`),
    );
    return [];
  }
  const readings: Reading[] = [];
  let models = 0;
  root.components.forEach((component, index) => {
    if (!isRecord(component) || component.type !== MODEL_COMPONENT) return;
    models += 1;
    const card = component.modelCard;
    const analysis = isRecord(card) ? card.quantitativeAnalysis : undefined;
    if (!isRecord(analysis) || analysis.performanceMetrics === undefined) return;
    const name = typeof component.name === "string" ? component.name : `components[${index}]`;
    const at = ["components", index, "modelCard", "quantitativeAnalysis", "performanceMetrics"];
    for (const found of readPerformanceMetrics(
      file,
      at,
      analysis.performanceMetrics,
      CAMEL_CASE,
      `model ${name}`,
      errors,
    ))
      readings.push(found);
  });
  if (models === 0) {
    errors.push(errorAt(file, ["components"], `the BOM has no component of type ${MODEL_COMPONENT}`));
  }
  return readings;
}

function readModelCard(file: YamlFile, root: Record<string, unknown>, errors: LocatedError[]): Reading[] {
  const analysis = root.quantitative_analysis;
  if (!isRecord(analysis) || analysis.performance_metrics === undefined) return [];
  const at = ["quantitative_analysis", "performance_metrics"];
  return readPerformanceMetrics(file, at, analysis.performance_metrics, SNAKE_CASE, "model card", errors);
}
