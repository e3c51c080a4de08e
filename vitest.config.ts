import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Probes Redis and PostgreSQL once per run; see test/support/services.ts.
    globalSetup: ["test/support/services-setup.ts"],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
