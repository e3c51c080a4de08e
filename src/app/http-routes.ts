// The operational endpoints, added to Probot's server next to the webhook route.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

export interface Probes {
  metrics: Registry;
  /**
   * Whether the app can serve events: "loaded" (templates compiled, handlers registered). When
   * the audit store lands, its reachability belongs here too (docs/app.md, "Running it").
   */
  ready: () => Promise<boolean>;
}

export function httpRoutes(probes: Probes) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    switch (path) {
      case "/healthz":
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return true;
      case "/readyz": {
        const ready = await probes.ready().catch(() => false);
        res.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "ready" : "not ready");
        return true;
      }
      case "/metrics":
        res
          .writeHead(200, { "content-type": probes.metrics.contentType })
          .end(await probes.metrics.metrics());
        return true;
      default:
        return false;
    }
  };
}
