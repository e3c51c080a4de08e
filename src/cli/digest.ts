// `readiness-gate digest ROOT`: the `evaluated:` block that binds evaluation results to the exact
// content they were computed on (`bind: digest`), printed to paste, or written with --write.
import { resolve } from "node:path";
import { stringify } from "yaml";
import { readBuiltinPack } from "../assets/packs.js";
import { decodeUtf8 } from "../evidence/text.js";
import { gitFacts } from "../facts/git.js";
import { assertRef, assertRepository, resolveCommit } from "../facts/git-exec.js";
import { normalizeRepoPath } from "../facts/repo-path.js";
import type { Facts } from "../facts/types.js";
import { loadPolicy } from "../policy/index.js";
import { formatLocated } from "../policy/located.js";
import { POLICY_PATH, type Policy } from "../policy/schema.js";
import { choice, parseCommandArgs, UsageError } from "./args.js";
import { type ArtifactDigest, artifactDigest } from "./artifact-digest.js";
import { type Command, EXIT, showHelp } from "./command.js";
import type { CliIo } from "./io.js";
import { readPolicySource } from "./policy-file.js";
import { hasUncommittedChanges } from "./worktree.js";
import { type EvaluatedBlock, writeEvaluated } from "./write-evaluated.js";

const HELP = `Usage: readiness-gate digest ROOT [--repo DIR] [--ref REF] [--policy FILE] [--format yaml|json] [--write]

Prints the evaluated: block for the artifact at ROOT (a repository-relative directory such as
models/churn): its commit, and every content file (path relative to ROOT) with its git blob SHA.
Content files are the artifact's files other than artifact.yml, its evidence files (the
policy's gate files or the manifest's evidence paths, and evaluated.yml beside the results) and
paths the kind ignores. For bind: digest the block goes where the evaluation gate reads it:

  native results      into the results file itself (eval/results.json by default)
  any other format    evaluated.yml beside the results file (promptfoo, lm-eval and model-card
                      files cannot hold it)

--write puts it there in the working tree: native results get their evaluated key replaced
(YAML keeps its comments and order; JSON is re-indented), other formats get evaluated.yml.
The results file must exist, so run --write after the evaluation.

The hashes are of COMMITTED content at REF (default HEAD): uncommitted edits are not included,
so commit the artifact's content first, then write the results file.

Options:
  --repo DIR      the repository (default: the current directory)
  --ref REF       the commit to read (default: HEAD)
  --policy FILE   the policy to read ignore globs and evidence paths from
                  (default: ${POLICY_PATH} at REF)
  --format FMT    yaml (default) or json (for a JSON results file)
  --write         write the block where the gate reads it instead of printing it
  -h, --help      show this help

Symbolic links and submodules are refused, not listed: the gate fails an artifact that holds
them, whatever its digest says.

Exit status: 0 printed (or written); 1 nothing under ROOT, ROOT is inside another artifact, it
holds symbolic links or submodules, or --write found no results to write beside; 2 usage
error, unknown ref or invalid policy.
`;

export const digestCommand: Command = {
  name: "digest",
  summary: "print evaluated.files (content file → blob SHA) for an artifact",
  help: HELP,
  async run(args, io) {
    const { strings, switches, positionals, help } = parseCommandArgs(
      "digest",
      args,
      ["repo", "ref", "policy", "format"],
      ["write"],
    );
    if (help) return showHelp(io, HELP);
    if (positionals.length !== 1)
      throw new UsageError("digest: give exactly one ROOT, e.g. digest models/churn");
    const given = positionals[0] as string;
    const root = normalizeRepoPath(given.replace(/^\.\//, ""));
    if (root === undefined)
      throw new UsageError(`digest: ROOT must be a directory inside the repository, not ${given}`);
    const format = choice("format", strings.format, ["yaml", "json"] as const, "yaml");
    const repo = resolve(io.cwd, strings.repo ?? ".");
    const ref = strings.ref ?? "HEAD";
    assertRef(ref, "--ref");
    await assertRepository(repo);
    const commit = await resolveCommit(repo, ref);
    if (!commit) throw new UsageError(`cannot resolve --ref ${JSON.stringify(ref)} to a commit in ${repo}`);
    const facts = await gitFacts({ repo, base: commit, head: commit });

    const policy = await digestPolicy(facts, io, strings.policy);
    if (policy === "invalid") return EXIT.usage;
    const result = await artifactDigest(facts, root, policy);
    if (!result.ok) {
      io.stderr(`readiness-gate: ${result.message}\n`);
      return EXIT.failed;
    }
    for (const note of result.digest.notes) io.stderr(`note: ${note}\n`);
    if (strings.ref === undefined && (await hasUncommittedChanges(repo, root))) {
      io.stderr(`note: ${root} has uncommitted changes, which these hashes do not include\n`);
    }
    const block = { commit: result.digest.commit, files: result.digest.files };
    if (switches.write) return write(io, repo, result.digest.results, block);
    const evaluated = { evaluated: block };
    io.stdout(format === "json" ? `${JSON.stringify(evaluated, null, 2)}\n` : stringify(evaluated));
    return EXIT.ok;
  },
};

async function write(
  io: CliIo,
  repo: string,
  results: ArtifactDigest["results"],
  block: EvaluatedBlock,
): Promise<number> {
  if ("problem" in results) {
    io.stderr(`readiness-gate: cannot --write: ${results.problem}\n`);
    return EXIT.failed;
  }
  const written = await writeEvaluated(repo, results.path, results.format, block);
  if (!written.ok) {
    io.stderr(`readiness-gate: cannot --write: ${written.message}\n`);
    return EXIT.failed;
  }
  const where = written.into === "results" ? `the evaluated key of ${written.path}` : written.path;
  io.stdout(`wrote ${where}\n`);
  io.stderr(`note: commit ${written.path} with the results\n`);
  return EXIT.ok;
}

/** The policy from --policy or the repository at REF; "invalid" after printing its errors. */
async function digestPolicy(
  facts: Facts,
  io: CliIo,
  file: string | undefined,
): Promise<Policy | undefined | "invalid"> {
  const source =
    file !== undefined ? await readPolicySource(io.cwd, file, "--policy") : await policyAtRef(facts);
  if (source === undefined) return undefined;
  if ("problem" in source) {
    io.stderr(`readiness-gate: ${source.problem}\n`);
    return "invalid";
  }
  const loaded = loadPolicy(source.path, source.text, readBuiltinPack);
  if (loaded.ok) return loaded.policy;
  io.stderr("readiness-gate: the policy is invalid, so the artifact's files cannot be decided:\n");
  for (const error of loaded.errors) io.stderr(`${formatLocated(error)}\n`);
  return "invalid";
}

async function policyAtRef(
  facts: Facts,
): Promise<{ path: string; text: string } | { problem: string } | undefined> {
  const read = await facts.readFile("head", POLICY_PATH);
  if (read.kind === "missing") return undefined;
  if (read.kind !== "ok") return { problem: `cannot read ${POLICY_PATH}: ${read.kind.replace("_", " ")}` };
  const text = decodeUtf8(POLICY_PATH, read.bytes);
  return text.ok ? { path: POLICY_PATH, text: text.text } : { problem: formatLocated(text.error) };
}
