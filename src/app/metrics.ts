// Prometheus metrics served on GET /metrics. One registry of our own (not prom-client's global
// default), so tests and several Probot instances in one process do not collide on names.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Verdict } from "../engine/types.js";

export interface Metrics {
  registry: Registry;
  evaluations: Counter<"verdict">;
  evaluationSeconds: Histogram<"verdict">;
  webhookSeconds: Histogram<"event">;
  githubRequests: Counter<"status">;
  /** Decisions spooled and not yet in the audit store. */
  auditPending: Gauge;
  auditAppended: Counter;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    evaluations: new Counter({
      name: "readiness_evaluations_total",
      help: "Pull request evaluations, by verdict (`error` when the evaluation could not finish)",
      labelNames: ["verdict"],
      registers,
    }),
    evaluationSeconds: new Histogram({
      name: "readiness_evaluation_seconds",
      help: "Time to gather facts, evaluate and publish one check run",
      labelNames: ["verdict"],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    webhookSeconds: new Histogram({
      name: "readiness_webhook_seconds",
      help: "Time to handle one webhook delivery, by event",
      labelNames: ["event"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    githubRequests: new Counter({
      name: "readiness_github_requests_total",
      help: "GitHub API requests made while handling webhooks, by response status class",
      labelNames: ["status"],
      registers,
    }),
    auditPending: new Gauge({
      name: "readiness_audit_pending",
      help: "Decisions waiting in the local spool for the audit store (it is down, or they are being appended)",
      registers,
    }),
    auditAppended: new Counter({
      name: "readiness_audit_appended_total",
      help: "Records appended to the audit store by this process",
      registers,
    }),
  };
}

/** `error` stands for an evaluation that threw (GitHub down…): it has no verdict. */
export type EvaluationOutcome = Verdict | "error";
