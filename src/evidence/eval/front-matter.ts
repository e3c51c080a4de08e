// The YAML front matter of a Markdown file: the lines between a `---` first line and the next
// `---` line. CRLF line breaks are tolerated.

export type FrontMatter = { found: true; yaml: string } | { found: false; reason: string };

/**
 * The opening fence is replaced by an empty line, so lines and columns reported while parsing
 * `yaml` are those of the Markdown file.
 */
export function frontMatter(text: string): FrontMatter {
  // Line by line up to the closing fence: the Markdown after it (megabytes, maybe) is not split.
  // Dropping the `\r` of CRLF keeps columns and spares the YAML parser a lone `\r` at the end.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines: string[] = [];
  for (let start = 0; start <= body.length; ) {
    const newline = body.indexOf("\n", start);
    const end = newline === -1 ? body.length : newline;
    const line = body.slice(start, end).replace(/\r$/, "");
    if (lines.length === 0 && line.trimEnd() !== "---") {
      return { found: false, reason: "the file does not start with a `---` front matter block" };
    }
    if (lines.length > 0 && line.trimEnd() === "---") return { found: true, yaml: lines.join("\n") };
    // The opening fence becomes an empty line.
    lines.push(lines.length === 0 ? "" : line);
    if (newline === -1) break;
    start = end + 1;
  }
  return { found: false, reason: "the `---` front matter opened on line 1 is never closed" };
}

export function startsWithFrontMatter(text: string): boolean {
  return /^\uFEFF?---[ \t]*\r?\n/.test(text);
}
