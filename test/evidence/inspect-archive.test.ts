// Inspect AI `.eval` archives: header.json is read out of the zip and nothing else is inflated;
// a zip bomb, a lying size, thousands of entries or a broken archive is a located failure.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_ARCHIVE_ENTRIES } from "../../src/evidence/eval/inspect-archive.js";
import { readEvalEvidence } from "../../src/evidence/eval-results.js";
import type { EvalResults, Parsed } from "../../src/evidence/types.js";
import { errors, expectRealInspectReading, INSPECT_LOG, ok } from "./results.js";
import { zipOf } from "./zip.js";

const PATH = "models/a/eval/2024-11-05_input-task.eval";
const LIMIT = 10 * 1024 * 1024;
/** The real JSON log: an `.eval` archive's header.json has its shape (samples are entries of their own). */
const HEADER = readFileSync(INSPECT_LOG);

const read = (bytes: Uint8Array, format: "auto" | "inspect" | "lm-eval" = "auto") =>
  readEvalEvidence(PATH, { kind: "file", bytes }, format, LIMIT);

function messages(result: Parsed<EvalResults>): string[] {
  return errors(result).map((e) => {
    expect(e).toMatchObject({ path: PATH, line: 1, column: 1 });
    return e.message;
  });
}

/** Sets every size field of the archive's entries to `size`: a header that lies about what it holds. */
function claimSize(archive: Buffer, size: number): Buffer {
  const lied = Buffer.from(archive);
  for (
    let at = lied.indexOf("PK\x03\x04", 0, "latin1");
    at >= 0;
    at = lied.indexOf("PK\x03\x04", at + 4, "latin1")
  )
    lied.writeUInt32LE(size, at + 22);
  for (
    let at = lied.indexOf("PK\x01\x02", 0, "latin1");
    at >= 0;
    at = lied.indexOf("PK\x01\x02", at + 4, "latin1")
  )
    lied.writeUInt32LE(size, at + 24);
  return lied;
}

describe("Inspect .eval archive", () => {
  it("reads header.json among the samples, as the JSON log reads, without lines (they are the entry's)", async () => {
    const archive = await zipOf([
      ["_journal/start.json", "{}"],
      ["samples/1_epoch_1.json", '{"id": 1}'],
      ["header.json", HEADER],
    ]);
    const results = ok(await read(archive));
    expectRealInspectReading(results);
    expect(results.lines).toEqual({});
  });

  it("refuses a zip bomb by header.json's declared size, before inflating it", async () => {
    const bomb = await zipOf([["header.json", Buffer.alloc(LIMIT + 1, 32)]]);
    expect(bomb.length).toBeLessThan(LIMIT / 100);
    expect(messages(await read(bomb))).toEqual([
      `header.json in the archive is ${LIMIT + 1} bytes uncompressed; the limit is ${LIMIT}`,
    ]);
  });

  it("stops inflating a header.json that holds more than it declares", async () => {
    const bomb = claimSize(await zipOf([["header.json", Buffer.alloc(4 * 1024 * 1024, 32)]]), 1000);
    expect(messages(await read(bomb))).toEqual([
      expect.stringMatching(/^the \.eval archive cannot be read: too many bytes in the stream/),
    ]);
  });

  it("walks thousands of sample entries to a header.json written last", async () => {
    const samples = Array.from({ length: 3000 }, (_, i): [string, string] => [
      `samples/${i}_epoch_1.json`,
      "{}",
    ]);
    const archive = await zipOf([...samples, ["header.json", HEADER]], false);
    expect(ok(await read(archive)).metrics.accuracy).toBe(1);
  });

  it("refuses an archive that claims more entries than are read, without walking them", async () => {
    const archive = Buffer.from(await zipOf([["header.json", HEADER]]));
    const end = archive.lastIndexOf("PK\x05\x06", undefined, "latin1");
    archive.writeUInt16LE(65535, end + 8);
    archive.writeUInt16LE(65535, end + 10);
    expect(messages(await read(archive))).toEqual([
      `the .eval archive lists 65535 entries; at most ${MAX_ARCHIVE_ENTRIES} are read to find header.json`,
    ]);
  });

  it("says an archive without header.json is not an Inspect log", async () => {
    expect(messages(await read(await zipOf([["samples/1.json", "{}"]])))).toEqual([
      "not an Inspect .eval log: the archive has no header.json (a log still being written has none yet)",
    ]);
  });

  it("locates an error inside header.json by its line, in the message", async () => {
    const header = HEADER.toString()
      .replace('"status": "success"', '"status": "error"')
      .replace(/"results": \{[\s\S]*?\n {2}\},\n {2}"stats"/, '"stats"');
    expect(messages(await read(await zipOf([["header.json", header]])))).toEqual([
      'header.json line 3: the Inspect log has no results (the run\'s status is "error"): it cannot vouch for the task',
    ]);
  });

  it("refuses a truncated archive and a header.json that is not UTF-8", async () => {
    const archive = await zipOf([["header.json", HEADER]]);
    expect(messages(await read(archive.subarray(0, archive.length - 30)))[0]).toMatch(
      /^the \.eval archive cannot be read: /,
    );
    expect(messages(await read(await zipOf([["header.json", Buffer.from([0xff, 0xfe, 0x7b])]])))).toEqual([
      "header.json in the archive is not valid UTF-8 text",
    ]);
  });

  it("names inspect when the policy's format is another", async () => {
    const result = await read(await zipOf([["header.json", HEADER]]), "lm-eval");
    expect(!result.ok && "wrongFormat" in result && result.wrongFormat).toEqual({
      wanted: "lm-eval",
      detected: "inspect",
    });
  });
});
