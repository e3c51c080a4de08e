// `readiness-gate audit export|verify`: the audit trail for auditors, read from the same store the
// app writes (DATABASE_URL). Export streams the records; verify recomputes the hash chain.

import { EXPORT_FORMATS, type ExportFormat, exportRecords } from "../audit/export.js";
import { AuditStoreError, openAuditStore } from "../audit/open-store.js";
import type { SqlAuditStore } from "../audit/sql-store.js";
import type { RecordFilter } from "../audit/types.js";
import { dateProblem, dateValue } from "../evidence/dates.js";
import { choice, parseCommandArgs, UsageError } from "./args.js";
import { type Command, EXIT, showHelp } from "./command.js";
import type { CliIo } from "./io.js";

const HELP = `Usage: readiness-gate audit export [--format jsonl|csv] [--repo OWNER/NAME] [--since DATE] [--until DATE]
       readiness-gate audit verify

The audit trail: one hash-chained record per decision the app made, read from the store
DATABASE_URL names (the same variable as the app's: unset means ./data/readiness.sqlite;
sqlite:PATH; postgres://USER@HOST:PORT/DATABASE).

  export   prints the records in sequence order to stdout
             --format jsonl   one JSON record a line (default): re-verifiable from the file alone
             --format csv     one row a record, a header row, nested values as JSON in a cell
             --repo O/R       only this repository's records
             --since DATE     records at or after DATE (2026-01-05 or an ISO date-time with a zone)
             --until DATE     records at or before DATE (a bare date includes that whole day, UTC)
           A filtered export is a selection: verify the whole trail, not a filtered file.
  verify   recomputes every record's hash and the links between them; prints the record count
           and the head hash (keep it: a later verify that reaches it proves nothing before it
           changed), or the first record that was altered, is missing, or was moved

Exit status: 0 exported / the chain is intact; 1 the chain is broken; 2 usage error, or the
store cannot be opened.
`;

export const auditCommand: Command = {
  name: "audit",
  summary: "export the audit trail (jsonl, csv) or verify its hash chain",
  help: HELP,
  async run(args, io) {
    const { strings, positionals, help } = parseCommandArgs("audit", args, [
      "format",
      "repo",
      "since",
      "until",
    ]);
    if (help) return showHelp(io, HELP);
    const [action, ...extra] = positionals;
    if (action === undefined) throw new UsageError("audit: say what to do: audit export or audit verify");
    if (extra.length > 0) throw new UsageError(`audit: unexpected argument ${JSON.stringify(extra[0])}`);
    if (action === "export") {
      const format = choice("format", strings.format, EXPORT_FORMATS, "jsonl");
      const filter = exportFilter(strings);
      return withStore(io, (store) => runExport(store, format, filter, io));
    }
    if (action === "verify") {
      for (const flag of ["format", "repo", "since", "until"] as const) {
        if (strings[flag] !== undefined)
          throw new UsageError(`audit verify: --${flag} is for export; verify always checks the whole chain`);
      }
      return withStore(io, (store) => runVerify(store, io));
    }
    throw new UsageError(`audit: unknown action ${JSON.stringify(action)}; use export or verify`);
  },
};

function exportFilter(strings: Record<string, string | undefined>): RecordFilter {
  const filter: RecordFilter = {};
  if (strings.repo !== undefined) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(strings.repo))
      throw new UsageError(`--repo must be OWNER/NAME, not ${JSON.stringify(strings.repo)}`);
    filter.repository = strings.repo;
  }
  if (strings.since !== undefined) filter.since = new Date(dateFlag("since", strings.since));
  if (strings.until !== undefined) {
    const until = dateFlag("until", strings.until);
    // A bare date means the whole day: up to its last millisecond.
    filter.until = new Date(/^\d{4}-\d{2}-\d{2}$/.test(strings.until) ? until + 86_400_000 - 1 : until);
  }
  if (filter.since && filter.until && filter.since > filter.until) {
    throw new UsageError(`--since ${strings.since} is after --until ${strings.until}`);
  }
  return filter;
}

function dateFlag(flag: string, text: string): number {
  const problem = dateProblem(text);
  if (problem) throw new UsageError(`--${flag} ${JSON.stringify(text)} ${problem}`);
  return dateValue(text);
}

async function withStore(io: CliIo, use: (store: SqlAuditStore) => Promise<number>): Promise<number> {
  let store: SqlAuditStore;
  try {
    // Reading a trail must not leave an empty store behind where there was none.
    store = await openAuditStore(process.env.DATABASE_URL, { cwd: io.cwd, create: false });
  } catch (error) {
    if (!(error instanceof AuditStoreError)) throw error;
    io.stderr(`readiness-gate: audit: ${error.message}\n`);
    return EXIT.usage;
  }
  try {
    return await use(store);
  } catch (error) {
    io.stderr(`readiness-gate: audit: reading the store failed: ${(error as Error).message}\n`);
    return EXIT.usage;
  } finally {
    await store.close();
  }
}

async function runExport(
  store: SqlAuditStore,
  format: ExportFormat,
  filter: RecordFilter,
  io: CliIo,
): Promise<number> {
  const count = await exportRecords(store.records(filter), format, io.stdout);
  io.stderr(`exported ${count} record${count === 1 ? "" : "s"}\n`);
  return EXIT.ok;
}

async function runVerify(store: SqlAuditStore, io: CliIo): Promise<number> {
  const report = await store.verify();
  const summary = `${report.count} record${report.count === 1 ? "" : "s"}, head hash ${report.headHash}`;
  if (!report.problem) {
    io.stdout(`audit trail intact: ${summary}\n`);
    return EXIT.ok;
  }
  io.stdout(
    `audit trail BROKEN at record ${report.problem.sequence} (${report.problem.kind}): ${report.problem.message}\n${summary}\n`,
  );
  return EXIT.failed;
}
