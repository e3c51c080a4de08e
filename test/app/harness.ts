// Probot under test: a real app instance, real example payloads from @octokit/webhooks-examples
// pointed at the fake repository, and nock standing in for GitHub (fake-github.ts), for the tests
// that need several installations. `NOW` is the app tests' clock, on the stand-in too.
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { createReadinessGate } from "../../src/app/index.js";
import { createMetrics, type Metrics } from "../../src/app/metrics.js";
import { BASE_SHA, HEAD_SHA, OWNER, REPO } from "./fake-github.js";

// The package is a JSON array of {name, examples[]} per event; its typings describe it as a CJS default.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

export const NOW = new Date("2026-11-21T12:00:00Z");

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export interface TestApp {
  probot: Probot;
  metrics: Metrics;
  receive(name: string, payload: unknown): Promise<void>;
}

export async function createTestApp(
  options: { publicUrl?: string; shareQueries?: boolean } = {},
): Promise<TestApp> {
  nock.disableNetConnect();
  const metrics = createMetrics();
  const probot = new Probot({
    appId: 1,
    privateKey,
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
    logLevel: "fatal",
  });
  await probot.load(createReadinessGate({ metrics, now: () => NOW, ...options }));
  let delivery = 0;
  return {
    probot,
    metrics,
    receive: (name, payload) => probot.receive({ id: `delivery-${++delivery}`, name, payload } as never),
  };
}

/** A webhook payload that tests edit freely (any shape GitHub sends). */
// biome-ignore lint/suspicious/noExplicitAny: example payloads are reshaped field by field in tests
export type Payload = any;

/** A deep copy of a real example payload, with an installation and our repository. */
export function example(name: string, action?: string): Payload {
  const definition = examples.find((d) => d.name === name);
  const found =
    definition?.examples.find((e: Payload) => e.action === action && e.installation) ??
    definition?.examples.find((e: Payload) => e.action === action);
  if (!found) throw new Error(`no example for ${name}.${action}`);
  const payload = structuredClone(found) as Payload;
  payload.installation = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  if (payload.repository) {
    payload.repository.name = REPO;
    payload.repository.full_name = `${OWNER}/${REPO}`;
    payload.repository.owner.login = OWNER;
  }
  return payload;
}

export function pullRequestPayload(action: string, pull = { number: 7, author: "dana" }): Payload {
  const payload = example("pull_request", action === "edited" ? "opened" : action);
  payload.action = action;
  payload.number = pull.number;
  Object.assign(payload.pull_request, {
    number: pull.number,
    state: "open",
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${pull.number}`,
    user: { ...payload.pull_request.user, login: pull.author },
  });
  payload.pull_request.base.sha = BASE_SHA;
  payload.pull_request.head.sha = HEAD_SHA;
  return payload;
}

export function commentPayload(body: string, commenter: string, pullNumber = 7): Payload {
  const payload = example("issue_comment", "created");
  payload.issue.number = pullNumber;
  payload.issue.pull_request = { url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${pullNumber}` };
  payload.comment.body = body;
  payload.comment.user = { ...payload.comment.user, login: commenter, type: "User" };
  return payload;
}
