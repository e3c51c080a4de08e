// The REST handlers of the stand-in, keyed by OpenAPI operation ("METHOD /template").
import type { Handler } from "./http.js";
import { accountRoutes } from "./routes-accounts.js";
import { gitRoutes } from "./routes-git.js";
import { pullRoutes } from "./routes-pulls.js";
import { releaseRoutes } from "./routes-releases.js";

export type { Handler, RouteContext, RouteResult } from "./http.js";
export { HttpError } from "./http.js";

export const routes: Record<string, Handler> = {
  ...accountRoutes,
  ...gitRoutes,
  ...pullRoutes,
  ...releaseRoutes,
};
