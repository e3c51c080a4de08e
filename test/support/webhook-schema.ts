// GitHub's webhook payload schemas (@octokit/openapi-webhooks, api.github.com): a payload a test
// delivers to the app must be one GitHub could send, or the test proves nothing about GitHub.
// The document is read once, on first use; each event/action's schema is compiled once, when a
// payload of that kind is first checked (ajv compiles only what that schema refers to).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS: its plugin is the module or its `default`, depending on the loader.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

interface WebhookOperation {
  operationId: string;
  "x-github": { subcategory: string };
  requestBody: { content: { "application/json": { schema: { $ref: string } } } };
}

interface WebhookDocument {
  webhooks: Record<string, { post: WebhookOperation }>;
  components: Record<string, unknown>;
}

const DOCUMENT = "github-webhooks";

interface Schemas {
  ajv: Ajv2020;
  /** `event` or `event.action` (GitHub's spelling, underscores) → the payload schema's $ref. */
  refs: Map<string, string>;
  compiled: Map<string, ValidateFunction>;
}

let schemas: Schemas | undefined;

function load(): Schemas {
  if (schemas) return schemas;
  const pkg = createRequire(import.meta.url).resolve("@octokit/openapi-webhooks/package.json");
  const doc = JSON.parse(
    readFileSync(join(dirname(pkg), "generated/api.github.com.json"), "utf8"),
  ) as WebhookDocument;
  const refs = new Map<string, string>();
  for (const { post } of Object.values(doc.webhooks)) {
    // operationId is `event-with-dashes/action-with-dashes`; the event's own name is the subcategory.
    const action = post.operationId.split("/")[1];
    const event = post["x-github"].subcategory;
    const key = action === undefined ? event : `${event}.${action.replaceAll("-", "_")}`;
    refs.set(key, post.requestBody.content["application/json"].schema.$ref);
  }
  // strict: false — the document carries OpenAPI keywords (x-github, discriminator…) ajv does not know.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: doc.components }, DOCUMENT);
  schemas = { ajv, refs, compiled: new Map() };
  return schemas;
}

/** The schema key of a payload: `event.action`, or `event` for events without actions (push). */
export function webhookKind(event: string, payload: unknown): string {
  const action = (payload as { action?: unknown } | null)?.action;
  return typeof action === "string" ? `${event}.${action}` : event;
}

/** Whether GitHub documents a webhook of this kind (`pull_request.opened`, `push`). */
export function isKnownWebhook(kind: string): boolean {
  return load().refs.has(kind);
}

/**
 * What is wrong with `payload` as GitHub's `event` webhook, one line per problem naming the JSON
 * path (`pull_request.head.repo: must have required property 'has_discussions'`); empty when it
 * is a payload GitHub could send.
 */
export function webhookProblems(event: string, payload: unknown): string[] {
  const kind = webhookKind(event, payload);
  const { ajv, refs, compiled } = load();
  let validate = compiled.get(kind);
  if (!validate) {
    const ref = refs.get(kind);
    if (!ref) return [`GitHub sends no "${kind}" webhook (not in @octokit/openapi-webhooks)`];
    const found = ajv.getSchema(`${DOCUMENT}${ref}`);
    if (!found) throw new Error(`@octokit/openapi-webhooks: ${ref} of "${kind}" does not resolve`);
    validate = found;
    compiled.set(kind, validate);
  }
  if (validate(payload)) return [];
  return describe(kind, validate.errors ?? []);
}

/** Throws, listing every problem, unless `payload` is a `event` webhook GitHub could send. */
export function assertGitHubWebhook(event: string, payload: unknown): void {
  const problems = webhookProblems(event, payload);
  if (problems.length === 0) return;
  throw new Error(
    `not a ${webhookKind(event, payload)} webhook GitHub would send:\n  ${problems.join("\n  ")}`,
  );
}

function describe(kind: string, errors: ErrorObject[]): string[] {
  const lines = errors.map((e) => {
    // A JSON pointer (`/pull_request/labels/0`) as a path a person reads (`pull_request.labels[0]`).
    const path = e.instancePath
      .split("/")
      .slice(1)
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
    return `${path || kind}: ${e.message ?? e.keyword}`;
  });
  return [...new Set(lines)];
}
