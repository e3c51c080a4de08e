// Publishes the one `Readiness gate` check run per head SHA, updated in place.
//
// In this process, events for the same repository + head are serialised (KeyedMutex), so a
// redelivery or `synchronize` racing `check_suite` finds the run the first one created. Across
// replicas the list-then-create can still race and leave two runs of the same name on one
// commit; GitHub then shows (and branch protection uses) the newest, and every later evaluation
// lists with `filter=latest`, finds that newest run and updates it, so the runs converge.
//
// GitHub APPENDS annotations on every PATCH and cannot delete them. The run's `external_id`
// records a fingerprint of the annotations it carries: an update with the same annotations (a
// redelivery, a re-check) sends none again; a run without annotations receives them; when the
// findings on the same head really changed (a retarget, a new org policy), a fresh run is
// created instead of piling stale annotations onto the old one.
import { createHash } from "node:crypto";
import type { ProbotOctokit } from "probot";
import {
  type Annotation,
  annotationBatches,
  type CheckConclusion,
  type CheckRunAction,
} from "../report/index.js";
import { KeyedMutex } from "./keyed-mutex.js";

export const CHECK_NAME = "Readiness gate";
const BATCH = 50;

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  /** Our app's id: only its runs are ours to update. */
  appId: number;
  detailsUrl?: string;
}

export interface CheckRunContent {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
  actions: CheckRunAction[];
}

export interface ExistingRun {
  id: number;
  externalId: string | null;
  annotationsCount: number;
}

export interface Publisher {
  /** Creates or updates the run; returns its id and whether it was created. */
  publish(
    octokit: ProbotOctokit,
    target: CheckRunTarget,
    content: CheckRunContent,
  ): Promise<{ id: number; created: boolean }>;
  /** Our latest `Readiness gate` run on that head, if any. */
  findRun(octokit: ProbotOctokit, target: CheckRunTarget): Promise<ExistingRun | undefined>;
}

export function createPublisher(mutex = new KeyedMutex()): Publisher {
  return {
    findRun,
    publish: (octokit, target, content) =>
      mutex.run(`${target.owner}/${target.repo}@${target.headSha}`, () => write(octokit, target, content)),
  };
}

async function findRun(octokit: ProbotOctokit, target: CheckRunTarget): Promise<ExistingRun | undefined> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: CHECK_NAME,
    filter: "latest",
    app_id: target.appId,
    per_page: 100,
  });
  const run = data.check_runs.find((r) => r.app?.id === target.appId && r.name === CHECK_NAME);
  if (!run) return undefined;
  return {
    id: Number(run.id),
    externalId: run.external_id ?? null,
    annotationsCount: run.output.annotations_count,
  };
}

async function write(octokit: ProbotOctokit, target: CheckRunTarget, content: CheckRunContent) {
  const { owner, repo } = target;
  const fingerprint = annotationsFingerprint(content.annotations);
  const existing = await findRun(octokit, target);
  const batches = annotationBatches(content.annotations, BATCH);
  const sameAnnotations =
    existing?.externalId === fingerprint && existing.annotationsCount === content.annotations.length;
  const reusable = existing && (sameAnnotations || existing.annotationsCount === 0);
  const toSend = sameAnnotations ? [] : batches;

  const output = {
    title: content.title,
    summary: content.summary,
    ...(content.text ? { text: content.text } : {}),
  };
  const body = {
    name: CHECK_NAME,
    status: "completed" as const,
    conclusion: content.conclusion,
    completed_at: new Date().toISOString(),
    external_id: fingerprint,
    actions: content.actions,
    ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
    output: { ...output, ...(toSend[0] ? { annotations: toSend[0] } : {}) },
  };

  let id: number;
  if (reusable) {
    id = existing.id;
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner,
      repo,
      check_run_id: id,
      ...body,
    });
  } else {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      owner,
      repo,
      head_sha: target.headSha,
      ...body,
    });
    id = Number(data.id);
  }
  // GitHub takes 50 annotations per request: the rest follow as updates of the same run.
  for (const batch of toSend.slice(1)) {
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner,
      repo,
      check_run_id: id,
      output: { ...output, annotations: batch },
    });
  }
  return { id, created: !reusable };
}

/** Short and stable: GitHub caps `external_id`, and equal annotations must give equal ids. */
export function annotationsFingerprint(annotations: readonly Annotation[]): string {
  const digest = createHash("sha256").update(JSON.stringify(annotations)).digest("hex").slice(0, 32);
  return `readiness:${annotations.length}:${digest}`;
}
