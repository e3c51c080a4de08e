// The app's log: the one Probot would make (pino through Probot's formatting, from the same LOG_*
// variables), except that a webhook refused for its signature is one warning line. Probot logs
// that refusal twice as an error with a stack trace and the delivery's whole payload: noise when
// anyone on the internet can post to the webhook URL, and hostile text in the log.
import { getTransformStream } from "@probot/pino";
import { type Logger, pino } from "pino";

const BAD_SIGNATURE = "signature does not match event payload and secret";
const CLIP = 100;
const ERROR = 50; // pino's level number

export const BAD_SIGNATURE_WARNING =
  "webhook refused: its signature does not match WEBHOOK_SECRET. If every delivery is refused, set " +
  "WEBHOOK_SECRET to the webhook secret of the GitHub App (its settings page, General, Webhook secret).";

/** Probot's logger with the refusal rewritten; `destination` is standard output unless given (tests). */
export async function probotLog(
  env: NodeJS.ProcessEnv = process.env,
  destination?: NodeJS.WritableStream,
): Promise<Logger> {
  // As Probot's readEnvOptions and getLog read them.
  const logFormat = env.LOG_FORMAT
    ? env.LOG_FORMAT === "pretty"
      ? "pretty"
      : "json"
    : env.NODE_ENV === "production"
      ? "json"
      : "pretty";
  const transform = await getTransformStream({
    logFormat,
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  });
  // Standard output as Probot writes it (pino's SonicBoom, a writable stream without Node's typing).
  transform.pipe(destination ?? (pino.destination(1) as unknown as NodeJS.WritableStream));
  return pino(
    {
      level: env.LOG_LEVEL || "info",
      name: "probot",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      hooks: {
        logMethod(args, method, level) {
          const refused = level >= ERROR ? badSignature(args[0]) : undefined;
          if (refused === undefined) return method.apply(this, args);
          // Probot's error handler logs the refusal, then the webhook middleware logs it again
          // wrapped in an AggregateError: the first becomes the warning, the second is dropped.
          if (refused.wrapped) return;
          this.warn({ event: refused.event, delivery: refused.delivery }, BAD_SIGNATURE_WARNING);
        },
      },
    },
    transform,
  );
}

interface Refusal {
  wrapped: boolean;
  event?: string;
  delivery?: string;
}

function badSignature(logged: unknown): Refusal | undefined {
  if (logged instanceof AggregateError) {
    return logged.errors.some((e) => badSignature(e) !== undefined) ? { wrapped: true } : undefined;
  }
  if (!(logged instanceof Error) || !logged.message.includes(BAD_SIGNATURE)) return undefined;
  // The delivery's headers are the sender's text: clipped, and only these two.
  const event = (logged as Error & { event?: { name?: unknown; id?: unknown } }).event;
  return {
    wrapped: false,
    ...(typeof event?.name === "string" ? { event: event.name.slice(0, CLIP) } : {}),
    ...(typeof event?.id === "string" ? { delivery: event.id.slice(0, CLIP) } : {}),
  };
}
