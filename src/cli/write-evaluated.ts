// `digest ROOT --write`: puts the `evaluated:` block where the evaluation gate reads it. Native
// results carry it themselves (their `evaluated` key is replaced, the rest kept); every other
// format keeps it in `evaluated.yml` beside the results file, which the tool's output never holds.
import { lstat, readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { parseDocument, stringify } from "yaml";
import { evaluatedFilePath } from "../evidence/eval/evaluated-file.js";
import { isInspectArchivePath } from "../evidence/eval/inspect-archive.js";
import { type EvalFormatOption, readEvalResults } from "../evidence/eval-results.js";
import { decodeUtf8 } from "../evidence/text.js";
import { formatLocated } from "../policy/located.js";

export interface EvaluatedBlock {
  commit: string;
  files: Record<string, string>;
}

export type WriteResult =
  | { ok: true; path: string; into: "results" | "evaluated.yml" }
  | { ok: false; message: string };

/**
 * Writes `block` for the results at `resultsPath` (repository-relative) in the working tree of
 * `repo`. The results file must exist there: its format decides where the block goes.
 */
export async function writeEvaluated(
  repo: string,
  resultsPath: string,
  format: EvalFormatOption,
  block: EvaluatedBlock,
): Promise<WriteResult> {
  // A `.eval_results/` folder and an Inspect `.eval` archive are never native and not text: the
  // block goes to evaluated.yml once they exist, without reading them.
  const notText = resultsPath.endsWith("/")
    ? "hf-eval-results"
    : isInspectArchivePath(resultsPath)
      ? "inspect"
      : undefined;
  if (notText) {
    const exists = await lstat(join(repo, resultsPath)).then(
      () => true,
      () => false,
    );
    if (!exists)
      return {
        ok: false,
        message: `${resultsPath} does not exist: --write puts the evaluated: block where the results are, so run the evaluation and save its results there first`,
      };
    return writeEvaluatedFile(repo, resultsPath, notText, block);
  }
  const results = await readWorkingFile(repo, resultsPath);
  if (!results.ok) {
    return {
      ok: false,
      message: results.missing
        ? `${resultsPath} does not exist: --write puts the evaluated: block where the results are, so run the evaluation and save its results there first`
        : results.message,
    };
  }
  const parsed = readEvalResults(resultsPath, results.text, format);
  if (!parsed.ok) {
    const errors = parsed.errors.map(formatLocated).join("\n");
    return {
      ok: false,
      message: `${resultsPath} cannot be read as results, so --write cannot tell where the evaluated: block goes:\n${errors}`,
    };
  }
  if (parsed.value.format === "native") {
    const updated = withEvaluated(results.text, block);
    const written = await writeWorkingFile(repo, resultsPath, updated);
    return written ?? { ok: true, path: resultsPath, into: "results" };
  }
  return writeEvaluatedFile(repo, resultsPath, parsed.value.format, block);
}

/** evaluated.yml beside results of a format that cannot hold the block. */
async function writeEvaluatedFile(
  repo: string,
  resultsPath: string,
  format: string,
  block: EvaluatedBlock,
): Promise<WriteResult> {
  const target = evaluatedFilePath(resultsPath);
  const header = `# The evaluated: block of bind: digest for ${format} results, which cannot hold it.\n# Written by \`readiness-gate digest --write\`; re-run it after each evaluation.\n`;
  const written = await writeWorkingFile(repo, target, header + stringify({ evaluated: block }));
  return written ?? { ok: true, path: target, into: "evaluated.yml" };
}

/**
 * The native results text with its `evaluated` key set to `block`: JSON stays JSON (two-space
 * indented), YAML keeps its comments and key order (the yaml Document API).
 */
export function withEvaluated(text: string, block: EvaluatedBlock): string {
  if (text.trimStart().startsWith("{")) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      value.evaluated = block;
      return `${JSON.stringify(value, null, 2)}\n`;
    } catch {
      // YAML flow syntax that is not JSON: the Document API below keeps it as written.
    }
  }
  const doc = parseDocument(text);
  doc.set("evaluated", doc.createNode(block));
  return doc.toString();
}

type WorkingText = { ok: true; text: string } | { ok: false; missing: boolean; message: string };

async function readWorkingFile(repo: string, path: string): Promise<WorkingText> {
  const refused = await outsideRepo(repo, path);
  if (refused) return { ok: false, missing: false, message: refused };
  let bytes: Buffer;
  try {
    bytes = await readFile(join(repo, path));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return { ok: false, missing, message: `cannot read ${path}: ${(error as Error).message}` };
  }
  const text = decodeUtf8(path, bytes);
  return text.ok
    ? { ok: true, text: text.text }
    : { ok: false, missing: false, message: formatLocated(text.error) };
}

/** Undefined once written; a failure otherwise. */
async function writeWorkingFile(repo: string, path: string, text: string): Promise<WriteResult | undefined> {
  const refused = await outsideRepo(repo, path);
  if (refused) return { ok: false, message: refused };
  try {
    await writeFile(join(repo, path), text);
    return undefined;
  } catch (error) {
    return { ok: false, message: `cannot write ${path}: ${(error as Error).message}` };
  }
}

/**
 * Why `path` must not be read or written: it is a symbolic link, or its folder resolves outside
 * the repository (a link on the way). A checkout of someone's branch must not make --write
 * overwrite a file elsewhere on the machine.
 */
async function outsideRepo(repo: string, path: string): Promise<string | undefined> {
  const absolute = join(repo, path);
  try {
    if ((await lstat(absolute)).isSymbolicLink())
      return `${path} is a symbolic link; --write does not follow it`;
  } catch {
    // Absent: it is created in its folder, checked below.
  }
  let folder: string;
  let top: string;
  try {
    [folder, top] = await Promise.all([realpath(dirname(absolute)), realpath(repo)]);
  } catch {
    return undefined; // No folder to escape through: the read or write itself says it is missing.
  }
  const inside = relative(top, folder);
  if (inside.startsWith(`..${sep}`) || inside === ".." || inside.startsWith(sep))
    return `the folder of ${path} resolves outside the repository (a symbolic link on the way); --write does not follow it`;
  return undefined;
}
