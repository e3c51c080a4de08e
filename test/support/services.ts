// The real services some tests need (Redis, PostgreSQL), found from TEST_* variables with the local
// defaults. test/support/services-setup.ts probes each once per run and prints one line for each
// that does not answer; the tests needing it are then skipped, except under CI=true, where an
// unreachable service fails them, so CI never goes green without the tests that need it.
//
//   const redis = await testService("redis");
//   describe.runIf(redis.available)("…", () => { … new Redis(redis.url) … });
import pg from "pg";
import { inject } from "vitest";

export type ServiceName = "redis" | "postgres";

interface Known {
  title: string;
  variable: string;
  fallback: string;
  start: string;
  answer(url: string): Promise<void>;
}

const PROBE_TIMEOUT_MS = 1000;

const KNOWN: Record<ServiceName, Known> = {
  redis: {
    title: "Redis",
    variable: "TEST_REDIS_URL",
    fallback: "redis://127.0.0.1:6379",
    start: "docker run --rm -p 6379:6379 redis:7",
    answer: redisAnswers,
  },
  postgres: {
    title: "PostgreSQL",
    variable: "TEST_DATABASE_URL",
    fallback: "postgres://postgres@127.0.0.1:5432/test",
    start: "docker run --rm -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16",
    answer: postgresAnswers,
  },
};

export const SERVICE_NAMES = Object.keys(KNOWN) as ServiceName[];

/** What one probe found: where the service is and, when it did not answer, why. */
export interface Probe {
  name: ServiceName;
  url: string;
  problem?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    testServices?: Probe[];
  }
}

/** A service a test file needs: its URL, and whether its tests run. */
export interface TestService {
  url: string;
  available: boolean;
}

export function serviceUrl(name: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  const known = KNOWN[name];
  const value = env[known.variable]?.trim();
  return value ? value : known.fallback;
}

export function underCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.CI === "1";
}

/** Connects once, with a short timeout; never throws. */
export async function probe(name: ServiceName, env: NodeJS.ProcessEnv = process.env): Promise<Probe> {
  const url = serviceUrl(name, env);
  try {
    await KNOWN[name].answer(url);
    return { name, url };
  } catch (error) {
    return { name, url, problem: reasonOf(error) };
  }
}

/** The one line a run prints for a service that did not answer. */
export function unreachableLine(found: Probe, env: NodeJS.ProcessEnv = process.env): string {
  const known = KNOWN[found.name];
  const consequence = underCI(env)
    ? "CI=true, so the tests that need it fail"
    : "the tests that need it are skipped";
  return (
    `${known.title} unreachable at ${redact(found.url)} (${known.variable}): ${found.problem}; ` +
    `${consequence}. Start one with \`${known.start}\` or set ${known.variable}.`
  );
}

/**
 * The service as this run found it (probed by services-setup.ts; probed here when the run has no
 * such setup). Under CI=true an unreachable service throws, failing the file that needs it.
 */
export async function testService(name: ServiceName): Promise<TestService> {
  const found = inject("testServices")?.find((p) => p.name === name) ?? (await probe(name));
  if (found.problem !== undefined && underCI()) throw new Error(unreachableLine(found));
  return { url: found.url, available: found.problem === undefined };
}

async function redisAnswers(url: string): Promise<void> {
  // Imported here so a run without Redis tests never loads ioredis.
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  redis.on("error", (error: unknown) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw lastError ?? error;
  } finally {
    redis.disconnect();
  }
}

async function postgresAnswers(url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  client.on("error", () => {}); // a dropped connection after the probe is not the probe's failure
  try {
    await client.connect();
    await client.query("SELECT 1");
  } finally {
    await client.end().catch(() => {});
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message.split("\n")[0] || error.name;
  return String(error);
}

/** The URL without its password, for printing. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
