// Resolving a policy (YAML with positions, schema, tighten-only merge, digest) costs more than the
// rest of a small evaluation, and every event of a repository brings the same texts back. The
// resolution is a pure function of the texts, so it is done once per distinct (org, repo) pair and
// kept, least recently used first out. Callers treat the result as read-only, as they always have.
import { createHash } from "node:crypto";
import { type ResolvedPolicy, type ResolveInput, resolvePolicy } from "../policy/resolve.js";

export type PolicyResolver = (input: ResolveInput) => ResolvedPolicy | undefined;

export function cachedPolicyResolver(limit = 200): PolicyResolver {
  const resolved = new Map<string, ResolvedPolicy | undefined>();
  return (input) => {
    // `paths` (glob warnings against the tree) is not part of the key: the app never passes it.
    if (input.paths) return resolvePolicy(input);
    const key = createHash("sha256")
      .update(JSON.stringify([input.org ?? null, input.repo ?? null]))
      .digest("hex");
    if (resolved.has(key)) {
      const hit = resolved.get(key);
      resolved.delete(key); // re-inserted as the most recent
      resolved.set(key, hit);
      return hit;
    }
    const result = resolvePolicy(input);
    resolved.set(key, result);
    if (resolved.size > limit) resolved.delete(resolved.keys().next().value as string);
    return result;
  };
}

/** Builtin packs are files shipped with the app: read each once. */
export function cachedPacks(
  read: (name: string) => string | undefined,
): (name: string) => string | undefined {
  const packs = new Map<string, string | undefined>();
  return (name) => {
    if (!packs.has(name)) packs.set(name, read(name));
    return packs.get(name);
  };
}
