// Key paths into plain YAML values: how users name a setting, and whether a file wrote it.

export type KeyPath = ReadonlyArray<string | number>;

/** `gates.evaluation.thresholds[0].min`, the way a user names a setting. */
export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else out += out === "" ? String(step) : `.${String(step)}`;
  }
  return out;
}

/** The value at `path`, or undefined when any step is missing. */
export function valueAt(value: unknown, path: KeyPath): unknown {
  let node = value;
  for (const step of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/** Whether the plain value spells out `path` (a key present, even with a null value). */
export function hasKeyPath(value: unknown, path: KeyPath): boolean {
  let node = value;
  for (const step of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, step)) return false;
    node = (node as Record<string | number, unknown>)[step];
  }
  return true;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
