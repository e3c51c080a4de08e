// The YAML front matter of a Markdown file: the lines between a `---` first line and the next
// `---` line. CRLF line breaks are tolerated.

export type FrontMatter = { found: true; yaml: string } | { found: false; reason: string };

/**
 * The opening fence is replaced by an empty line, so lines and columns reported while parsing
 * `yaml` are those of the Markdown file.
 */
export function frontMatter(text: string): FrontMatter {
  // Dropping the `\r` of CRLF keeps columns and spares the YAML parser a lone `\r` at the end.
  const lines = text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .map((line) => line.replace(/\r$/, ""));
  if (lines[0]?.trimEnd() !== "---") {
    return { found: false, reason: "the file does not start with a `---` front matter block" };
  }
  const end = lines.findIndex((line, index) => index > 0 && line.trimEnd() === "---");
  if (end < 0) return { found: false, reason: "the `---` front matter opened on line 1 is never closed" };
  return { found: true, yaml: ["", ...lines.slice(1, end)].join("\n") };
}

export function startsWithFrontMatter(text: string): boolean {
  return /^\uFEFF?---[ \t]*\r?\n/.test(text);
}
