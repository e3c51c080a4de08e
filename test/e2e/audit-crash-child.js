// One life of the app for the crash test (audit-crash.e2e.test.ts): the built app (dist/) under a
// real Probot, talking to the GitHub stand-in, recording to a real audit store through the spool.
// It receives at most one webhook, then appends what waits and exits. With `killAfterPublish`, it
// dies by SIGKILL the moment the check run is published, before the decision reaches the store.
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createReadinessGate } from "../../dist/app/index.js";
import { openAuditStore } from "../../dist/audit/open-store.js";
import { createRecorder } from "../../dist/audit/recorder.js";

const config = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const recorder = createRecorder({
  connect: () => openAuditStore(config.databaseUrl),
  spoolPath: config.spoolPath,
  log: quiet,
});
const recording = config.killAfterPublish
  ? {
      ...recorder,
      // `release` is called right after the run is published: the point of the crash.
      hold: async (decisions) => {
        const held = await recorder.hold(decisions);
        return { release: () => process.kill(process.pid, "SIGKILL"), withdraw: held.withdraw };
      },
    }
  : recorder;

const probot = new Probot({
  appId: config.appId,
  privateKey: config.privateKey,
  baseUrl: config.baseUrl,
  Octokit: ProbotOctokit.defaults((o) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  log: pino({ level: "silent" }),
});
await probot.load(createReadinessGate({ recorder: recording }));
if (config.webhook) await probot.receive(config.webhook);
await recorder.drain();
await recorder.close();
process.exit(0);
