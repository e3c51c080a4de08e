// `/readiness <command>` at the start of a PR comment. Anything else is ignored without a reply:
// in a repository without a policy the app must post nothing at all.
export type Command = { kind: "recheck" } | { kind: "override"; reason: string };

const COMMAND = /^\/readiness[ \t]+(recheck|override)\b([\s\S]*)$/i;

export function parseCommand(body: string): Command | undefined {
  const match = COMMAND.exec(body.trim());
  if (!match) return undefined;
  if (match[1]?.toLowerCase() === "recheck") return { kind: "recheck" };
  return { kind: "override", reason: (match[2] ?? "").trim() };
}
