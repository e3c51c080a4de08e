// The composite action (action.yml) run as a pull request's workflow would run it, on a
// repository built as examples/run.sh builds it: the job summary gets the Markdown report and the
// step's exit status follows the verdict (1 blocked, 2 policy error), and a shallow checkout is
// told to fetch with fetch-depth: 0.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_ROOT, builtCli, readAction, runAction } from "./run-action.js";

const IDENTITY = [
  "-c",
  "user.name=Sample Dev",
  "-c",
  "user.email=dev@example.com",
  "-c",
  "commit.gpgsign=false",
];

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", [...IDENTITY, ...args], { cwd: dir, encoding: "utf8" }).trim();
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The sample repository with `main`, a `retune` branch (blocked) and an `evaluated` one (ready). */
function sampleOrigin(): { dir: string; retune: string; evaluated: string } {
  const dir = mkdtempSync(join(tmpdir(), "readiness-action-origin-"));
  cpSync(join(ACTION_ROOT, "examples/sample-ml-repo"), dir, { recursive: true });
  for (const file of [
    "models/churn/ROLLBACK.md",
    "models/churn/privacy-review.yml",
    "prompts/support/ROLLBACK.md",
  ]) {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.replaceAll("DRILL_DATE", daysAgo(20)).replaceAll("REVIEWED_AT", daysAgo(60)));
  }
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "Sample ML repository");
  git(dir, "checkout", "-q", "-b", "retune");
  const train = join(dir, "models/churn/train.py");
  writeFileSync(train, readFileSync(train, "utf8").replace("LEARNING_RATE = 0.01", "LEARNING_RATE = 0.02"));
  git(dir, "commit", "-q", "-am", "Retune the churn model");
  const retune = git(dir, "rev-parse", "HEAD");
  git(dir, "checkout", "-q", "-b", "evaluated");
  writeFileSync(
    join(dir, "models/churn/eval/results.json"),
    `${JSON.stringify({ metrics: { accuracy: 0.935, f1: 0.89 }, dataset: "churn-holdout" }, null, 2)}\n`,
  );
  git(dir, "commit", "-q", "-am", "Re-run the churn evaluation");
  const evaluated = git(dir, "rev-parse", "HEAD");
  git(dir, "checkout", "-q", "main");
  return { dir, retune, evaluated };
}

/** What actions/checkout leaves: a clone of the origin, `depth` deep (0: all history). */
function checkout(origin: string, head: string, depth: number): string {
  const dir = mkdtempSync(join(tmpdir(), "readiness-action-workspace-"));
  const shallow = depth > 0 ? ["--depth", String(depth)] : [];
  execFileSync("git", ["clone", "-q", "--no-single-branch", ...shallow, `file://${origin}`, dir]);
  git(dir, "checkout", "-q", "--detach", head);
  return dir;
}

/** What the step printed while workflow commands were off: the report. */
function printedReport(log: string): string {
  const token = /^::stop-commands::(\w+)$/m.exec(log)?.[1];
  if (!token) throw new Error(`the report was printed with workflow commands on:\n${log}`);
  const start = `::stop-commands::${token}\n`;
  return log.slice(log.indexOf(start) + start.length, log.indexOf(`::${token}::`));
}

const pullRequest = (head: string) => ({
  "event.pull_request.base.ref": "main",
  "event.pull_request.head.sha": head,
});

