// The Octokit the app runs with: Probot's, with two changes to its throttling.
//
// 1. Octokit's throttling spaces every write AND every GraphQL query of an installation one second
//    apart (one queue for the whole process, or for every replica with Redis). The app reads
//    through GraphQL — a few queries per evaluation — so under that rule a burst of 50 pull
//    requests would wait minutes for its own reads. GitHub asks for the spacing for "a large
//    number" of mutative requests; our queries are reads and our writes are about one check run
//    per evaluation. So the write queue here keeps Octokit's concurrency cap (10 per installation,
//    shared through Redis when Probot has a connection) without the one-second spacing, and GitHub's
//    own backpressure — the secondary rate limit — is honoured instead, by the next point.
// 2. A secondary rate limit is retried after GitHub's `retry-after`. Probot's `run` installs a
//    handler that only logs it, so a burst that tripped it would fail the evaluation (or, on the
//    first read, post nothing at all). Twice is enough; then the error stands and the evaluation
//    fails closed as for any other error.
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

const SECONDARY_LIMIT_RETRIES = 2;

/** Octokit's limit on concurrent requests per installation (its `global` queue). */
const CONCURRENT_WRITES = 10;

// One queue per Redis connection (none without Redis), like Octokit's own module-wide groups.
const writeQueues = new Map<unknown, Bottleneck.Group>();
function writeQueue(connection: unknown): Bottleneck.Group {
  let group = writeQueues.get(connection);
  if (!group) {
    group = new Bottleneck.Group({
      id: "readiness-gate-write",
      maxConcurrent: CONCURRENT_WRITES,
      timeout: 2 * 60 * 1000, // Octokit's Redis TTL
      ...(connection ? { connection: connection as Bottleneck.IORedisConnection } : {}),
    });
    writeQueues.set(connection, group);
  }
  return group;
}

interface ThrottleOptions {
  enabled?: boolean;
  connection?: unknown;
}

export const ReadinessOctokit = ProbotOctokit.defaults((options: Record<string, unknown> = {}) => {
  const throttle = (options.throttle ?? {}) as ThrottleOptions;
  return {
    ...options,
    throttle: {
      ...throttle,
      ...(throttle.enabled === false ? {} : { write: writeQueue(throttle.connection) }),
      onSecondaryRateLimit: (
        retryAfter: number,
        request: { method: string; url: string },
        octokit: { log: { warn: (message: string) => void } },
        retryCount: number,
      ) => {
        const retry = retryCount < SECONDARY_LIMIT_RETRIES;
        octokit.log.warn(
          `GitHub's secondary rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s` : "giving up"}`,
        );
        return retry;
      },
    },
  };
});
