// The publisher's writes of one check run, on the GitHub stand-in: annotations in batches of 50,
// a fresh run when findings change, the evaluation's stamp in the run's external_id.
import type { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { KeyedMutex } from "../../src/app/keyed-mutex.js";
import {
  annotationsFingerprint,
  type CheckRunTarget,
  createPublisher,
  stampOf,
} from "../../src/app/publish.js";
import type { Annotation, CheckRunOutput } from "../../src/report/index.js";
import { REPO, type Sample, sample } from "./on-standin.js";

let current: Sample | undefined;

afterEach(async () => {
  await current?.gh.close();
  current = undefined;
});

function annotations(count: number, path = "models/churn/eval/results.json"): Annotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path,
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "failure" as const,
    message: `problem ${i + 1}`,
    title: "Readiness: evaluation fails for models/churn",
  }));
}

function content(list: Annotation[]): CheckRunOutput {
  return { conclusion: "failure", title: "Blocked", summary: "summary", annotations: list, actions: [] };
}

const CREATE = "POST /repos/{owner}/{repo}/check-runs";
const UPDATE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";

/** The sample repository, the app's installation client, and main's tip as the commit to write on. */
async function setup() {
  current = await sample();
  const { gh, app } = current;
  const octokit = (await app.probot.auth(gh.installationId)) as ProbotOctokit;
  const target: CheckRunTarget = {
    owner: "acme",
    repo: "app",
    headSha: gh.resolveRef(REPO, "main") as string,
    appId: gh.app.id,
  };
  const runs = () => app.runs(REPO, target.headSha);
  type Body = { output: { annotations: unknown[]; title?: string; summary?: string } };
  const bodies = (route: string) => gh.requestsTo(route).map((r) => r.body as Body);
  return { gh, octokit, target, runs, bodies };
}

describe("publish", () => {
  it("sends 50 annotations with the first write and the rest in further updates", async () => {
    const { octokit, target, runs, bodies } = await setup();
    await createPublisher().publish(octokit, target, content(annotations(120)));
    const [create] = bodies(CREATE);
    const updates = bodies(UPDATE);
    expect(create?.output.annotations).toHaveLength(50);
    expect(updates.map((u) => u.output.annotations.length)).toEqual([50, 20]);
    expect(updates[1]?.output).toMatchObject({ title: "Blocked", summary: "summary" });
    expect(runs()[0]?.output.annotations).toHaveLength(120);
  });

  it("adds annotations to a run that has none, in place", async () => {
    const { octokit, target, runs } = await setup();
    const publisher = createPublisher();
    await publisher.publish(octokit, target, content([]));
    await publisher.publish(octokit, target, content(annotations(3)));
    expect(runs()).toHaveLength(1);
    expect(runs()[0]?.output.annotations).toHaveLength(3);
  });

  it("starts a fresh run when the findings on the same head changed, since GitHub cannot remove annotations", async () => {
    const { gh, octokit, target, runs } = await setup();
    const publisher = createPublisher();
    await publisher.publish(octokit, target, content(annotations(2)));
    await publisher.publish(octokit, target, content(annotations(1, "models/churn/ROLLBACK.md")));
    expect(runs().map((r) => r.output.annotations.length)).toEqual([2, 1]);
    // The next evaluation finds the newest run and updates it.
    await publisher.publish(octokit, target, content(annotations(1, "models/churn/ROLLBACK.md")));
    expect(runs()).toHaveLength(2);
    expect(gh.requestsTo(UPDATE).map((r) => r.path)).toEqual([`/repos/acme/app/check-runs/${runs()[1]?.id}`]);
  });

  it("carries the evaluation's stamp beside the annotations' fingerprint, and updates an older version's run", async () => {
    const { gh, octokit, target, runs } = await setup();
    const older = gh.addCheckRun(REPO, {
      name: "Readiness gate",
      head_sha: target.headSha,
      external_id: annotationsFingerprint([]), // written before runs carried stamps
    });
    expect(stampOf(older.external_id)).toBe(0);
    const outcome = await createPublisher().publish(octokit, target, content([]), {
      stamp: 1_700_000_000_000_000,
    });
    expect(outcome).toEqual({ written: true, id: older.id, created: false });
    expect(runs()).toHaveLength(1);
    expect(runs()[0]?.external_id).toBe(
      `${annotationsFingerprint([])}@${(1_700_000_000_000_000).toString(36)}`,
    );
    expect(stampOf(runs()[0]?.external_id ?? null)).toBe(1_700_000_000_000_000);
  });

  it("ignores another app's run of the same name", async () => {
    const { gh, octokit, target } = await setup();
    gh.addCheckRun(REPO, { name: "Readiness gate", head_sha: target.headSha, app_id: 99 });
    await createPublisher().publish(octokit, target, content([]));
    expect(gh.requestsTo(CREATE)).toHaveLength(1);
  });
});

describe("KeyedMutex", () => {
  it("runs work for one key one at a time, other keys in parallel, and survives failures", async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}:end`);
      if (name === "a1") throw new Error("boom");
      return name;
    };
    const results = await Promise.allSettled([
      mutex.run("a", step("a1", 20)),
      mutex.run("a", step("a2", 1)),
      mutex.run("b", step("b1", 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(order.indexOf("a2:start")).toBeGreaterThan(order.indexOf("a1:end"));
    expect(order.indexOf("b1:end")).toBeLessThan(order.indexOf("a1:end"));
  });
});
