// Publishes the one `Readiness gate` check run per head SHA, updated in place.
//
// The existing run is looked up in the evaluation's first GraphQL query (`lookupRun`), so finding
// it costs no request of its own. Writes for the same repository + head are serialised in this
// process (KeyedMutex) and, across replicas sharing Redis, take turns there (write-order.ts).
//
// Freshness: every write carries its evaluation's stamp (taken before its first read) in the
// run's `external_id`, this process remembers the last stamp per head, and Redis keeps it for the
// replicas. A write older than the newest one known is skipped (`written: false`): a slow
// evaluation never replaces the result of one that started after it. Because stale writes are
// skipped, the write with the largest stamp is also the latest, so it names the run to update;
// without any (an older version's run, a lost memory), the lookup's run is updated. Across
// replicas without Redis, the list-then-create can still race and leave two runs on one commit;
// GitHub shows (and branch protection uses) the newest, which every later evaluation finds.
//
// GitHub APPENDS annotations on every PATCH and cannot delete them. The run's `external_id`
// records a fingerprint of the annotations it carries: an update with the same annotations (a
// redelivery, a re-check) sends none again; a run without annotations receives them; when the
// findings on the same head really changed (a retarget, a new org policy), a fresh run is
// created instead of piling stale annotations onto the old one.
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { ProbotOctokit } from "probot";
import { type RepoRef, requestJson } from "../facts/github-client.js";
import type { GraphQLBatcher } from "../facts/github-graphql.js";
import { throwUnlessNotFound } from "../facts/github-graphql.js";
import { type Annotation, annotationBatches, type CheckRunOutput } from "../report/index.js";
import { CommitRuns } from "./answers.js";
import { KeyedMutex } from "./keyed-mutex.js";
import {
  evaluationStamp,
  type HeadTurn,
  type LastWrite,
  localOrder,
  type WriteOrder,
} from "./write-order.js";

export const CHECK_NAME = "Readiness gate";
const BATCH = 50;

/** The head commit whose run is ours to write. */
export interface CheckRunTarget extends RepoRef {
  headSha: string;
  /** Our app's id: only its runs are ours to update. */
  appId: number;
  detailsUrl?: string;
  /** The run's name: `Readiness gate` unless said (the release gate's run has its own). */
  name?: string;
}

export interface ExistingRun {
  id: number;
  externalId: string | null;
  annotationsCount: number;
}

/** An earlier lookup of the run, started with the evaluation's first query (see `Publisher.lookup`). */
export interface RunLookup {
  run: Promise<ExistingRun | undefined>;
}

export interface PublishOptions {
  /** The run as the evaluation's first query found it; without it (or when it failed), one REST request. */
  lookup?: RunLookup;
  /** When the evaluation started (`evaluationStamp`, taken before its first read); default: now. */
  stamp?: number;
}

/** Written, or skipped because an evaluation that started later already wrote (`newer` is its stamp). */
export type Published = { written: true; id: number; created: boolean } | { written: false; newer: number };

export interface Publisher {
  /** Creates or updates the run, unless a newer evaluation's result is already there. */
  publish(
    octokit: ProbotOctokit,
    target: CheckRunTarget,
    content: CheckRunOutput,
    options?: PublishOptions,
  ): Promise<Published>;
  /** Asks the evaluation's GraphQL batch for our run on that head. */
  lookup(batch: GraphQLBatcher, target: CheckRunTarget): RunLookup;
  /** Our latest `Readiness gate` run on that head, if any (one REST request). */
  findRun(octokit: ProbotOctokit, target: CheckRunTarget): Promise<ExistingRun | undefined>;
}

/** Runs this process wrote lately, by repository + head; enough to cover events in flight. */
const REMEMBERED = 1000;

export function createPublisher(order: WriteOrder = localOrder, mutex = new KeyedMutex()): Publisher {
  const written = new LRUCache<string, LastWrite>({ max: REMEMBERED });
  const keyOf = (t: CheckRunTarget) => `${t.owner}/${t.repo}@${t.headSha}${t.name ? `#${t.name}` : ""}`;
  /** The latest write known on the head: the largest stamp among what each source saw. */
  const latestWrite = async (
    octokit: ProbotOctokit,
    target: CheckRunTarget,
    lookup: RunLookup | undefined,
    turn: HeadTurn,
  ): Promise<LastWrite | undefined> => {
    let found: ExistingRun | undefined;
    let read = false;
    if (lookup && !turn.reread) {
      try {
        found = await lookup.run;
        read = true;
      } catch {
        // The lookup shared a query that failed; ask on its own.
      }
    }
    if (!read) found = await findRun(octokit, target);
    // Ties go to what this process or Redis recorded: they are at least as recent as the lookup.
    const known = [written.get(keyOf(target)), turn.last].filter((w): w is LastWrite => w !== undefined);
    const fromGitHub = found ? [{ stamp: stampOf(found.externalId), run: found }] : [];
    return [...known, ...fromGitHub].reduce<LastWrite | undefined>(
      (latest, w) => (!latest || w.stamp > latest.stamp ? w : latest),
      undefined,
    );
  };
  return {
    findRun,
    lookup: (batch, target) => {
      const run = lookupRun(batch, target);
      run.catch(() => undefined); // read (or replaced by a REST lookup) when publishing
      return { run };
    },
    publish: (octokit, target, content, options = {}) => {
      const stamp = options.stamp ?? evaluationStamp();
      const key = keyOf(target);
      return mutex.run(key, () =>
        order.turn(key, async (turn): Promise<{ value: Published; wrote?: LastWrite }> => {
          const latest = await latestWrite(octokit, target, options.lookup, turn);
          if (latest && latest.stamp > stamp) return { value: { written: false, newer: latest.stamp } };
          const result = await write(octokit, target, content, latest?.run, stamp);
          const wrote = { stamp, run: result.run };
          written.set(key, wrote);
          return { value: { written: true, id: result.run.id, created: result.created }, wrote };
        }),
      );
    },
  };
}

