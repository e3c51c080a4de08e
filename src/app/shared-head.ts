// The check run of a head that several open pull requests share: the report of the PR whose
// result decides (engine/combine.ts), with a line naming it and every other PR's verdict, so
// whoever sees the check on any of them learns why it holds.
import { mostRestrictive } from "../engine/combine.js";
import type { Evaluation } from "../engine/types.js";
import { type CheckRunOutput, checkRunOutput, checkRunTitle, GITHUB_TEXT_LIMIT } from "../report/index.js";
import { VERDICT_EMOJI, VERDICT_WORD } from "../report/words.js";
import { withDetails } from "./gather.js";
import type { CheckRunTarget } from "./publish.js";
import type { Services } from "./services.js";
import type { PullInfo } from "./target.js";

/** One open PR with the head, and its evaluation (a PR under no policy at all: `not_governed`). */
export interface PullResult {
  pull: PullInfo;
  evaluation: Evaluation;
}

interface SharedHead {
  decider: PullResult;
  /** Above the decider's report; empty when the PR is alone on its head. */
  note: string;
  /** The room the report has left under GitHub's cap once the note is added. */
  maxChars: number;
}

/** Which PR's result the run carries, and the line that says so. */
function sharedHead(results: readonly PullResult[]): SharedHead {
  const decider = mostRestrictive(
    results.map((r) => ({
      pull: r.pull.number,
      verdict: r.evaluation.verdict,
      enforcement: r.evaluation.enforcement,
      result: r,
    })),
  ).result;
  if (results.length < 2) return { decider, note: "", maxChars: GITHUB_TEXT_LIMIT };
  const each = [...results]
    .sort((a, b) => a.pull.number - b.pull.number)
    .map(({ pull, evaluation: e }) => {
      const advisory = e.enforcement === "advisory" ? " (advisory)" : "";
      return `[#${pull.number}](${pull.htmlUrl}) ${VERDICT_EMOJI[e.verdict]} ${VERDICT_WORD[e.verdict]}${advisory}`;
    });
  const note = [
    `> **${results.length} open pull requests have this head commit**, and GitHub shows one check for all of them: it carries the most restrictive result, that of **#${decider.pull.number}**. ${each.join(" · ")}`,
    "",
    "",
  ].join("\n");
  return { decider, note, maxChars: GITHUB_TEXT_LIMIT - note.length };
}

/** The decider's title, naming it when others share the head (GitHub caps titles at 255). */
function sharedTitle(title: string, decider: PullInfo, count: number): string {
  if (count < 2) return title;
  return checkRunTitle(`${title} — #${decider.number} of ${count} PRs on this commit`);
}

/**
 * Where the head's run goes and what it says: the evaluation alone (a merge group, a PR alone on
 * its head) or the deciding PR's report, named, when others share the head.
 */
export function headRun(
  services: Services,
  runTarget: CheckRunTarget,
  own: PullResult | undefined,
  evaluation: Evaluation,
  others: readonly PullResult[],
): { where: CheckRunTarget; output: CheckRunOutput; decider?: PullResult; pulls: number } {
  const results = [...(own ? [own] : []), ...others];
  if (results.length === 0) {
    const options = runTarget.detailsUrl ? { detailsUrl: runTarget.detailsUrl } : {};
    return { where: runTarget, output: checkRunOutput(evaluation, services.renderer, options), pulls: 0 };
  }
  const { decider, note, maxChars } = sharedHead(results);
  const where = withDetails(services, runTarget, decider.pull);
  const output = checkRunOutput(decider.evaluation, services.renderer, {
    ...(where.detailsUrl ? { detailsUrl: where.detailsUrl } : {}),
    maxChars,
  });
  if (results.length > 1) {
    output.summary = `${note}${output.summary}`;
    output.title = sharedTitle(output.title, decider.pull, results.length);
  }
  return { where, output, decider, pulls: results.length };
}
