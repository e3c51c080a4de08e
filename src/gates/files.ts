// Files gate: whatever sits under a governed root is governed, so a symbolic link or a submodule
// there fails its artifact closed. Both hide content the gate cannot read or bind: a link's target
// can change outside the artifact, and a submodule's files live in another repository. Shown only
// when it fails, so an ordinary artifact's row is unchanged.
import { Findings } from "./findings.js";
import type { EvidenceGate, GateInput, GateResult, HiddenEntry } from "./types.js";

export const filesGate: EvidenceGate = {
  name: "files",
  check: async (input) => checkFiles(input),
};

function checkFiles({ artifact }: GateInput): GateResult | undefined {
  if (artifact.removed || artifact.hiddenEntries.length === 0) return undefined;
  const findings = new Findings("files");
  for (const entry of artifact.hiddenEntries) {
    findings.fail(reason(entry, artifact.root), fix(entry), { path: entry.path });
  }
  return findings.result();
}

function reason(entry: HiddenEntry, root: string): string {
  const what = entry.path === root ? "the artifact itself" : `a path under ${root}`;
  if (entry.kind === "submodule") {
    return `${entry.path} is a submodule (${what}): its files live in another repository, where the gate cannot read or bind them`;
  }
  const why = entry.changed
    ? "the gate cannot read or bind the content it points to"
    : "this pull request changes files outside every governed artifact, and the link may point to them";
  return `${entry.path} is a symbolic link (${what}): ${why}`;
}

function fix(entry: HiddenEntry): string {
  return entry.kind === "submodule"
    ? `Replace the submodule ${entry.path} with the files themselves, committed in this repository.`
    : `Replace the symbolic link ${entry.path} with the files it points to.`;
}
