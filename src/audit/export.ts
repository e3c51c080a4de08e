// The trail as files an auditor can keep: JSON Lines (one record a line, exactly the fields the
// hash is taken over plus the hash, so the chain can be re-verified from the file alone) and CSV
// (one row a record for a spreadsheet; nested values as JSON in their cell; RFC 4180 quoting).
import type { AuditRecord } from "./types.js";

export type ExportFormat = "jsonl" | "csv";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["jsonl", "csv"];

function jsonlLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The CSV columns, in order: the record's fields as named in the jsonl export. */
const CSV_COLUMNS: readonly (keyof AuditRecord)[] = [
  "sequence",
  "time",
  "installation",
  "repository",
  "kind",
  "pull",
  "headSha",
  "baseSha",
  "event",
  "deliveryId",
  "verdict",
  "conclusion",
  "policy",
  "gates",
  "approvals",
  "override",
  "appVersion",
  "sameAs",
  "previousHash",
  "hash",
];

const CRLF = "\r\n";

function csvHeader(): string {
  return CSV_COLUMNS.join(",") + CRLF;
}

function csvRow(record: AuditRecord): string {
  return CSV_COLUMNS.map((column) => csvCell(record[column])).join(",") + CRLF;
}

/** null is an empty cell; objects and arrays are JSON; a cell with a comma, quote or line break is quoted. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes every record in the chosen format, header first for CSV. */
export async function exportRecords(
  records: AsyncIterable<AuditRecord>,
  format: ExportFormat,
  write: (text: string) => void,
): Promise<number> {
  let count = 0;
  if (format === "csv") write(csvHeader());
  for await (const record of records) {
    write(format === "csv" ? csvRow(record) : jsonlLine(record));
    count++;
  }
  return count;
}
