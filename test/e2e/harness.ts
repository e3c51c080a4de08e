// End-to-end harness: the GitHub stand-in plus the built app (`node dist/app/main.js`) as a
// real child process, and signed webhooks built from the stand-in's state.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { CheckRunRecord, PullRequestRecord, RepoRecord } from "../support/github-standin/records.js";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-standin.js";
import { assertGitHubWebhook } from "../support/webhook-schema.js";
import { Webhooks } from "./webhooks.js";

export const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
export const SECRET = "e2e-secret";
export const CHECK_NAME = "Readiness gate";

/** Compiles the app to dist/ (what `npm start` runs). */
export function buildApp(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
}

async function freePort(): Promise<number> {
  return await new Promise((res, rej) => {
    const server = createServer();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `probe` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export interface Delivery {
  id: string;
  status: number;
  body: string;
}

/** One replica of the app: `node dist/app/main.js` as a child process, its output kept. */
export class AppProcess {
  private output = "";
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly cwd: string,
    private readonly installation: Record<string, unknown>,
  ) {
    child.stdout?.on("data", (d: Buffer) => {
      this.output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      this.output += d.toString();
    });
  }

  /** What the app printed (LOG_LEVEL=warn unless told otherwise): warnings and errors. */
  get logs(): string {
    return this.output;
  }

  /** Starts a replica against the stand-in; `extraEnv` adds to (or, with `undefined`, removes from) its environment. */
  static async start(gh: GitHubStandIn, extraEnv: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
    const port = await freePort();
    // A fresh working directory: no .env, and the (future) embedded audit store lands here.
    const cwd = mkdtempSync(join(tmpdir(), "readiness-e2e-"));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GHE_HOST: gh.url,
      GHE_PROTOCOL: "http",
      APP_ID: String(gh.app.id),
      PRIVATE_KEY: gh.appPrivateKey,
      WEBHOOK_SECRET: SECRET,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      ...extraEnv,
    };
    const child = spawn(process.execPath, [join(ROOT, "dist/app/main.js")], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const app = new AppProcess(child, port, cwd, gh.render.installation(gh.installationId));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const problem =
        child.exitCode !== null
          ? `app exited with ${child.exitCode}`
          : Date.now() > deadline
            ? "app did not become healthy"
            : undefined;
      if (problem) {
        await app.stop(); // nothing may outlive a failed start: the process, the directory
        throw new Error(`${problem}:\n${app.logs}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    return app;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      this.child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (this.child.exitCode === null) this.child.kill("SIGKILL");
    }
    rmSync(this.cwd, { recursive: true, force: true });
  }

  /** Sends a signed webhook; `body` is sent byte for byte as given (for redeliveries). */
  async sendRaw(event: string, body: string, id: string = randomUUID()): Promise<Delivery> {
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const res = await fetch(`http://127.0.0.1:${this.port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": id,
        "x-hub-signature-256": signature,
        "user-agent": "GitHub-Hookshot/e2e",
      },
      body,
    });
    await res.text();
    return { id, status: res.status, body };
  }

  /**
   * Sends `payload` as the installation's webhook; one GitHub would never send (checked against
   * its webhook schema) fails the test that sent it.
   */
  async send(event: string, payload: Record<string, unknown>, id?: string): Promise<Delivery> {
    const delivered = { ...payload, installation: this.installation };
    assertGitHubWebhook(event, delivered);
    return this.sendRaw(event, JSON.stringify(delivered), id);
  }
}

export class E2E {
  readonly hooks: Webhooks;
  private readonly replicas: AppProcess[] = [];

  private constructor(
    readonly gh: GitHubStandIn,
    readonly app: AppProcess,
  ) {
    this.hooks = new Webhooks(gh);
  }

  get child(): ChildProcess {
    return this.app.child;
  }

  get port(): number {
    return this.app.port;
  }

  /** What the app printed (LOG_LEVEL=warn): warnings and errors. */
  get logs(): string {
    return this.app.logs;
  }

  /** `extraEnv` adds to (or, with `undefined`, removes from) the app's environment. */
  static async start(extraEnv: NodeJS.ProcessEnv = {}): Promise<E2E> {
    const gh = await startGitHubStandIn();
    try {
      return new E2E(gh, await AppProcess.start(gh, extraEnv));
    } catch (error) {
      await gh.close();
      throw error;
    }
  }

  /** Another replica of the app against the same stand-in (stopped with this one). */
  async startReplica(extraEnv: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
    const replica = await AppProcess.start(this.gh, extraEnv);
    this.replicas.push(replica);
    return replica;
  }

  async stop(): Promise<void> {
    await Promise.all([this.app, ...this.replicas].map((app) => app.stop()));
    await this.gh.close();
  }

  sendRaw(event: string, body: string, id?: string): Promise<Delivery> {
    return this.app.sendRaw(event, body, id);
  }

  send(event: string, payload: Record<string, unknown>, id?: string): Promise<Delivery> {
    return this.app.send(event, payload, id);
  }

  repo(name: string): RepoRecord {
    return this.gh.repo(name);
  }

  pullRequestPayload(repoName: string, number: number, action: string, sender?: string) {
    return this.hooks.pullRequest(repoName, number, action, sender);
  }

  async pullRequestEvent(repoName: string, number: number, action = "opened", sender?: string) {
    return this.send("pull_request", this.pullRequestPayload(repoName, number, action, sender));
  }

  /**
   * Retargets the PR to `base` in the stand-in, then sends what GitHub sends:
   * `pull_request.edited` with `changes.base` naming the old base.
   */
  async retarget(repoName: string, number: number, base: string, sender?: string) {
    return this.send("pull_request", this.hooks.retarget(repoName, number, base, sender));
  }

  async reviewEvent(repoName: string, number: number, reviewId: number, action = "submitted") {
    return this.send("pull_request_review", this.hooks.review(repoName, number, reviewId, action));
  }

  async commentEvent(repoName: string, number: number, commentId: number) {
    return this.send("issue_comment", this.hooks.comment(repoName, number, commentId));
  }

  /** Our check runs on the PR's current head. */
  runs(repoName: string, number: number): CheckRunRecord[] {
    const pr: PullRequestRecord = this.gh.pullRequest(repoName, number);
    return this.gh
      .checkRunsFor(repoName, pr.head.sha)
      .filter((r) => r.name === CHECK_NAME && r.app_id === this.gh.app.id);
  }

  /** Waits until the PR's head has a run of ours matching `accept` (by default: any completed run). */
  async waitForRun(
    repoName: string,
    number: number,
    accept: (run: CheckRunRecord) => boolean = (r) => r.status === "completed",
    timeoutMs = 10_000,
  ): Promise<CheckRunRecord> {
    try {
      return await waitFor(
        `a "${CHECK_NAME}" run on ${repoName}#${number}`,
        () => {
          const runs = this.runs(repoName, number);
          const latest = runs[runs.length - 1];
          return latest && accept(latest) ? latest : undefined;
        },
        timeoutMs,
      );
    } catch (error) {
      const runs = this.runs(repoName, number).map((r) => ({
        id: r.id,
        conclusion: r.conclusion,
        title: r.output.title,
        writes: r.writes,
      }));
      throw new Error(
        `${(error as Error).message}\nruns: ${JSON.stringify(runs)}\nviolations: ${JSON.stringify(this.gh.violations)}\napp logs:\n${this.logs.slice(-4000)}`,
      );
    }
  }

  /** Writes (creates and updates) of our runs on the PR's current head, so far. */
  runWrites(repoName: string, number: number): number {
    return this.runs(repoName, number).reduce((sum, r) => sum + r.writes, 0);
  }

  /**
   * Waits until the app writes a run on the PR's head again, after `before` writes (from
   * `runWrites`): the event was evaluated, whether or not the outcome changed. Returns the latest run.
   */
  async waitForWrite(repoName: string, number: number, before: number, timeoutMs = 10_000) {
    const run = await this.waitForRun(
      repoName,
      number,
      () => this.runWrites(repoName, number) > before,
      timeoutMs,
    );
    await this.settle();
    return this.runs(repoName, number).at(-1) ?? run;
  }

  /** Requests of the stand-in since `from` that touch `repoName`. */
  requestsFor(repoName: string, from = 0) {
    return this.gh.requests.slice(from).filter((r) => r.path.startsWith(`/repos/${repoName}/`));
  }

  /** Waits until the app has stopped sending requests for a while (the event is fully handled). */
  async settle(quietMs = 400, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let count = this.gh.requests.length;
    let since = Date.now();
    while (Date.now() < deadline) {
      await sleep(50);
      if (this.gh.requests.length !== count) {
        count = this.gh.requests.length;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return;
    }
  }
}

/**
 * Waits for the app to finish, then: GitHub would have accepted every request, and each GraphQL
 * query cost the minimum, 1 point of the 5,000 an hour.
 */
export async function expectClean(e2e: E2E): Promise<void> {
  await e2e.settle();
  expect(e2e.gh.violations).toEqual([]);
  expect(e2e.gh.unhandled.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  const costs = e2e.gh.requestsTo("POST /graphql").map((r) => r.graphqlCost ?? 0);
  expect(costs.filter((cost) => cost > 1)).toEqual([]);
}
