// The evidence readers' public API: pure functions from file text to values or located errors.
export * from "./codeowners.js";
export * from "./eval-results.js";
export * from "./manifest.js";
export * from "./privacy.js";
export * from "./rollback.js";
export * from "./text.js";
export * from "./types.js";
