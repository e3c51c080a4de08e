// Where a command writes, and from where it runs: injected, so tests call `main` in-process.
export interface CliIo {
  /** Results: what scripts read. Text is written as given (callers end lines with "\n"). */
  stdout(text: string): void;
  /** Errors and notes for the person at the terminal. */
  stderr(text: string): void;
  /** The directory relative paths are resolved against. */
  cwd: string;
  /** Whether stdout is a terminal that wants ANSI colours. */
  color?: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    // https://no-color.org: any non-empty NO_COLOR turns colours off.
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
}
