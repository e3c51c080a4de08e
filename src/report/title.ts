// The check run's title: what GitHub shows in the merge box beside the conclusion (outcome.ts).
import type { Evaluation } from "../engine/types.js";
import { wouldBlock } from "./outcome.js";
import { tally } from "./tally.js";
import { capitalize, mention, plural } from "./words.js";

/** What is wrong, without the verdict word: `3 items to fix in 2 artifacts`, `awaiting 2 approvals`. */
function problem(e: Evaluation): string {
  const counts = tally(e);
  switch (e.verdict) {
    case "blocked": {
      if (counts.gates.fail === 0) return plural(Math.max(e.errors.length, 1), "error");
      return `${plural(counts.gates.fail, "item")} to fix in ${plural(counts.failingArtifacts, "artifact")}`;
    }
    case "awaiting_approval": {
      const waits = [
        counts.missingApprovals > 0 ? plural(counts.missingApprovals, "approval") : "",
        counts.gates.pending > 0 ? plural(counts.gates.pending, "sign-off") : "",
      ].filter(Boolean);
      return waits.length > 0 ? `awaiting ${waits.join(" and ")}` : "awaiting approval";
    }
    case "policy_error": {
      const files = [...new Set(e.errors.map((error) => error.path))];
      const what = e.errors.length > 1 ? plural(e.errors.length, "policy error") : "policy error";
      if (files.length === 0) return what;
      return `${what} in ${files.length === 1 ? files[0] : plural(files.length, "file")}`;
    }
    case "overridden":
      return e.override ? `overridden by ${mention(e.override.by)}` : "overridden";
    case "not_governed":
      return "no governed artifacts changed";
    case "ready":
      return "ready";
  }
}

/** A short title: `Blocked: 3 items to fix in 2 artifacts`, `Ready`, `Advisory — would block: …`. */
export function checkTitle(e: Evaluation): string {
  const what = problem(e);
  if (e.enforcement === "advisory" && wouldBlock(e)) return `Advisory — would block: ${what}`;
  return e.verdict === "blocked" ? `Blocked: ${what}` : capitalize(what);
}
