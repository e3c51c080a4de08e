// The local spool: decisions waiting for the audit store, one JSON line each, appended and
// fsync'd before `add` returns, so a decision the app went on to publish is on disk first. The
// file is only ever appended to, and emptied (truncated) once everything in it is in the store.
//
// A crash while a line was being written leaves a torn last line: that decision's `add` never
// returned, so nothing was published on it; it is dropped with a warning, never fatal. A crash
// while draining leaves lines already in the store: appended again, `sameAs` makes that a no-op.
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { Decision } from "./types.js";

export const DEFAULT_SPOOL_PATH = "./data/audit-spool.jsonl";

export interface SpoolLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export class Spool {
  private handle: Promise<FileHandle> | undefined;
  /** File operations one at a time: an append never races the truncation. */
  private turn: Promise<unknown> = Promise.resolve();
  /** Lines added and not yet written, with their callers. */
  private readonly waiting: Array<{ line: string; resolve: () => void; reject: (error: unknown) => void }> =
    [];

  private constructor(
    readonly path: string,
    /** What the file held when it was opened: decisions a previous process left. */
    readonly leftOver: Decision[],
  ) {}

  /** Opens (creating) the spool at `path` and reads what a previous process left in it. */
  static open(path: string, log: SpoolLog): Spool {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, "a+");
    try {
      const text = readFileSync(fd, "utf8");
      const { decisions, keep, problems } = parseSpool(text);
      for (const problem of problems)
        log.warn({ spool: path, ...problem }, "audit spool: a line was skipped");
      // A torn tail goes, so the next line starts on a line of its own.
      if (keep < Buffer.byteLength(text)) {
        ftruncateSync(fd, keep);
        fsyncSync(fd);
      }
      return new Spool(path, decisions);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Appends one decision and waits until it is on disk. Decisions added while a write is under way
   * go to disk together in the next one, in the order they were added: one write and one
   * `datasync` for a burst of evaluations rather than one each, which queued behind each other.
   */
  add(decision: Decision): Promise<void> {
    const line = `${JSON.stringify(decision)}\n`;
    return new Promise((resolve, reject) => {
      this.waiting.push({ line, resolve, reject });
      // The first waiting line asks for a write; the later ones join it before it starts.
      if (this.waiting.length === 1) void this.inTurn(() => this.writeWaiting());
    });
  }

  private async writeWaiting(): Promise<void> {
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    try {
      const handle = await this.file();
      await handle.write(batch.map((waiting) => waiting.line).join(""));
      await handle.datasync();
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  /**
   * Empties the file when `drained()` still holds once it is this call's turn (nothing was
   * added in the meantime).
   */
  clear(drained: () => boolean): Promise<void> {
    return this.inTurn(async () => {
      if (!drained()) return;
      const handle = await this.file();
      await handle.truncate(0);
      await handle.datasync();
    });
  }

  close(): Promise<void> {
    return this.inTurn(async () => {
      const handle = this.handle;
      this.handle = undefined;
      if (handle) await (await handle).close();
    });
  }

  private file(): Promise<FileHandle> {
    this.handle ??= open(this.path, "a");
    return this.handle;
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}

export interface ParsedSpool {
  decisions: Decision[];
  /** Bytes to keep: everything up to the last complete line. */
  keep: number;
  problems: Array<{ line: number; problem: string }>;
}

/** The decisions of a spool file's text; a torn last line and unreadable lines are reported, not thrown. */
export function parseSpool(text: string): ParsedSpool {
  const decisions: Decision[] = [];
  const problems: ParsedSpool["problems"] = [];
  const end = text.lastIndexOf("\n") + 1;
  const complete = text.slice(0, end);
  if (end < text.length) {
    problems.push({
      line: complete.split("\n").length,
      problem:
        "the last line is incomplete (the process stopped while writing it); its evaluation was never published",
    });
  }
  let number = 0;
  for (const line of complete.split("\n")) {
    number++;
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (!isDecision(value)) throw new Error("not a decision");
      decisions.push(value);
    } catch (error) {
      problems.push({
        line: number,
        problem: `unreadable: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return { decisions, keep: Buffer.byteLength(complete), problems };
}

function isDecision(value: unknown): value is Decision {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.time === "string" &&
    typeof v.repository === "string" &&
    typeof v.kind === "string" &&
    typeof v.headSha === "string" &&
    typeof v.verdict === "string" &&
    Array.isArray(v.gates)
  );
}
