// Check-run annotations: the failing line of each evidence and policy file, shown in the diff.
import type { Evaluation, GateResult, Location } from "../engine/types.js";
import type { LocatedError } from "../policy/located.js";
import { clip } from "./escape.js";

export type AnnotationLevel = "failure" | "warning" | "notice";

/** GitHub's annotation object (POST/PATCH check-runs `output.annotations`). */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only with a single-line annotation, as GitHub requires. */
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  message: string;
  title: string;
}

// GitHub's limits: title 255 characters, message 64 KB.
const MAX_TITLE = 255;
const MAX_MESSAGE = 60_000;

function at(location: Location, level: AnnotationLevel, title: string, message: string): Annotation {
  // GitHub needs a line; a file-level finding is pinned to the first line.
  const line = location.line ?? 1;
  const annotation: Annotation = {
    path: location.path,
    start_line: line,
    end_line: line,
    annotation_level: level,
    message: clip(message, MAX_MESSAGE),
    title: clip(title, MAX_TITLE),
  };
  if (location.line !== undefined && location.column !== undefined) {
    annotation.start_column = location.column;
    annotation.end_column = location.column;
  }
  return annotation;
}

function gateMessage(gate: GateResult): string {
  return (
    [...gate.reasons, ...gate.fixes.map((fix) => `Fix: ${fix}`)].join("\n") || `${gate.gate}: ${gate.status}`
  );
}

/**
 * One annotation per location, carrying the reasons found there with their fixes (not every
 * reason of the gate); a gate without findings puts all its reasons at each of its locations.
 */
function gateAnnotations(gate: GateResult, level: AnnotationLevel, title: string): Annotation[] {
  const placed = (gate.findings ?? []).filter((finding) => finding.location !== undefined);
  if (placed.length === 0)
    return gate.locations.map((location) => at(location, level, title, gateMessage(gate)));
  const byPlace = new Map<string, { location: Location; reasons: string[]; fixes: string[] }>();
  for (const { reason, fix, location } of placed) {
    if (!location) continue;
    const key = JSON.stringify([location.path, location.line, location.column]);
    const entry = byPlace.get(key) ?? { location, reasons: [], fixes: [] };
    entry.reasons.push(reason);
    if (!entry.fixes.includes(fix)) entry.fixes.push(fix);
    byPlace.set(key, entry);
  }
  return [...byPlace.values()].map(({ location, reasons, fixes }) =>
    at(location, level, title, [...reasons, ...fixes.map((fix) => `Fix: ${fix}`)].join("\n")),
  );
}

function located(error: LocatedError, level: AnnotationLevel, title: string): Annotation {
  return at(error, level, title, error.message);
}

/** A warning about a builtin pack (`builtin:<name>`) points at no file of the repository. */
const inRepository = (error: LocatedError): boolean => !error.path.startsWith("builtin:");

/** Failing gates → `failure`, pending gates and policy warnings → `warning`, errors → `failure`. */
export function annotationsFor(e: Evaluation): Annotation[] {
  const annotations: Annotation[] = [];
  for (const artifact of e.artifacts) {
    for (const gate of artifact.gates) {
      if (gate.status !== "fail" && gate.status !== "pending") continue;
      const level = gate.status === "fail" ? "failure" : "warning";
      const title = `Readiness: ${gate.gate} ${gate.status === "fail" ? "fails" : "pending"} for ${artifact.root}`;
      annotations.push(...gateAnnotations(gate, level, title));
    }
  }
  for (const error of e.errors) annotations.push(located(error, "failure", "Readiness: error"));
  for (const warning of e.warnings.filter(inRepository))
    annotations.push(located(warning, "warning", "Readiness: warning"));
  return dedupe(annotations);
}

// A gate may list the same file twice (two reasons, one line); GitHub would show it twice.
function dedupe(annotations: Annotation[]): Annotation[] {
  const seen = new Set<string>();
  return annotations.filter((annotation) => {
    const key = JSON.stringify([
      annotation.path,
      annotation.start_line,
      annotation.start_column,
      annotation.title,
      annotation.message,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** GitHub accepts at most 50 annotations per request; the rest go in follow-up updates. */
export function annotationBatches<T>(annotations: readonly T[], size = 50): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < annotations.length; start += size)
    batches.push(annotations.slice(start, start + size));
  return batches;
}