function runName(target: CheckRunTarget): string {
  return target.name ?? CHECK_NAME;
}

/** The part of GitHub's check-run answer the app reads. */
interface CheckRun {
  id: number;
}

/**
 * Our newest run on the head, from GraphQL. The page sizes are small on purpose: GitHub charges a
 * query by the nested pages it could return (suites × runs × annotation pages), and an app has one
 * suite per commit and LATEST gives one run per name; `annotations { totalCount }` asks for no page.
 */
async function lookupRun(batch: GraphQLBatcher, target: CheckRunTarget): Promise<ExistingRun | undefined> {
  const answer = await batch.ask(
    `repository(owner: $owner, name: $name) { object(oid: $head) { ... on Commit {
    checkSuites(first: 5, filterBy: { appId: $appId }) { nodes {
      checkRuns(first: 5, filterBy: { checkName: $checkName, checkType: LATEST }) {
        nodes { databaseId externalId annotations { totalCount } } } } } } } }`,
    {
      owner: ["String!", target.owner],
      name: ["String!", target.repo],
      head: ["GitObjectID!", target.headSha],
      appId: ["Int", target.appId],
      checkName: ["String!", runName(target)],
    },
    CommitRuns,
  );
  throwUnlessNotFound(answer.errors, `the ${runName(target)} run of ${target.headSha}`);
  const runs = (answer.data?.object?.checkSuites?.nodes ?? [])
    .flatMap((suite) => suite?.checkRuns?.nodes ?? [])
    .flatMap((run) => (run?.databaseId != null ? [{ ...run, databaseId: run.databaseId }] : []));
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
    check_name: runName(target),
    filter: "latest",
    app_id: target.appId,
    per_page: 100,
  });
  const run = data.check_runs.find((r) => r.app?.id === target.appId && r.name === runName(target));
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
  content: CheckRunOutput,
  existing: ExistingRun | undefined,
  stamp: number,
) {
  const { owner, repo } = target;
  const fingerprint = annotationsFingerprint(content.annotations);
  const batches = annotationBatches(content.annotations, BATCH);
  const sameAnnotations =
    fingerprintOf(existing?.externalId ?? null) === fingerprint &&
    existing?.annotationsCount === content.annotations.length;
  const reusable = existing && (sameAnnotations || existing.annotationsCount === 0);
  const toSend = sameAnnotations ? [] : batches;

  const output = {
    title: content.title,
    summary: content.summary,
    ...(content.text ? { text: content.text } : {}),
  };
  const body = {
    name: runName(target),
    status: "completed" as const,
    conclusion: content.conclusion,
    completed_at: new Date().toISOString(),
    external_id: externalId(fingerprint, stamp),
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
  const run = {
    id,
    externalId: externalId(fingerprint, stamp),
    annotationsCount: content.annotations.length,
  };
  return { run, created: !reusable };
}

/** Short and stable: GitHub caps `external_id`, and equal annotations must give equal ids. */
export function annotationsFingerprint(annotations: readonly Annotation[]): string {
  const digest = createHash("sha256").update(JSON.stringify(annotations)).digest("hex").slice(0, 32);
  return `readiness:${annotations.length}:${digest}`;
}

/** `<fingerprint>@<stamp in base 36>`: what the run carries and which evaluation wrote it. */
export function externalId(fingerprint: string, stamp: number): string {
  return `${fingerprint}@${stamp.toString(36)}`;
}

function fingerprintOf(externalId: string | null): string | null {
  return externalId?.split("@")[0] ?? null;
}

/** The stamp of the evaluation that wrote the run; 0 for a run without one (an older version's). */
export function stampOf(externalId: string | null): number {
  const text = externalId?.split("@")[1];
  const stamp = text && /^[0-9a-z]{1,13}$/.test(text) ? Number.parseInt(text, 36) : 0;
  return Number.isSafeInteger(stamp) ? stamp : 0;
}
