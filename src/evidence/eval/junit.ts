// JUnit XML (pytest `--junitxml`, DeepEval through pytest, promptfoo `-o results.xml`): the test
// cases are counted, each by what it holds (`<error>`, `<failure>`, `<skipped>`), rather than
// trusting the suites' summary attributes. saxes never reads a DTD: it expands only XML's five
// entities and character references, and an undefined one is an error, so billion laughs or an
// external file cannot expand. A DOCTYPE declaration is refused all the same, at its place; the
// text `<!DOCTYPE` in a comment or in captured output (CDATA) is not one. One streaming pass, no tree.
import { SaxesParser } from "saxes";
import type { LocatedError } from "../../policy/located.js";
import type { EvalResults, Parsed } from "../types.js";
import { MetricTable } from "./metric-table.js";
import { failed } from "./values.js";

export const JUNIT_EXPECTS = "JUnit XML: `<testsuites>` or `<testsuite>` holding `<testcase>` elements";

const ROOTS = new Set(["testsuites", "testsuite"]);
const CASE = "testcase";
/** What a test case can hold, in the order it counts: an error wins over a failure over a skip. */
const OUTCOMES = ["error", "failure", "skipped"] as const;
type Outcome = (typeof OUTCOMES)[number];

/** XML opens with `<` (after a byte order mark and blank space); YAML and JSON never do. */
export function looksJunit(path: string, text: string): boolean {
  return /\.xml$/i.test(path) || /^\uFEFF?\s*</.test(text);
}

export function readJunit(path: string, text: string): Parsed<EvalResults> {
  const at = (line: number, column: number, message: string): LocatedError => ({
    path,
    line,
    column,
    message,
  });
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const parser = new SaxesParser({ position: true });
  /** Where the first DOCTYPE declaration starts (the event comes at its end). */
  let doctypeAt: number | undefined;
  parser.on("doctype", () => {
    doctypeAt ??= text.lastIndexOf("<!DOCTYPE", parser.position);
  });
  let root: string | undefined;
  let depth = 0;
  /** The open test case's depth and what it holds so far. */
  let open: { depth: number; outcome?: Outcome } | undefined;
  parser.on("opentag", (tag) => {
    depth += 1;
    root ??= tag.name;
    if (tag.name === CASE && open === undefined) open = { depth };
    else if (open && depth === open.depth + 1 && (OUTCOMES as readonly string[]).includes(tag.name)) {
      const outcome = tag.name as Outcome;
      if (open.outcome === undefined || OUTCOMES.indexOf(outcome) < OUTCOMES.indexOf(open.outcome))
        open.outcome = outcome;
    }
  });
  parser.on("closetag", () => {
    if (open && depth === open.depth) {
      counts.tests += 1;
      if (open.outcome === "error") counts.errors += 1;
      else if (open.outcome === "failure") counts.failures += 1;
      else if (open.outcome === "skipped") counts.skipped += 1;
      open = undefined;
    }
    depth -= 1;
  });
  const refuseDoctype = (offset: number) => {
    const { line, column } = position(text, Math.max(0, offset));
    const why = "a DOCTYPE declaration is not accepted in JUnit XML (entities could expand without bound)";
    return failed([at(line, column, why)]);
  };
  try {
    parser.write(text).close();
  } catch (error) {
    if (doctypeAt !== undefined) return refuseDoctype(doctypeAt);
    const message = error instanceof Error ? error.message.replace(/^\d+:\d+: /, "") : String(error);
    return failed([at(parser.line, parser.column, `not well-formed XML: ${message}`)]);
  }
  if (doctypeAt !== undefined) return refuseDoctype(doctypeAt);
  if (root === undefined || !ROOTS.has(root)) {
    return failed([at(1, 1, `not a JUnit report: expected ${JUNIT_EXPECTS}`)]);
  }
  const ran = counts.tests - counts.skipped;
  if (ran === 0) {
    return failed([
      at(
        1,
        1,
        `the JUnit report has no test that ran (${counts.tests} tests, ${counts.skipped} skipped): an empty run is not a pass`,
      ),
    ]);
  }
  const table = new MetricTable();
  table.add("pass_rate", (ran - counts.failures - counts.errors) / ran, 1);
  table.add("tests", counts.tests, 1);
  table.add("failures", counts.failures, 1);
  table.add("errors", counts.errors, 1);
  table.add("skipped", counts.skipped, 1);
  return { ok: true, value: table.results("junit") };
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
