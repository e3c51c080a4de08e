// Resolving a policy (YAML with positions, schema, tighten-only merge, digest) costs more than the
// rest of a small evaluation, and every event of a repository brings the same texts back. The
// resolution is a pure function of the texts, so it is done once per distinct (org, repo) pair and
// kept, least recently used first out. Callers treat the result as read-only, as they always have.
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { type ResolvedPolicy, type ResolveInput, resolvePolicy } from "../policy/resolve.js";

export type PolicyResolver = (input: ResolveInput) => ResolvedPolicy | undefined;

export function cachedPolicyResolver(limit = 200): PolicyResolver {
  // Boxed: "no policy" (undefined) is an answer worth keeping too.
  const resolved = new LRUCache<string, { policy: ResolvedPolicy | undefined }>({ max: limit });
  return (input) => {
    // `paths` (glob warnings against the tree) is not part of the key: the app never passes it.
    if (input.paths) return resolvePolicy(input);
    const key = createHash("sha256")
      .update(JSON.stringify([input.org ?? null, input.repo ?? null]))
      .digest("hex");
    let hit = resolved.get(key);
    if (!hit) {
      hit = { policy: resolvePolicy(input) };
      resolved.set(key, hit);
    }
    return hit.policy;
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
