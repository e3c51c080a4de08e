// JUnit XML (pytest `--junitxml`, DeepEval through pytest, promptfoo `-o results.xml`): the test
// cases are counted, each by what it holds (`<error>`, `<failure>`, `<skipped>`), rather than
// trusting the suites' summary attributes. A DOCTYPE is refused before parsing, so no entity —
// billion laughs or an external file — is ever declared, and the parser expands none either.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { LocatedError } from "../../policy/located.js";
import type { EvalResults, Parsed } from "../types.js";
import { MetricTable } from "./metric-table.js";
import { failed, isRecord } from "./values.js";

export const JUNIT_EXPECTS = "JUnit XML: `<testsuites>` or `<testsuite>` holding `<testcase>` elements";

const SUITE = "testsuite";
const CASE = "testcase";

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
  const doctype = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (doctype) {
    const { line, column } = position(text, doctype.index);
    return failed([
      at(
        line,
        column,
        `a ${doctype[1]?.toUpperCase()} declaration is not accepted in JUnit XML (entities could expand without bound)`,
      ),
    ]);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return failed([at(valid.err.line, valid.err.col, `not well-formed XML: ${valid.err.msg}`)]);
  let document: unknown;
  try {
    document = new XMLParser({
      ignoreAttributes: true,
      processEntities: false,
      htmlEntities: false,
      isArray: (name) => name === SUITE || name === CASE,
    }).parse(text);
  } catch (error) {
    return failed([
      at(1, 1, `the XML cannot be read: ${error instanceof Error ? error.message : String(error)}`),
    ]);
  }
  const root = isRecord(document) ? (document.testsuites ?? document) : undefined;
  if (!isRecord(root) || !(SUITE in root || CASE in root)) {
    return failed([at(1, 1, `not a JUnit report: expected ${JUNIT_EXPECTS}`)]);
  }
  const counts = countCases(root);
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

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Every test case under `root`, suites nested in suites included (walked without recursion). */
function countCases(root: Record<string, unknown>): Counts {
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const pending: unknown[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (!isRecord(node)) continue;
    for (const suite of asList(node[SUITE])) pending.push(suite);
    for (const testCase of asList(node[CASE])) {
      counts.tests += 1;
      // A case that errored is an error even if it also failed; a skipped case neither passed nor failed.
      if (isRecord(testCase) && "error" in testCase) counts.errors += 1;
      else if (isRecord(testCase) && "failure" in testCase) counts.failures += 1;
      else if (isRecord(testCase) && "skipped" in testCase) counts.skipped += 1;
    }
  }
  return counts;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
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
