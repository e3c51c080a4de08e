// The policy language's public API. The core never imports fs or the network: callers pass
// file texts in and get values or located errors back.
export { canonicalJson, policyDigest } from "./digest.js";
export { POLICY_SCHEMA_ID, policyJsonSchema, schemas } from "./json-schema.js";
export {
  BUILTIN_PACK_NAMES,
  type BuiltinPacks,
  builtinPackPath,
  type LoadedPolicy,
  loadPolicy,
  mergeLayers,
} from "./load.js";
export { formatLocated, type LocatedError } from "./located.js";
export { mergeTightenOnly, type PolicyLayer } from "./merge.js";
export { diffRequirements, requirementLines } from "./requirements.js";
export { type PolicySourceText, type ResolvedPolicy, type ResolveInput, resolvePolicy } from "./resolve.js";
export * from "./schema.js";
export { globWarnings } from "./warnings.js";
export { errorAt, locate, parseYaml, type YamlFile, type YamlResult } from "./yaml.js";
