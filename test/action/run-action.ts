// Runs the composite action's `run` steps in bash as a GitHub runner would: each step's
// `${{ … }}` expressions filled from the inputs (with action.yml's defaults) and an event context,
// its `working-directory` honoured, and GITHUB_STEP_SUMMARY / GITHUB_OUTPUT pointing at files the
// test reads. Steps that `uses:` another action are not run here.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const ACTION_ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface ActionStep {
  name: string;
  id?: string;
  shell?: string;
  run?: string;
  "working-directory"?: string;
  env?: Record<string, string>;
}

interface ActionFile {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function readAction(): ActionFile {
  return parse(readFileSync(join(ACTION_ROOT, "action.yml"), "utf8")) as ActionFile;
}

export interface ActionRun {
  /** The exit status of the first step that failed, else 0. */
  code: number;
  /** Every step's stdout, in order. */
  log: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

export interface RunOptions {
  /** The job's workspace: where `working-directory` is resolved. */
  workspace: string;
  inputs?: Record<string, string>;
  /** `github.…` context values by path (`event.pull_request.head.sha`); absent ones are empty. */
  github?: Record<string, string>;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const action = readAction();
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [name, options.inputs?.[name] ?? spec.default ?? ""]),
  );
  const github: Record<string, string> = { action_path: ACTION_ROOT, ...options.github };
  const expression = (text: string) =>
    text.replace(/\$\{\{\s*([a-z_]+)\.([\w.-]+)\s*\}\}/g, (whole, scope: string, path: string) => {
      if (scope === "inputs") return inputs[path] ?? "";
      if (scope === "github") return github[path] ?? "";
      throw new Error(`action.yml uses an expression this harness does not know: ${whole}`);
    });

  const files = mkdtempSync(join(tmpdir(), "readiness-action-"));
  const summaryFile = join(files, "summary.md");
  const outputFile = join(files, "output");
  writeFileSync(summaryFile, "");
  writeFileSync(outputFile, "");
  let log = "";
  let stderr = "";
  let code = 0;
  try {
    for (const step of action.runs.steps) {
      if (step.run === undefined) continue;
      if (step.shell !== "bash") throw new Error(`step "${step.name}" must say shell: bash`);
      const script = join(files, `${step.id ?? "step"}.sh`);
      writeFileSync(script, step.run);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_ACTION_PATH: ACTION_ROOT,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
      };
      for (const [key, value] of Object.entries(step.env ?? {})) env[key] = expression(value);
      const cwd = resolve(options.workspace, expression(step["working-directory"] ?? "."));
      // The shell GitHub runs for `shell: bash`.
      const result = await bash(["--noprofile", "--norc", "-eo", "pipefail", script], cwd, env);
      log += result.stdout;
      stderr += result.stderr;
      if (result.code !== 0) {
        code = result.code;
        break;
      }
    }
    return {
      code,
      log,
      stderr,
      summary: readFileSync(summaryFile, "utf8"),
      outputs: Object.fromEntries(
        readFileSync(outputFile, "utf8")
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      ),
    };
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}

function bash(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile("bash", args, { cwd, env, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** The action runs the built CLI; `npm test` builds before the tests run. */
export function builtCli(): boolean {
  return existsSync(join(ACTION_ROOT, "dist/cli/main.js")) && existsSync(join(ACTION_ROOT, "node_modules"));
}
