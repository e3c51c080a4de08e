// Engine benchmark (issue: "a synthetic PR of 3,000 changed files across 200 artifacts of 20
// kinds against a full policy"). Prints the median evaluation time and peak memory at 300, 3,000
// and 30,000 changed files, so growth can be read off. Run with `npm run bench`.
//
// Every artifact also has two document gates (issue 13): a Markdown monitoring plan and a YAML
// data lineage record, each with its sections or keys and a date.
//
// Each size starts with a few unmeasured evaluations, so the figures are those of a warm process
// (the app); the very first evaluation of the process (the command line's case) is printed apart.
import { evaluate, loadEffectivePolicy } from "../dist/engine/evaluate.js";
import { memoryFacts } from "../dist/facts/memory.js";
import { documents, policyText, privacyReview, rollbackPlan, withDocumentGates } from "./fixture.js";

const KINDS = 20;
const ARTIFACTS = 200;
const NOW = new Date("2026-11-21T12:00:00Z");

/** A repository of 200 artifacts and a PR changing `changed` content files spread across them. */
function repository(changed) {
  const base = {
    ".github/readiness.yml": withDocumentGates(policyText(KINDS, (k) => (k % 2 ? "high" : "medium"))),
    ".github/CODEOWNERS": "* @acme/ml\n",
  };
  const perArtifact = Math.ceil(changed / ARTIFACTS);
  const roots = [];
  for (let a = 0; a < ARTIFACTS; a++) {
    const root = `kind${a % KINDS}/artifact${a}`;
    roots.push(root);
    base[`${root}/artifact.yml`] = `owners: ["@owner${a}"]\ndata_categories: [usage]\n`;
    base[`${root}/eval/results.json`] = `{"metrics": {"accuracy": 0.95, "f1": 0.9}}`;
    base[`${root}/privacy-review.yml`] = privacyReview(NOW);
    base[`${root}/ROLLBACK.md`] = rollbackPlan(NOW);
    for (const [file, text] of Object.entries(documents(NOW))) base[`${root}/${file}`] = text;
    for (let f = 0; f < perArtifact; f++) base[`${root}/src/file${f}.py`] = `v = ${f}\n`;
  }
  const head = { ...base };
  let count = 0;
  for (let f = 0; f < perArtifact && count < changed; f++) {
    for (const root of roots) {
      if (count >= changed) break;
      head[`${root}/src/file${f}.py`] = `v = ${f} + 1\n`;
      count++;
    }
  }
  for (const root of roots) head[`${root}/eval/results.json`] = `{"metrics": {"accuracy": 0.96, "f1": 0.91}}`;
  return { base, head };
}

const WARMUP = 3;
let cold;

async function measure(changed, runs) {
  const { base, head } = repository(changed);
  // The repository, like GitHub's copy of it, is made once. Every evaluation still reads each file
  // anew through its own cache (engine/cached-facts.ts); the in-memory source keeps nothing the
  // engine asks for between runs (it hashes a file only when its SHA is read, which no gate here
  // does). Made per run, its copy of both trees was garbage collected inside the measured time.
  const facts = memoryFacts({ base, head });
  const builtins = () => undefined;
  const times = [];
  let verdict;
  let peak = 0;
  for (let i = -WARMUP; i < runs; i++) {
    const started = process.hrtime.bigint();
    const policy = await loadEffectivePolicy(facts, { builtins });
    const evaluation = await evaluate({ facts, policy, builtins, now: NOW });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    cold ??= { changed, ms };
    if (i >= 0) times.push(ms);
    verdict = `${evaluation.verdict}, ${evaluation.artifacts.length} artifacts`;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return { changed, median, p90: times[Math.floor(times.length * 0.9)], peak, verdict };
}

const rows = [];
const sizes = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(",").map((n) => [Number(n), 30])
  : [
      [300, 30],
      [3000, 30],
      [30000, 7],
    ];
for (const [changed, runs] of sizes) {
  rows.push(await measure(changed, runs));
}
console.log(
  "engine evaluation (in-memory facts, full policy with two document gates, 200 artifacts of 20 kinds)",
);
console.log("changed files | median ms | p90 ms | peak RSS MB | result");
for (const r of rows) {
  console.log(
    `${String(r.changed).padStart(13)} | ${r.median.toFixed(1).padStart(9)} | ${r.p90.toFixed(1).padStart(6)} | ${(r.peak / 1048576).toFixed(0).padStart(11)} | ${r.verdict}`,
  );
}
const per = rows.map((r) => (r.median / r.changed) * 1000);
console.log(
  `microseconds per changed file: ${per.map((p) => p.toFixed(1)).join(" / ")} (300 / 3,000 / 30,000)`,
);
console.log(`first evaluation of the process (cold, ${cold.changed} files): ${cold.ms.toFixed(1)} ms`);
