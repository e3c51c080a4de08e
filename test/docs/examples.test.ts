// The docs' examples against the engine, so an example can never again describe a policy that
// cannot pass: every YAML block in docs/*.md and README.md that is a whole policy (it has
// `version:`) loads without errors, and the repository docs/policy.md builds for its complete
// example — the blocks marked `<!-- file: PATH -->` — is `ready` there, as the docs say.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readBuiltinPack } from "../../src/assets/packs.js";
import { evaluate, loadEffectivePolicy } from "../../src/engine/evaluate.js";
import { memoryFacts } from "../../src/facts/memory.js";
import { loadPolicy } from "../../src/policy/index.js";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");
const PAGES = [
  "README.md",
  ...readdirSync(new URL("docs/", ROOT))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

interface Block {
  page: string;
  line: number;
  lang: string;
  text: string;
  /** The path of a `<!-- file: PATH -->` marker on the line before the fence. */
  file?: string;
}

/** Fenced blocks of a Markdown page, with the line they start on and the file marker above them. */
function blocks(page: string): Block[] {
  const lines = read(page).split("\n");
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    if (end < 0) break;
    const marker = /^<!-- file: (\S+) -->$/.exec(lines[i - 1] ?? "");
    found.push({
      page,
      line: i + 1,
      lang: open[2] ?? "",
      text: `${lines
        .slice(i + 1, end)
        .map((l) => l.slice(indent))
        .join("\n")}\n`,
      ...(marker?.[1] ? { file: marker[1] } : {}),
    });
    i = end;
  }
  return found;
}

const ALL = PAGES.flatMap(blocks);
const POLICIES = ALL.filter((b) => b.lang === "yaml" && /^version:/m.test(b.text));

describe("the docs' policy examples", () => {
  it("include the complete example and the README's minimal policy", () => {
    expect(POLICIES.map((b) => b.page)).toEqual(expect.arrayContaining(["README.md", "docs/policy.md"]));
  });

  it.each(POLICIES.map((b) => [`${b.page}:${b.line}`, b] as const))("%s loads without errors", (_, block) => {
    const loaded = loadPolicy(".github/readiness.yml", block.text, readBuiltinPack);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
  });
});

describe("the repository docs/policy.md builds for its complete example", () => {
  const files = ALL.filter((b) => b.page === "docs/policy.md" && b.file);
  const base = Object.fromEntries(
    files.filter((b) => b.file?.startsWith(".github/")).map((b) => [b.file as string, b.text]),
  );
  const head = { ...base, ...Object.fromEntries(files.map((b) => [b.file as string, b.text])) };

  it("is ready, every evidence gate that applies passing, once the people sign off", async () => {
    expect(Object.keys(base)).toEqual([".github/readiness.yml", ".github/CODEOWNERS"]);
    const facts = memoryFacts({ base, head });
    const policy = await loadEffectivePolicy(facts, { builtins: readBuiltinPack });
    if (!policy?.ok) throw new Error(`the example does not load: ${JSON.stringify(policy)}`);
    const evaluation = await evaluate({
      facts,
      policy,
      builtins: readBuiltinPack,
      now: new Date("2026-11-21T12:00:00Z"),
    });
    const failing = evaluation.artifacts.flatMap((a) =>
      a.gates
        .filter((g) => g.status !== "pass")
        .map((g) => `${a.root} ${g.gate}: ${g.status} ${g.reasons.join("; ")}`),
    );
    // The docs say the prompt's tier needs no privacy review; everything else passes.
    expect(failing).toEqual(["prompts/support privacy: skipped not required for tier medium (only high)"]);
    expect(evaluation.artifacts.map((a) => [a.root, a.kind, a.tier])).toEqual([
      ["models/churn", "model", "high"],
      ["prompts/support", "prompt", "medium"],
    ]);
    expect(evaluation.verdict).toBe("ready");
    expect(evaluation.approvals.map((a) => a.status)).toEqual(expect.arrayContaining(["not_checked"]));
  });

  it("fails the prompt on pass_rate only, not on the model's metrics, when its results fall short", async () => {
    const promptResults = "prompts/support/eval/results.json";
    const short = (head[promptResults] as string).replace(/"failures": \d+/, '"failures": 20');
    const facts = memoryFacts({ base, head: { ...head, [promptResults]: short } });
    const policy = await loadEffectivePolicy(facts, { builtins: readBuiltinPack });
    if (!policy?.ok) throw new Error("the example does not load");
    const evaluation = await evaluate({
      facts,
      policy,
      builtins: readBuiltinPack,
      now: new Date("2026-11-21T12:00:00Z"),
    });
    const prompt = evaluation.artifacts.find((a) => a.root === "prompts/support");
    expect(prompt?.gates.find((g) => g.gate === "evaluation")?.reasons).toEqual([
      expect.stringMatching(/^pass_rate 0\.\d+ is below the minimum 0\.95$/),
    ]);
  });
});
