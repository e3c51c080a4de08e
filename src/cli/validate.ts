// `readiness-gate validate`: policy files checked as the app would load them, each problem as
// `file:line:col: message` so editors and CI annotate the right line.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { readBuiltinPack } from "../assets/packs.js";
import { globWarnings, loadPolicy } from "../policy/index.js";
import { formatLocated, type LocatedError } from "../policy/located.js";
import { POLICY_PATH } from "../policy/schema.js";
import { placeholderWarnings } from "../policy/warnings.js";
import { parseCommandArgs } from "./args.js";
import { type Command, EXIT, showHelp } from "./command.js";
import type { CliIo } from "./io.js";
import { trackedFiles } from "./worktree.js";

const HELP = `Usage: readiness-gate validate [FILE...]

Validates readiness policy files (default: ${POLICY_PATH}), including the builtin pack a file
extends. Every problem is printed to stdout as file:line:col: message. Inside a git repository,
globs that match none of its tracked files are reported as warnings.

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
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    io.stdout(`${formatLocated({ path: file, message: `cannot read the policy file: ${reason}` })}\n`);
    return false;
  }
  const loaded = loadPolicy(file, text, readBuiltinPack);
  if (!loaded.ok) {
    for (const error of loaded.errors) io.stdout(`${formatLocated(error)}\n`);
    return false;
  }
  const paths = await trackedFiles(dirname(absolute));
  const warnings = [
    ...placeholderWarnings(loaded),
    ...(paths ? globWarnings(loaded.policy, loaded.file, paths) : []),
  ];
  for (const warning of warnings) io.stdout(`${formatLocated(asWarning(warning))}\n`);
  io.stdout(
    `${file}: valid${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length > 1 ? "s" : ""})` : ""}\n`,
  );
  return true;
}

function asWarning(error: LocatedError): LocatedError {
  return /^warning\b/i.test(error.message) ? error : { ...error, message: `warning: ${error.message}` };
}
