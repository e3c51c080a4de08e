// `readiness-gate validate`: policy files checked as the app would load them, each problem as
// `file:line:col: message` so editors and CI annotate the right line.
import { dirname, resolve } from "node:path";
import { readBuiltinPack } from "../assets/packs.js";
import { globWarnings, type LoadedPolicy, loadPolicy } from "../policy/index.js";
import { formatLocated, type LocatedError } from "../policy/located.js";
import { POLICY_PATH } from "../policy/schema.js";
import { placeholderWarnings } from "../policy/warnings.js";
import { parseCommandArgs } from "./args.js";
import { type Command, EXIT, showHelp } from "./command.js";
import type { CliIo } from "./io.js";
import { readPolicyFile } from "./policy-file.js";
import { trackedFiles, untrackedFiles } from "./worktree.js";

const HELP = `Usage: readiness-gate validate [FILE...]

Validates readiness policy files (default: ${POLICY_PATH}), including the builtin pack a file
extends. Every problem is printed to stdout as file:line:col: message. Inside a git repository,
globs that match none of its tracked files are reported as warnings, saying when they match
files of the working tree that are not committed yet. Files are read as the app reads them:
strict UTF-8, up to 10 MB.

Options:
  -h, --help   show this help

Exit status:
  0  every file is valid (warnings allowed)
  1  a file is invalid or cannot be read
  2  usage error
`;

export const validateCommand: Command = {
  name: "validate",
  summary: "validate policy files; errors as file:line:col: message",
  help: HELP,
  async run(args, io) {
    const { positionals, help } = parseCommandArgs("validate", args, []);
    if (help) return showHelp(io, HELP);
    const files = positionals.length > 0 ? positionals : [POLICY_PATH];
    let status: number = EXIT.ok;
    for (const file of files) {
      if (!(await validateFile(file, io))) status = EXIT.failed;
    }
    return status;
  },
};

/** Prints the file's problems; true when it is valid. */
async function validateFile(file: string, io: CliIo): Promise<boolean> {
  const absolute = resolve(io.cwd, file);
  const read = await readPolicyFile(io.cwd, file);
  if (!read.ok) {
    io.stdout(`${formatLocated(read.error)}\n`);
    return false;
  }
  const { text } = read.source;
  const loaded = loadPolicy(file, text, readBuiltinPack);
  if (!loaded.ok) {
    for (const error of loaded.errors) io.stdout(`${formatLocated(error)}\n`);
    return false;
  }
  const warnings = [...placeholderWarnings(loaded), ...(await unmatchedGlobs(loaded, dirname(absolute)))];
  for (const warning of warnings) io.stdout(`${formatLocated(asWarning(warning))}\n`);
  io.stdout(
    `${file}: valid${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length > 1 ? "s" : ""})` : ""}\n`,
  );
  return true;
}

/**
 * Globs that match none of the repository's committed files. One that matches files the working
 * tree has but git does not track yet says so: the gate reads commits, so they must be committed.
 */
async function unmatchedGlobs(
  loaded: Extract<LoadedPolicy, { ok: true }>,
  dir: string,
): Promise<LocatedError[]> {
  const tracked = await trackedFiles(dir);
  if (!tracked) return [];
  const warnings = globWarnings(loaded.policy, loaded.file, tracked);
  if (warnings.length === 0) return warnings;
  const untracked = (await untrackedFiles(dir)) ?? [];
  if (untracked.length === 0) return warnings;
  const where = (w: LocatedError) => `${w.path}:${w.line}:${w.column}:${w.message}`;
  const stillUnmatched = new Set(
    globWarnings(loaded.policy, loaded.file, [...tracked, ...untracked]).map(where),
  );
  return warnings.map((w) =>
    stillUnmatched.has(where(w))
      ? w
      : {
          ...w,
          message: `${w.message}; it matches files in the working tree that are not committed yet: commit them (git add, git commit), as the gate reads commits`,
        },
  );
}

function asWarning(error: LocatedError): LocatedError {
  return /^warning\b/i.test(error.message) ? error : { ...error, message: `warning: ${error.message}` };
}
