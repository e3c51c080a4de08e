// Publishes the one `Readiness gate` check run per head SHA, updated in place.
//
// The existing run is looked up in the evaluation's first GraphQL query (`lookupRun`), so finding
// it costs no request of its own. That answer may be older than a write this process made since
// (a redelivery racing `check_suite`): writes for the same repository + head are serialised
// (KeyedMutex) and each remembers the run it wrote, and a write newer than the lookup wins. Across
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
import { requestJson } from "../facts/github-client.js";
import type { GraphQLBatcher } from "../facts/github-graphql.js";
import { throwUnlessNotFound } from "../facts/github-graphql.js";
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

/** An earlier lookup of the run, started before the evaluation (see `Publisher.lookup`). */
export interface RunLookup {
  run: Promise<ExistingRun | undefined>;
  /** This process's write count when the lookup started: later writes know better. */
  since: number;
}

export interface Publisher {
  /**
   * Creates or updates the run; returns its id and whether it was created. Without `lookup` (or
   * when it failed), the run is looked up with one REST request first.
   */
  publish(
    octokit: ProbotOctokit,
    target: CheckRunTarget,
    content: CheckRunContent,
    lookup?: RunLookup,
  ): Promise<{ id: number; created: boolean }>;
  /** Asks the evaluation's GraphQL batch for our run on that head. */
  lookup(batch: GraphQLBatcher, target: CheckRunTarget): RunLookup;
  /** Our latest `Readiness gate` run on that head, if any (one REST request). */
  findRun(octokit: ProbotOctokit, target: CheckRunTarget): Promise<ExistingRun | undefined>;
}

/** Runs this process wrote lately, by repository + head; enough to cover events in flight. */
const REMEMBERED = 1000;

export function createPublisher(mutex = new KeyedMutex()): Publisher {
  let writes = 0;
  const written = new Map<string, { at: number; run: ExistingRun }>();
  const keyOf = (t: CheckRunTarget) => `${t.owner}/${t.repo}@${t.headSha}`;
  const existingRun = async (octokit: ProbotOctokit, target: CheckRunTarget, lookup?: RunLookup) => {
    const mine = written.get(keyOf(target));
    if (mine && (!lookup || mine.at > lookup.since)) return mine.run;
    if (lookup) {
      try {
        return await lookup.run;
      } catch {
        // The lookup shared a query that failed; ask on its own.
      }
    }
    return findRun(octokit, target);
  };
  return {
    findRun,
    lookup: (batch, target) => {
      const run = lookupRun(batch, target);
      run.catch(() => undefined); // read (or replaced by a REST lookup) when publishing
      return { run, since: writes };
    },
    publish: (octokit, target, content, lookup) =>
      mutex.run(keyOf(target), async () => {
        const existing = await existingRun(octokit, target, lookup);
        const result = await write(octokit, target, content, existing);
        const key = keyOf(target);
        written.delete(key);
        written.set(key, {
          at: ++writes,
          run: { id: result.id, externalId: result.externalId, annotationsCount: result.annotationsCount },
        });
        if (written.size > REMEMBERED) written.delete(written.keys().next().value as string);
        return { id: result.id, created: result.created };
      }),
  };
}

/** The part of GitHub's check-run answer the app reads. */
interface CheckRun {
  id: number;
}

interface RunNode {
  databaseId: number | null;
  externalId: string | null;
  annotations: { totalCount: number } | null;
}
interface CommitRuns {
  object: {
    checkSuites?: { nodes: Array<{ checkRuns: { nodes: Array<RunNode | null> } | null } | null> };
  } | null;
}

/**
 * Our newest run on the head, from GraphQL. The page sizes are small on purpose: GitHub charges a
 * query by the nested pages it could return (suites × runs × annotation pages), and an app has one
 * suite per commit and LATEST gives one run per name; `annotations { totalCount }` asks for no page.
 */
async function lookupRun(batch: GraphQLBatcher, target: CheckRunTarget): Promise<ExistingRun | undefined> {
  const answer = await batch.ask<CommitRuns>(
    `repository(owner: $owner, name: $name) { object(oid: $head) { ... on Commit {
    checkSuites(first: 5, filterBy: { appId: $appId }) { nodes {
      checkRuns(first: 5, filterBy: { checkName: $checkName, checkType: LATEST }) {
        nodes { databaseId externalId annotations { totalCount } } } } } } } }`,
    {
      owner: ["String!", target.owner],
      name: ["String!", target.repo],
      head: ["GitObjectID!", target.headSha],
      appId: ["Int", target.appId],
      checkName: ["String!", CHECK_NAME],
    },
  );
  throwUnlessNotFound(answer.errors, `the ${CHECK_NAME} run of ${target.headSha}`);
  const runs = (answer.data?.object?.checkSuites?.nodes ?? [])
    .flatMap((suite) => suite?.checkRuns?.nodes ?? [])
    .filter((run): run is RunNode & { databaseId: number } => run?.databaseId != null);
  // The newest run is the one GitHub shows and branch protection reads.
  const newest = runs.sort((a, b) => b.databaseId - a.databaseId)[0];
  if (!newest) return undefined;
  return {
    id: newest.databaseId,
    externalId: newest.externalId,
    annotationsCount: newest.annotations?.totalCount ?? 0,
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

async function write(
  octokit: ProbotOctokit,
  target: CheckRunTarget,
  content: CheckRunContent,
  existing: ExistingRun | undefined,
) {
  const { owner, repo } = target;
  const fingerprint = annotationsFingerprint(content.annotations);
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

  // The bodies carry the rendered summary: sent as ready-made JSON (see requestJson).
  const update = (check_run_id: number, changes: object) =>
    requestJson<CheckRun>(
      octokit,
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      { owner, repo, check_run_id },
      changes,
    );
  let id: number;
  if (reusable) {
    id = existing.id;
    await update(id, body);
  } else {
    const created = await requestJson<CheckRun>(
      octokit,
      "POST /repos/{owner}/{repo}/check-runs",
      { owner, repo },
      { head_sha: target.headSha, ...body },
    );
    id = Number(created.id);
  }
  // GitHub takes 50 annotations per request: the rest follow as updates of the same run.
  for (const batch of toSend.slice(1)) {
    await update(id, { output: { ...output, annotations: batch } });
  }
  // Whichever way it went, the run now carries exactly these annotations.
  return { id, created: !reusable, externalId: fingerprint, annotationsCount: content.annotations.length };
}

/** Short and stable: GitHub caps `external_id`, and equal annotations must give equal ids. */
export function annotationsFingerprint(annotations: readonly Annotation[]): string {
  const digest = createHash("sha256").update(JSON.stringify(annotations)).digest("hex").slice(0, 32);
  return `readiness:${annotations.length}:${digest}`;
}
