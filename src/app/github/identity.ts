// Who this app is on GitHub: its id (to pick our own check runs) and its bot login (to trust only
// our own override comments). Read once with the app's JWT and kept for the life of the process.
import type { Probot } from "probot";

export interface AppIdentity {
  id: number;
  slug: string;
  /** The login our installation tokens comment as, e.g. `readiness-gate[bot]`. */
  botLogin: string;
}

export function appIdentity(app: Probot): () => Promise<AppIdentity> {
  let cached: Promise<AppIdentity> | undefined;
  return () => {
    cached ??= read(app).catch((error: unknown) => {
      cached = undefined; // a transient failure must not stick for the life of the process
      throw error;
    });
    return cached;
  };
}

async function read(app: Probot): Promise<AppIdentity> {
  const octokit = await app.auth();
  const { data } = await octokit.request("GET /app");
  if (!data) throw new Error("GitHub did not describe this app (GET /app)");
  const slug = data.slug ?? String(data.id);
  return { id: data.id, slug, botLogin: `${slug}[bot]` };
}
