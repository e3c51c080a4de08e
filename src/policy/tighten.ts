// The shared vocabulary of the tighten-only merge: who wrote what, and how a loosening is
// reported at the repo file's line and column.
import { hasKeyPath, type KeyPath } from "./key-path.js";
import type { LocatedError } from "./located.js";
import { type Policy, TIERS, type Tier } from "./schema.js";
import { errorAt, type YamlFile } from "./yaml.js";

/** A loaded policy file as the merge sees it. */
export interface PolicyLayer {
  policy: Policy;
  file: YamlFile;
  /** What the file (with its pack underneath) spelled out; defaults to the file's own value. */
  input?: unknown;
  /** How users name the file, e.g. `acme/.github:.github/readiness.yml`. */
  label?: string;
  /** The builtin pack the file extends, so pack-set values can be blamed on `extends`. */
  pack?: { name: string };
}

export class Tightening {
  readonly errors: LocatedError[] = [];
  private readonly orgName: string;

  constructor(
    org: PolicyLayer,
    private readonly repo: PolicyLayer,
  ) {
    this.orgName = describeSource(org.label ?? org.file.path);
  }

  /**
   * Whether the repo policy set this key itself. A key it leaves out inherits the org's value,
   * so omitting a setting never loosens it (and a schema default never overrides the org).
   */
  wrote(path: KeyPath): boolean {
    return hasKeyPath(this.repo.input ?? this.repo.file.value, path);
  }

  loosens(path: KeyPath, what: string): void {
    const message = `loosens the org policy: ${what} (${this.orgName})`;
    const { file, pack } = this.repo;
    if (pack && !hasKeyPath(file.value, path)) {
      this.errors.push(
        errorAt(file, ["extends"], `${message}; the value comes from builtin:${pack.name}, override it here`),
      );
    } else {
      this.errors.push(errorAt(file, path, message));
    }
  }
}

/** `acme/.github:.github/readiness.yml` → `.github/readiness.yml in acme/.github`. */
function describeSource(label: string): string {
  const colon = label.indexOf(":");
  if (colon <= 0 || label.startsWith("builtin:")) return label;
  return `${label.slice(colon + 1)} in ${label.slice(0, colon)}`;
}

export const tierRank = (tier: Tier): number => TIERS.indexOf(tier);

/** GitHub logins and team slugs compare case-insensitively, with or without the `@`. */
export const samePrincipal = (a: string, b: string): boolean =>
  a.replace(/^@/, "").toLowerCase() === b.replace(/^@/, "").toLowerCase();

export const includesPrincipal = (list: readonly string[], who: string): boolean =>
  list.some((p) => samePrincipal(p, who));

/** `list` in its order, then what `extra` adds. */
export function union<T>(list: readonly T[], extra: readonly T[], same = (a: T, b: T) => a === b): T[] {
  const out = [...list];
  for (const item of extra) if (!out.some((o) => same(o, item))) out.push(item);
  return out;
}

export function smaller(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** `medium, high` → the tiers in `org` that `repo` no longer covers (undefined = every tier). */
export function uncovered<T extends string>(
  org: readonly T[] | undefined,
  repo: readonly T[] | undefined,
  all: readonly T[],
): T[] {
  if (repo === undefined) return [];
  return (org ?? all).filter((t) => !repo.includes(t));
}

export function plural(word: string, items: readonly string[]): string {
  return `${word}${items.length === 1 ? "" : "s"} ${items.join(", ")}`;
}
