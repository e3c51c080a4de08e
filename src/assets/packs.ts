// Builtin policy packs (`extends: builtin:<name>`), read from the package's `policies/` folder.
// Both src/assets (vitest) and dist/assets (built) sit two levels below the package root.
import { readFileSync } from "node:fs";

const POLICIES = new URL("../../policies/", import.meta.url);

/** The text of `policies/<name>.yml`, or undefined when there is no such pack. */
export function readBuiltinPack(name: string): string | undefined {
  // The name becomes a file name: nothing that could climb out of policies/.
  if (!/^[a-z0-9-]+$/.test(name)) return undefined;
  try {
    return readFileSync(new URL(`${name}.yml`, POLICIES), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
