// `readiness-gate`: dispatch to one subcommand. `main` takes its arguments and writers as values
// and returns the exit status, so tests run it in-process; bin/ only wires it to the process.
import { readFileSync } from "node:fs";
import { UsageError } from "./args.js";
import { auditCommand } from "./audit.js";
import { checkCommand } from "./check.js";
import { type Command, EXIT } from "./command.js";
import { digestCommand } from "./digest.js";
import type { CliIo } from "./io.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";

export { type CliIo, processIo } from "./io.js";

const COMMANDS: readonly Command[] = [
  checkCommand,
  validateCommand,
  schemaCommand,
  digestCommand,
  auditCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: readiness-gate <command> [options]

Readiness Gate on a local git checkout: the same engine as the GitHub App.

Commands:
${lines.join("\n")}

Run 'readiness-gate <command> --help' for a command's options.
`;
}

export async function main(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr(usage());
    return EXIT.usage;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`readiness-gate: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`readiness-gate: ${error.message}\nRun 'readiness-gate ${command.name} --help' for usage.\n`);
    } else {
      io.stderr(`readiness-gate: ${command.name} failed: ${(error as Error).message ?? String(error)}\n`);
    }
    return EXIT.usage;
  }
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
