// Zip archives built in the tests (Inspect `.eval` logs, zip bombs) rather than committed as binaries.
import yazl from "yazl";

/** A zip archive of the entries, in order; deflated unless `compress` is false (faster for many). */
export async function zipOf(entries: Array<[string, Uint8Array | string]>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(Buffer.from(content), name, { compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
