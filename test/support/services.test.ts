// The helper every test needing Redis or PostgreSQL goes through: where it looks, and the one line
// a run prints when the service does not answer.
import { describe, expect, it } from "vitest";
import { probe, serviceUrl, unreachableLine } from "./services.js";

describe("test services", () => {
  it("look at the local defaults unless TEST_REDIS_URL / TEST_DATABASE_URL say otherwise", () => {
    expect(serviceUrl("redis", {})).toBe("redis://127.0.0.1:6379");
    expect(serviceUrl("postgres", {})).toBe("postgres://postgres@127.0.0.1:5432/test");
    expect(serviceUrl("redis", { TEST_REDIS_URL: " redis://cache:6380 " })).toBe("redis://cache:6380");
    expect(serviceUrl("postgres", { TEST_DATABASE_URL: "" })).toBe("postgres://postgres@127.0.0.1:5432/test");
  });

  it("say in one line which service did not answer, where, why and how to start one", async () => {
    const redis = await probe("redis", { TEST_REDIS_URL: "redis://127.0.0.1:1" });
    expect(redis.problem).toMatch(/ECONNREFUSED/);
    const line = unreachableLine(redis, {});
    expect(line).not.toContain("\n");
    expect(line).toMatch(
      /^Redis unreachable at redis:\/\/127\.0\.0\.1:1 \(TEST_REDIS_URL\): .*ECONNREFUSED.*; the tests that need it are skipped\. Start one with `docker run --rm -p 6379:6379 redis:7` or set TEST_REDIS_URL\.$/,
    );
    expect(unreachableLine(redis, { CI: "true" })).toContain("CI=true, so the tests that need it fail");
  });

  it("probe PostgreSQL with a real connection, and never print its password", async () => {
    const postgres = await probe("postgres", {
      TEST_DATABASE_URL: "postgres://postgres:s3cret@127.0.0.1:1/test",
    });
    expect(postgres.problem).toMatch(/ECONNREFUSED/);
    const line = unreachableLine(postgres, {});
    expect(line).toMatch(
      /^PostgreSQL unreachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test \(TEST_DATABASE_URL\)/,
    );
    expect(line).not.toContain("s3cret");
  });

  it("take a URL that is not one as unreachable, saying so", async () => {
    const garbled = await probe("postgres", { TEST_DATABASE_URL: "not a url" });
    expect(garbled.problem).toBeTruthy();
    expect(unreachableLine(garbled, {})).toMatch(
      /^PostgreSQL unreachable at not a url \(TEST_DATABASE_URL\): /,
    );
  });
});
