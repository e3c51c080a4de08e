// Bytes to text, refusing what is not UTF-8 rather than guessing.
import type { LocatedError } from "../policy/located.js";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export type TextResult = { ok: true; text: string } | { ok: false; error: LocatedError };

export function decodeUtf8(path: string, bytes: Uint8Array): TextResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, error: { path, line: 1, column: 1, message: "the file is not valid UTF-8 text" } };
  }
}
