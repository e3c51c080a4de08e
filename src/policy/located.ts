// Errors are values with a location, shown to users as they are (ARCHITECTURE.md).

export interface LocatedError {
  /** Repository-relative path of the file the error is about. */
  path: string;
  /** 1-based line, when the error points into the file. */
  line?: number;
  /** 1-based column, when the error points into the file. */
  column?: number;
  message: string;
}

/** `file:line:col: message`, the form `validate` prints and editors understand. */
export function formatLocated(error: LocatedError): string {
  const where = [error.path, error.line, error.line !== undefined ? (error.column ?? 1) : undefined]
    .filter((part) => part !== undefined)
    .join(":");
  return `${where}: ${error.message}`;
}
