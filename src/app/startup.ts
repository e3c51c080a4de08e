// Refuses to start a production server that would accept forged webhooks: Probot falls back to
// the secret "development" when WEBHOOK_SECRET is unset.
export const DEVELOPMENT_SECRET = "development";

/** Why the app must not start, or undefined. */
export function startupProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV !== "production") return undefined;
  const secret = env.WEBHOOK_SECRET;
  if (!secret)
    return "WEBHOOK_SECRET is not set. In production it is mandatory: set it to the webhook secret of the GitHub App.";
  if (secret === DEVELOPMENT_SECRET) {
    return `WEBHOOK_SECRET is Probot's development default "${DEVELOPMENT_SECRET}". Set it to the webhook secret of the GitHub App.`;
  }
  return undefined;
}
