// Reads the handlebars templates shipped in `templates/`. This file runs from `src/assets/`
// (vitest, tsx) and from `dist/assets/` (built): both are two levels below the package root.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PAGE_TEMPLATES, PARTIAL_TEMPLATES, type Templates } from "../report/templates.js";

export const TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

/** Every template the renderer needs, `<dir>/<name>.md.hbs`; a missing one fails at start-up. */
export function readTemplates(dir: string = TEMPLATES_DIR): Templates {
  const read = (name: string) => readFileSync(join(dir, `${name}.md.hbs`), "utf8");
  const names = [...PAGE_TEMPLATES, ...PARTIAL_TEMPLATES];
  return Object.fromEntries(names.map((name) => [name, read(name)])) as Templates;
}
