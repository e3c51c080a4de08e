// One writer process of bench/audit.js: opens the store, says ready, appends COUNT decisions one
// per transaction when told to go, and reports how long that took.
import { openAuditStore } from "../dist/audit/open-store.js";
import { benchDecision } from "./audit-decision.js";

const [url, schema, count, tag] = process.argv.slice(2);
const store = await openAuditStore(url, schema ? { schema } : {});
await new Promise((go) => {
  process.once("message", go);
  process.send("ready");
});
const started = performance.now();
for (let i = 1; i <= Number(count); i++) await store.append(benchDecision(i, tag));
const ms = performance.now() - started;
await store.close();
process.send({ ms });
process.disconnect();
