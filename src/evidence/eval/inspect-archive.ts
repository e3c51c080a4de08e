// Inspect AI `.eval` logs are zip archives; the run's header (status, eval, results) is the
// `header.json` entry, the same shape as a JSON log without samples. Only that entry is inflated,
// after its declared size is checked against the cap, and inflation stops at the declared size
// (yauzl's validateEntrySizes), so a zip bomb costs no more than the cap.
import yauzl, { type Entry, type ZipFile } from "yauzl";
import type { LocatedError } from "../../policy/located.js";
import { parseYaml } from "../../policy/yaml.js";
import { decodeUtf8 } from "../text.js";
import type { EvalResults, Parsed } from "../types.js";
import { readInspect } from "./inspect.js";
import { failed } from "./values.js";

export const HEADER_ENTRY = "header.json";

/** Whether a path names an Inspect `.eval` archive (a zip, not text). */
export function isInspectArchivePath(path: string): boolean {
  return /\.eval$/i.test(path);
}
/**
 * yauzl reads each central directory entry through a stream of its own (about 0.1 ms each), so
 * the walk to header.json — written last by Inspect — is bounded: a 10 MB log holds far fewer
 * samples than this, and a zip64 end record claiming billions of entries is refused unread.
 */
export const MAX_ARCHIVE_ENTRIES = 20_000;

/** The zip signatures an archive opens with (a local file header, or an empty archive's end record). */
export function looksZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/**
 * Reads `header.json` out of an `.eval` archive of at most `limit` bytes uncompressed. Errors
 * point at the archive (line 1), and errors inside header.json say its line in the message.
 */
export async function readInspectArchive(
  path: string,
  bytes: Uint8Array,
  limit: number,
): Promise<Parsed<EvalResults>> {
  const at = (message: string): LocatedError => ({ path, line: 1, column: 1, message });
  let zip: ZipFile | undefined;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      strictFileNames: false,
    });
    if (zip.entryCount > MAX_ARCHIVE_ENTRIES) {
      return failed([
        at(
          `the .eval archive lists ${zip.entryCount} entries; at most ${MAX_ARCHIVE_ENTRIES} are read to find ${HEADER_ENTRY}`,
        ),
      ]);
    }
    const header = await findEntry(zip, HEADER_ENTRY);
    if (!header) {
      return failed([
        at(
          `not an Inspect .eval log: the archive has no ${HEADER_ENTRY} (a log still being written has none yet)`,
        ),
      ]);
    }
    if (header.uncompressedSize > limit) {
      return failed([
        at(
          `${HEADER_ENTRY} in the archive is ${header.uncompressedSize} bytes uncompressed; the limit is ${limit}`,
        ),
      ]);
    }
    const text = decodeUtf8(path, await readEntry(zip, header, limit));
    if (!text.ok) return failed([at(`${HEADER_ENTRY} in the archive is not valid UTF-8 text`)]);
    const parsed = parseYaml(path, text.text, { largeJson: true });
    const read = parsed.ok ? readInspect(parsed.file) : parsed;
    if (read.ok) return { ok: true, value: { ...read.value, lines: {} } }; // lines are header.json's, not the archive's
    return failed(read.errors.map((e) => at(`${HEADER_ENTRY} line ${e.line ?? 1}: ${e.message}`)));
  } catch (error) {
    return failed([
      at(`the .eval archive cannot be read: ${error instanceof Error ? error.message : String(error)}`),
    ]);
  } finally {
    zip?.close();
  }
}

/** Walks the central directory one entry at a time, and stops at `name`. */
function findEntry(zip: ZipFile, name: string): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    zip.on("entry", (entry: Entry) => {
      if (entry.fileName === name) resolve(entry);
      else zip.readEntry();
    });
    zip.on("end", () => resolve(undefined));
    zip.on("error", reject);
    zip.readEntry();
  });
}

/** The entry's bytes; more than `limit` (or than it declares) is an error, found while streaming. */
function readEntry(zip: ZipFile, entry: Entry, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) stream.destroy(new Error(`${entry.fileName} inflates past ${limit} bytes`));
        else chunks.push(chunk);
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}
