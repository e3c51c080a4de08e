// The app under a real Probot in this process, talking HTTP to the GitHub stand-in: as faithful as
// the child-process harness (every request validated by the stand-in) but without a build, and
// with the app's log at hand. Several `InProcessApp`s on one stand-in are several replicas.
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createReadinessGate, type ServiceOptions } from "../../src/app/index.js";
import type { CheckRunRecord } from "../support/github-standin/records.js";
import type { GitHubStandIn } from "../support/github-standin.js";
import { assertGitHubWebhook } from "../support/webhook-schema.js";
import { CHECK_NAME } from "./harness.js";
import { type Payload, Webhooks } from "./webhooks.js";

type LogLine = Record<string, unknown> & { msg: string };

export class InProcessApp {
  readonly hooks: Webhooks;
  private deliveries = 0;

  private constructor(
    readonly gh: GitHubStandIn,
    readonly probot: Probot,
    /** Every line the app logged (info and above), parsed. */
    readonly log: LogLine[],
  ) {
    this.hooks = new Webhooks(gh);
  }

  static async start(gh: GitHubStandIn, options: ServiceOptions = {}): Promise<InProcessApp> {
    const lines: LogLine[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const probot = new Probot({
      appId: gh.app.id,
      privateKey: gh.appPrivateKey,
      baseUrl: gh.baseUrl,
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
        ...o,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
      log: pino({ level: "info" }, sink),
    });
    await probot.load(createReadinessGate(options));
    return new InProcessApp(gh, probot, lines);
  }

  /**
   * Handles one webhook to the end (every evaluation it starts written or skipped), delivered for
   * the installation that reaches the payload's repository, as GitHub does. A payload GitHub
   * would never send (checked against its webhook schema) fails the test that sent it.
   */
  async receive(name: string, payload: Payload): Promise<void> {
    const owner = (payload.repository as { owner?: { login?: string } } | undefined)?.owner?.login;
    const installation = owner === undefined ? this.gh.installationId : this.gh.installationOf(owner);
    const delivered = { ...payload, installation: this.gh.render.installation(installation) };
    assertGitHubWebhook(name, delivered);
    await this.probot.receive({ id: `delivery-${++this.deliveries}`, name, payload: delivered } as never);
  }

  /** Our check runs on a commit, oldest first. */
  runs(repoName: string, sha: string): CheckRunRecord[] {
    return this.gh
      .checkRunsFor(repoName, sha)
      .filter((r) => r.name === CHECK_NAME && r.app_id === this.gh.app.id);
  }

  /** What GitHub shows on the commit: our newest run. */
  shown(repoName: string, sha: string): CheckRunRecord {
    const run = this.runs(repoName, sha).at(-1);
    if (!run) throw new Error(`no ${CHECK_NAME} run on ${repoName}@${sha}`);
    return run;
  }

  /** Log lines whose message matches. */
  logged(message: RegExp): Array<Record<string, unknown>> {
    return this.log.filter((line) => message.test(line.msg));
  }
}
