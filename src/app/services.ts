// What every handler shares, built once when the app is loaded.
import type { Logger } from "pino";
import type { Probot, ProbotOctokit } from "probot";
import { readBuiltinPack } from "../assets/packs.js";
import { readTemplates } from "../assets/templates.js";
import type { Recorder } from "../audit/recorder.js";
import type { BuiltinPacks } from "../engine/evaluate.js";
import { SharedQueries } from "../facts/github-graphql.js";
import { createRenderer, type Renderer } from "../report/index.js";
import { createReleaseRenderer, type ReleaseRenderer } from "../report/release.js";
import { type AppIdentity, appIdentity } from "./github/identity.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { cachedPacks, cachedPolicyResolver, type PolicyResolver } from "./policy-cache.js";
import { createPublisher, type Publisher } from "./publish.js";
import { appVersion, createAppRecorder, type RecordingOptions } from "./recording.js";
import { localOrder, redisOrder, type WriteOrder } from "./write-order.js";

/** The part of a Probot context the shared flow needs, whatever the event. */
export interface GateContext {
  octokit: ProbotOctokit;
  log: Logger;
  /** Every event the app handles names the installation it was delivered for. */
  payload: { installation?: { id: number }; action?: string };
  /** The webhook's event name and delivery id, for the audit record. */
  name?: string;
  id?: string;
}

export interface Services {
  renderer: Renderer;
  /** The release report: the `Readiness gate / release` run and the release assets. */
  releaseRenderer: ReleaseRenderer;
  builtins: BuiltinPacks;
  /** Resolves org + repo policy texts, cached across events. */
  resolvePolicy: PolicyResolver;
  /** Base of the app's own pages (`PUBLIC_URL`); check runs link the PR when unset. */
  publicUrl?: string;
  now: () => Date;
  /** When an evaluation starts, before its first read: orders its write against others (write-order.ts). */
  stamp: () => Promise<number>;
  metrics: Metrics;
  publisher: Publisher;
  identity: () => Promise<AppIdentity>;
  /** GraphQL queries shared by the evaluations of one installation; unset: none shared. */
  queries?: SharedQueries;
  /** Where published decisions go (the audit store, through the spool); unset: nothing is recorded. */
  recorder?: Recorder;
  /** package.json's version, in every record. */
  appVersion: string;
}

export interface ServiceOptions {
  publicUrl?: string;
  metrics?: Metrics;
  renderer?: Renderer;
  builtins?: BuiltinPacks;
  now?: () => Date;
  /**
   * Whether evaluations of one installation share GraphQL queries (default true). Off, every
   * evaluation asks alone, as when each webhook comes from a different installation: the
   * benchmark's comparison.
   */
  shareQueries?: boolean;
  /**
   * How check-run writes of several replicas are ordered: `REDIS_URL` gives the shared order
   * (write-order.ts); a ready-made one (tests) wins. Unset: this process alone.
   */
  redisUrl?: string;
  writeOrder?: WriteOrder;
  /**
   * The audit store and spool (DATABASE_URL, AUDIT_SPOOL_PATH); a ready-made recorder (tests)
   * wins. Neither: nothing is recorded (the app's entry points always pass the environment's).
   */
  recording?: RecordingOptions;
  recorder?: Recorder;
}

export function createServices(app: Probot, options: ServiceOptions = {}): Services {
  const publicUrl = options.publicUrl?.replace(/\/+$/, "");
  const order = options.writeOrder ?? (options.redisUrl ? redisOrder(options.redisUrl, app.log) : localOrder);
  const metrics = options.metrics ?? createMetrics();
  const recorder =
    options.recorder ??
    (options.recording ? createAppRecorder(options.recording, app.log, metrics) : undefined);
  const templates = readTemplates();
  return {
    // Templates are read and compiled now, so a broken template stops the start, not an event.
    renderer: options.renderer ?? createRenderer(templates),
    releaseRenderer: createReleaseRenderer(templates),
    builtins: options.builtins ?? cachedPacks(readBuiltinPack),
    resolvePolicy: cachedPolicyResolver(),
    ...(publicUrl ? { publicUrl } : {}),
    now: options.now ?? (() => new Date()),
    stamp: () => order.stamp(),
    metrics,
    publisher: createPublisher(order),
    ...(options.shareQueries === false ? {} : { queries: new SharedQueries() }),
    identity: appIdentity(app),
    ...(recorder ? { recorder } : {}),
    appVersion: appVersion(),
  };
}
