// The operational endpoints, added to Probot's server next to the webhook route.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

export interface Probes {
  metrics: Registry;
  /**
   * Why the app cannot serve events yet, or undefined when it can ("loaded": templates compiled,
   * handlers registered; in Probot's setup mode, not registered) and the audit store answers
   * (startup.ts; docs/app.md, "Running it").
   */
  notReady: () => Promise<string | undefined>;
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
        const why = await probes.notReady().catch((error: unknown) => String(error));
        res
          .writeHead(why === undefined ? 200 : 503, { "content-type": "text/plain" })
          .end(why === undefined ? "ready" : `not ready: ${why}`);
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
