// The line scanner for plain Markdown plans must read every plan it accepts exactly as the full
// CommonMark (markdown-it) reading does, and give up on everything else.
import { describe, expect, it } from "vitest";
import { readMarkdownPlan, readMarkdownPlanInFull } from "../../src/evidence/rollback-markdown.js";
import { scanPlainMarkdown } from "../../src/evidence/rollback-scan.js";
import { seededRandom } from "../support/seeded-random.js";

const MD = "models/churn/ROLLBACK.md";

function expectSameAsFullReading(text: string) {
  expect(readMarkdownPlan(MD, text)).toEqual(readMarkdownPlanInFull(MD, text));
}

const PLAIN = {
  "the benchmark's plan":
    "# Plan\n## Trigger\nx\n## Steps\nx\n## Previous version\nx\n## Owner\nx\n## Last tested\n2026-10-02\n",
  "a plan with lists, a fence, code and emphasis": [
    "# Rollback plan for churn",
    "",
    "## Triggers",
    "- accuracy on the weekly holdout drops below 0.85",
    "- p95 latency above 300 ms for **10 minutes**",
    "",
    "## Steps",
    "### 1. Revert the deployment",
    "```sh",
    "kubectl rollout undo deployment/churn",
    "# not a heading: a shell comment in a code fence",
    "```",
    "1. Check the dashboards",
    "2. Tell `#ml-oncall`",
    "   and wait for the all-clear",
    "",
    "## Previous version ##",
    "churn-v41 (registry tag `models/churn:41`)",
    "",
    "## Last tested:",
    "Drill run on 2026-03-02 by the on-call; the previous one was 2025-12-01.",
  ].join("\n"),
  "CRLF line breaks": "## Steps\r\nundo\r\n## Last tested\r\n\r\nOn 2026-02-03.\r\n",
  "a table (not GFM: a paragraph)":
    "## Last tested\n\n| drill | date |\n|---|---|\n| staging | 2026-02-10 |\n",
  "an impossible date": "## Last tested\n\nOn 2026-02-30.\n",
  "a date in a fence's info string": "## Last tested\n```2026-01-04\nran it\n```\n",
  "an empty fence": "## Last tested\n~~~\n\n~~~\nthen 2026-01-06\n",
  "empty and closed headings": "#\n## ##\n### x ###\n#### y#\nz\n",
  "deeper then shallower sections":
    "## Steps\n### Revert\nrun the undo job\n## Trigger\n### When\n## Owner\n@a/b\n",
  "an indented code block": "## Last tested\n\n    2026-04-05 drill\n",
  "a list closed by a paragraph": "## Steps\n- a\n\nb 2026-01-01\n## Last tested\n- 2026-01-02\n",
};

const NOT_PLAIN = {
  "a setext heading": "Owner\n-----\n@acme/ml-platform\n",
  "an HTML comment": "## Owner\n<!-- TODO: fill in -->\n\n---\n",
  "a comment hiding a date": "## Last tested\n<!-- 2026-01-01 -->\nsoon\n",
  "a blockquote": "## Steps\n> # quoted\n",
  "a link": "## Last tested\nsee [the log](https://x/2026-01-01) of 2026-02-02\n",
  "an entity": "## Owner\n&nbsp;\n",
  "an escape": "## Owner\n\\# not a heading\n",
  "a heading with emphasis": "## **Steps**\nundo\n",
  "an unclosed fence": "## Steps\n```\n# x\n",
  "a fence in a list": "- a\n```\n# x\n```\n",
  "a tab in the indentation": "## Steps\n\tundo\n",
  "a rule": "## Owner\n***\n",
  "only code marks": "## Owner\n` `\n",
  "a byte order mark": "\uFEFF## Owner\nme\n",
  "an indented heading": "  ## Owner\nme\n",
};

describe("scanPlainMarkdown", () => {
  it.each(Object.entries(PLAIN))("reads %s as the full parser does", (_, text) => {
    expect(scanPlainMarkdown(text)).toBeDefined();
    expectSameAsFullReading(text);
  });

  it.each(Object.entries(NOT_PLAIN))("leaves %s to the full parser", (_, text) => {
    expect(scanPlainMarkdown(text)).toBeUndefined();
    expectSameAsFullReading(text);
  });

  it("agrees with the full parser on thousands of plans made of tricky lines", () => {
    // Lines the scanner reads (with their subtle cases), and lines that make it give up.
    const plainLines = [
      "# Trigger",
      "## Steps",
      "### Sub",
      "## Last tested",
      "Last tested",
      "## Last tested ##",
      "#",
      "## ##",
      "### x ###",
      "text",
      "2026-01-05",
      "Drill on 2026-02-30.",
      "12026-01-01",
      "2026-01-011",
      "- item",
      "- 2026-03-01",
      "1. step",
      "2) step 2026-04-01",
      "10. ten",
      "  continuation",
      "    indented 2026-05-01",
      "  - nested 2026-09-09",
      "```sh",
      "```",
      "~~~",
      "````",
      "``` 2026-01-09",
      "`code 2026-06-01`",
      "**bold** 2026-07-01",
      "_x_ y",
      "x ``",
      "",
      "",
      "   ",
      "| a | 2026-08-01 |",
      "|---|---|",
      "a & b",
      "x > y",
      "text  ",
      "+ plus",
      "x\u00a0",
    ];
    const trickyLines = [
      "####### seven",
      "#hashtag",
      "  ## indented",
      "*",
      "``",
      "---",
      "===",
      "> quote",
      "<!-- c -->",
      "[x]: /u",
      "&amp;",
      "\\# esc",
      "\t- tab",
      "* * *",
      "-",
      "-     five spaces",
      "\u00a0",
      "_x_",
    ];
    const random = seededRandom(42); // the same inputs on every run
    let plain = 0;
    for (let doc = 0; doc < 2000; doc++) {
      const count = 1 + random(12);
      const pick = () =>
        random(15) === 0 ? trickyLines[random(trickyLines.length)] : plainLines[random(plainLines.length)];
      const picked = Array.from({ length: count }, () => pick() as string);
      const text = picked.join(random(4) === 0 ? "\r\n" : "\n");
      if (text.trim() === "") continue;
      if (scanPlainMarkdown(text)) plain += 1;
      expect(readMarkdownPlan(MD, text), JSON.stringify(text)).toEqual(readMarkdownPlanInFull(MD, text));
    }
    // Enough of them take the fast path for the comparison to mean something.
    expect(plain).toBeGreaterThan(500);
  });
});