describe("the GitHub Action (action.yml)", () => {
  let origin: ReturnType<typeof sampleOrigin>;
  const workspaces: string[] = [];
  const workspace = (head: string, depth = 0) => {
    const dir = checkout(origin.dir, head, depth);
    workspaces.push(dir);
    return dir;
  };

  beforeAll(() => {
    if (!builtCli())
      throw new Error("the action runs the built CLI: run `npm run build` first (npm test does)");
    origin = sampleOrigin();
  });
  afterAll(() => {
    rmSync(origin.dir, { recursive: true, force: true });
    for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
  });

  it("declares the inputs the docs name, and runs as a composite of bash steps", () => {
    const action = readAction();
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(["base", "head", "policy", "working-directory", "format"]),
    );
    // Inputs reach scripts through env, never spliced into the script text.
    for (const step of action.runs.steps) expect(step.run ?? "").not.toMatch(/\$\{\{/);
  });

  it("fails a blocked pull request with exit 1 and puts the Markdown report in the job summary", async () => {
    const run = await runAction({ workspace: workspace(origin.retune), github: pullRequest(origin.retune) });
    expect(run.code).toBe(1);
    expect(run.outputs["exit-code"]).toBe("1");
    expect(run.summary).toMatch(/^## Readiness gate\n\n\*\*❌ Blocked: 1 item to fix in 1 artifact\*\*/);
    expect(run.summary).toContain("### What to fix");
    expect(run.summary).toContain("models/churn/train.py changed but models/churn/eval/results.json did not");
    // The log gets the text report, with workflow commands off while it prints (it quotes the
    // PR's files), and then an error annotation points at the summary.
    expect(run.log).toMatch(/^::stop-commands::([0-9a-f]{32})\n[\s\S]*FAIL +evaluation[\s\S]*\n::\1::\n/m);
    expect(run.log).toContain("::error title=Readiness Gate::the change is blocked");
  });

  it("passes a ready pull request with exit 0, the summary saying ready", async () => {
    const run = await runAction({
      workspace: workspace(origin.evaluated),
      github: pullRequest(origin.evaluated),
      inputs: { format: "json" },
    });
    expect(run.code).toBe(0);
    expect(run.outputs["exit-code"]).toBe("0");
    expect(run.summary).toContain("**✅ Ready**");
    expect(JSON.parse(printedReport(run.log)).verdict).toBe("ready");
  });

  it("evaluates the pull request's head, not the checked-out merge commit, from a working-directory", async () => {
    const dir = workspace(origin.evaluated);
    const parent = join(dir, "..");
    const run = await runAction({
      workspace: parent,
      github: pullRequest(origin.retune),
      inputs: { "working-directory": dir.slice(parent.length + 1) },
    });
    expect(run.code).toBe(1);
  });

  it("exits 2 when the policy cannot be loaded, with the errors in the summary", async () => {
    const dir = workspace(origin.retune);
    writeFileSync(
      join(dir, "broken.yml"),
      "version: 1\nartifacts:\n  model: { roots: ['models/*'], tire: high }\n",
    );
    const run = await runAction({
      workspace: dir,
      github: pullRequest(origin.retune),
      inputs: { policy: "broken.yml" },
    });
    expect(run.code).toBe(2);
    expect(run.outputs["exit-code"]).toBe("2");
    expect(run.summary).toContain("broken.yml:3");
    expect(run.summary).toMatch(/unknown key 'tire'/);
  });

  it("in a shallow checkout, says to fetch with fetch-depth: 0 — in the summary and the log", async () => {
    const dir = workspace(origin.retune, 1);
    expect(git(dir, "rev-parse", "--is-shallow-repository")).toBe("true");
    const run = await runAction({ workspace: dir, github: pullRequest(origin.retune) });
    expect(run.code).toBe(2);
    expect(run.summary).toMatch(/have no common ancestor — this is a shallow clone.*`fetch-depth: 0`/);
    expect(run.log).toMatch(/::error title=Readiness Gate::readiness-gate check could not decide \(exit 2\)/);
  });

  it("refuses an unknown format before running anything", async () => {
    const run = await runAction({
      workspace: workspace(origin.retune),
      github: pullRequest(origin.retune),
      inputs: { format: "html" },
    });
    expect(run.code).toBe(2);
    expect(run.log).toContain("format must be text, markdown or json, not 'html'");
    expect(run.summary).toBe("");
  });
});
