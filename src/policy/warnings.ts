// Globs that match nothing are usually typos (`modles/*`): the policy then governs nothing
// there, silently. They are warnings, not errors — a repository may add the folder later.
import picomatch from "picomatch";
import { formatKeyPath, isPlainObject, type KeyPath, valueAt } from "./key-path.js";
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

// The builtin pack names its teams `@your-org/…` so that it loads anywhere; a policy that still
// names one gives approvals nobody can give, and every pull request that needs them waits for a
// reason no one sees. They are warnings (the policy is valid), found before the first PR is.

/** A team or user of the placeholder organisation: `@your-org/privacy`, `your-org-admin`. */
const PLACEHOLDER = /^@?your-org(?:$|[/-])/i;
/** The lists that name people: `policy_admins`, approval `teams` and `users`, sign-off `reviewers`. */
const PRINCIPAL_LISTS = new Set(["policy_admins", "teams", "users", "reviewers"]);

/** What `placeholderWarnings` reads of a loaded policy file (`LoadedPolicy` when it loaded). */
export interface PlaceholderSource {
  file: YamlFile;
  /** The file with its pack underneath, before defaults: what the file's owner left in force. */
  input: Record<string, unknown>;
  pack?: { name: string; file: YamlFile };
}

/**
 * A warning for each placeholder principal in force in `source`: at its line in the file when the
 * file writes it, else at its line in the builtin pack (`builtin:<name>:line:col`), saying which
 * setting to write to replace it (lists replace the pack's lists whole).
 */
export function placeholderWarnings(source: PlaceholderSource): LocatedError[] {
  const warnings: LocatedError[] = [];
  for (const { at, value } of placeholdersIn(source.input, [])) {
    const own = valueAt(source.file.value, at) === value;
    const what = `${formatKeyPath(at)} '${value}' is a placeholder`;
    const harm = "until then no one can approve through it";
    if (own || !source.pack) {
      warnings.push(
        errorAt(
          source.file,
          at,
          `${what}: replace it with a real team or user of your organisation (${harm})`,
        ),
      );
      continue;
    }
    const firstIndex = at.findIndex((step) => typeof step === "number");
    const list = firstIndex > 0 ? at.slice(0, firstIndex) : at;
    const pack = `builtin:${source.pack.name}`;
    warnings.push({
      ...errorAt(source.pack.file, at, ""),
      path: pack,
      message: `${what} from ${pack}: set \`${formatKeyPath(list)}\` in ${source.file.path} with your own teams or users (a list replaces the pack's whole list; ${harm})`,
    });
  }
  return warnings;
}

function* placeholdersIn(value: unknown, at: KeyPath): Generator<{ at: KeyPath; value: string }> {
  if (Array.isArray(value)) {
    const names = PRINCIPAL_LISTS.has(String(at.at(-1)));
    for (const [i, item] of value.entries()) {
      if (typeof item === "string") {
        if (names && PLACEHOLDER.test(item)) yield { at: [...at, i], value: item };
      } else yield* placeholdersIn(item, [...at, i]);
    }
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) yield* placeholdersIn(item, [...at, key]);
  }
}
