// The shape of one subcommand: its help text and how it runs. Returns the exit status.
import type { CliIo } from "./io.js";

export interface Command {
  name: string;
  /** One line for `readiness-gate --help`. */
  summary: string;
  /** The full `--help` text, ending with a newline. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit statuses shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function showHelp(io: CliIo, help: string): number {
  io.stdout(help);
  return EXIT.ok;
}
