// `readiness-gate check`: the GitHub check, run on a local checkout before pushing or in CI.
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { readBuiltinPack } from "../assets/packs.js";
import { evaluate, loadEffectivePolicy } from "../engine/evaluate.js";
import type { Evaluation } from "../engine/types.js";
import { notGovernedEvaluation } from "../engine/verdict.js";
import { gitFacts } from "../facts/git.js";
import { assertRepository, resolveCommit, shallowCloneHint } from "../facts/git-exec.js";
import { POLICY_PATH } from "../policy/schema.js";
import { exitStatus } from "../report/index.js";
import { choice, parseCommandArgs, UsageError } from "./args.js";
import { type Command, showHelp } from "./command.js";
import { readPolicySource } from "./policy-file.js";
import { FORMATS, renderEvaluation } from "./render.js";
import { hasUncommittedChanges } from "./worktree.js";

const HELP = `Usage: readiness-gate check [--repo DIR] [--base REF] [--head REF] [--policy FILE]
                            [--org-policy FILE] [--format text|json|markdown]
                            [--summary FILE]

Evaluates the changes of base...head (from their merge base to the head, as a pull request
shows them) in a local git checkout against the readiness policy, as the GitHub check does.
Runs offline: approvals are not_checked, and evidence gates note what only GitHub can check
(team membership, owner existence, the privacy reviewer's approval).

Options:
  --repo DIR          the repository (default: the current directory)
  --base REF          the base (default: origin/HEAD if it exists, else main, else master)
  --head REF          the head (default: HEAD; only committed changes are evaluated)
  --policy FILE       use FILE as the repository policy instead of ${POLICY_PATH} at the base
  --org-policy FILE   the organisation policy (${POLICY_PATH} of the org's .github repository)
  --format FORMAT     text (default), json or markdown (the check run's summary)
  --summary FILE      also write the Markdown report (the check run's summary) to FILE,
                      replacing it, whatever --format prints: one evaluation gives CI its
                      job summary and its log (e.g. --summary "$GITHUB_STEP_SUMMARY")
  -h, --help          show this help

The repository policy is read at the BASE, never the head: a change cannot loosen its own gate.
With no policy at all (no ${POLICY_PATH} at the base, no --policy, no --org-policy) nothing is
governed: the verdict is not_governed.

Exit status:
  0  ready, not_governed, awaiting_approval or overridden; also blocked when the policy says
     enforcement: advisory (a dry run), with a note on stderr
  1  blocked
  2  policy_error, a usage error, or the repository could not be read
`;

const DEFAULT_BASES = ["origin/HEAD", "main", "master"];

export const checkCommand: Command = {
  name: "check",
  summary: "evaluate base...head of a local checkout against the policy",
  help: HELP,
  async run(args, io) {
    const { strings, positionals, help } = parseCommandArgs("check", args, [
      "repo",
      "base",
      "head",
      "policy",
      "org-policy",
      "format",
      "summary",
    ]);
    if (help) return showHelp(io, HELP);
    if (positionals.length > 0)
      throw new UsageError(`check: unexpected argument ${JSON.stringify(positionals[0])}`);
    const format = choice("format", strings.format, FORMATS, "text");
    const summary = strings.summary;
    if (summary === "") throw new UsageError("--summary needs a file name");
    const repo = resolve(io.cwd, strings.repo ?? ".");
    const base = strings.base ?? (await defaultBase(repo));
    const facts = await gitFacts({ repo, base, head: strings.head ?? "HEAD" });
    if (strings.head === undefined && (await hasUncommittedChanges(repo))) {
      io.stderr(
        "note: uncommitted changes are not evaluated; check reads commits (commit first, or pass --head)\n",
      );
    }

    const org = strings["org-policy"]
      ? await readPolicySource(io.cwd, strings["org-policy"], "--org-policy")
      : undefined;
    const repoOverride = strings.policy
      ? await readPolicySource(io.cwd, strings.policy, "--policy")
      : undefined;
    const builtins = readBuiltinPack;
    const policy = await loadEffectivePolicy(facts, { org, repoOverride, builtins });

    let evaluation: Evaluation;
    if (policy === undefined) {
      io.stderr(
        `note: no policy (${POLICY_PATH} at the base ${base}, --policy or --org-policy): nothing is governed\n`,
      );
      evaluation = notGovernedEvaluation();
    } else {
      evaluation = await evaluate({ facts, policy, org, builtins, now: new Date() });
    }
    const printed = renderEvaluation(evaluation, format, io.color);
    if (summary !== undefined) {
      const markdown = format === "markdown" ? printed : renderEvaluation(evaluation, "markdown");
      await writeSummary(resolve(io.cwd, summary), summary, markdown);
    }
    io.stdout(printed);
    if (evaluation.verdict === "blocked" && evaluation.enforcement === "advisory") {
      io.stderr("note: enforcement is advisory: this change would be blocked once the policy is enforced\n");
    }
    return exitStatus(evaluation);
  },
};

/** `--summary FILE`: the Markdown report, replacing FILE; a file that cannot be written is an error (exit 2). */
async function writeSummary(path: string, given: string, markdown: string): Promise<void> {
  try {
    await writeFile(path, markdown);
  } catch (error) {
    throw new Error(`cannot write --summary ${given}: ${(error as Error).message}`);
  }
}

async function defaultBase(repo: string): Promise<string> {
  await assertRepository(repo);
  for (const ref of DEFAULT_BASES) {
    if (await resolveCommit(repo, ref)) return ref;
  }
  throw new UsageError(
    `no --base given, and none of ${DEFAULT_BASES.join(", ")} exists in ${repo}; pass --base REF${await shallowCloneHint(repo)}`,
  );
}
