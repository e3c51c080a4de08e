// Builtin policy packs (`extends: builtin:<name>`), read from the package's `policies/` folder.
// Both src/assets (vitest) and dist/assets (built) sit two levels below the package root.
import { readFileSync } from "node:fs";
import { builtinPackFile } from "../policy/load.js";

const POLICIES = new URL("../../policies/", import.meta.url);

/**
 * The text of the pack `name` (`ai-production-readiness`, `ai-production-readiness@2`), or
 * undefined when there is no such pack.
 */
export function readBuiltinPack(name: string): string | undefined {
  // The name becomes a file name: nothing that could climb out of policies/.
  const file = builtinPackFile(name);
  if (file === undefined) return undefined;
  try {
    return readFileSync(new URL(`${file}.yml`, POLICIES), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
