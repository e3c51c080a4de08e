// Runs every benchmark in turn; each prints its own figures.
await import("./engine.js");
await import("./app.js");
await import("./audit.js");
await import("./release.js");
