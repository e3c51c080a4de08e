// Globs that match nothing are usually typos (`modles/*`): the policy then governs nothing
// there, silently. They are warnings, not errors — a repository may add the folder later.
import picomatch from "picomatch";
import { valueAt } from "./key-path.js";
import type { LocatedError } from "./located.js";
import type { Policy } from "./schema.js";
import { errorAt, type YamlFile } from "./yaml.js";

/**
 * Warnings for `roots` globs that match no directory and `ignore` globs that match no file in
 * `paths` (the repository's files). Only globs written in `file` itself are checked, so a
 * pack's or the org's globs do not warn in every repository that lacks those folders.
 */
export function globWarnings(policy: Policy, file: YamlFile, paths: string[]): LocatedError[] {
  const directories = [...directoriesOf(paths)];
  const warnings: LocatedError[] = [];
  for (const [kind, spec] of Object.entries(policy.artifacts)) {
    const check = (key: "roots" | "ignore", globs: string[], candidates: string[], what: string) => {
      globs.forEach((glob, i) => {
        const at = ["artifacts", kind, key, i];
        if (valueAt(file.value, at) !== glob) return;
        const matches = picomatch(glob, { dot: true });
        if (!candidates.some((c) => matches(c))) {
          warnings.push(errorAt(file, at, `${key} glob '${glob}' matches no ${what} in the repository`));
        }
      });
    };
    check("roots", spec.roots, directories, "directory");
    check("ignore", spec.ignore ?? [], paths, "file");
  }
  return warnings;
}

/** Every directory that holds at least one of `paths`: `a/b/c.txt` → `a`, `a/b`. */
function directoriesOf(paths: string[]): Set<string> {
  const directories = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join("/"));
  }
  return directories;
}
