import * as childProcess from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { gitBlobSha } from "../../src/facts/blob-sha.js";
import { gitFacts, UsageError } from "../../src/facts/git.js";
import { parseNameStatus } from "../../src/facts/git-diff.js";
import { EVIDENCE_SIZE_LIMIT, type Facts } from "../../src/facts/types.js";
import { makeRepo, type TestRepo } from "./git-repo.js";

// Wrap execFile so tests can see which git commands the facts ran.
vi.mock("node:child_process", async (importOriginal) => {
  const original = await importOriginal<typeof childProcess>();
  return { ...original, execFile: vi.fn(original.execFile) };
});
const execFile = vi.mocked(childProcess.execFile);
const gitCalls = (): string[][] => execFile.mock.calls.map((call) => call[1] as string[]);

const BIG = EVIDENCE_SIZE_LIMIT + 1024 * 1024;

/** `git hash-object --stdin`, run outside any repository. */
function hashObject(content: string | Uint8Array): string {
  return childProcess
    .execFileSync("git", ["hash-object", "--stdin"], { input: content, encoding: "utf8" })
    .trim();
}

describe("gitFacts", () => {
  let repo: TestRepo;
  let baseSha: string;
  let headSha: string;
  let facts: Facts;

  beforeAll(async () => {
    repo = makeRepo();
    repo.write("models/churn/model.py", "print('v1')\n");
    repo.write("models/churn/eval/results.json", '{"metrics":{"accuracy":0.9}}\n');
    repo.write("models/churn/ROLLBACK.md", "# Rollback\n");
    repo.write("models/old/model.py", "old\n");
    repo.write("prompts/a/prompt.txt", "a long enough prompt text that git will detect a rename of it\n");
    repo.write("models/churnish/x.txt", "sibling with a shared prefix\n");
    baseSha = repo.commit("base");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("models/churn/model.py", "print('v2')\n");
    repo.write("models/churn/weights.bin", new Uint8Array(BIG));
    repo.write("dir with space/ünï cödé.txt", "odd path\n");
    repo.git("rm", "-q", "-r", "models/old");
    repo.move("prompts/a/prompt.txt", "prompts/b/prompt.txt");
    headSha = repo.commit("head");
    // A later commit on main must not show up: the diff is three-dot (since the merge base).
    repo.git("checkout", "-q", "main");
    repo.write("unrelated.txt", "main moved on\n");
    repo.commit("main moves");
    facts = await gitFacts({ repo: repo.dir, base: "main", head: "feature" });
  });
  afterAll(() => repo.remove());
  beforeEach(() => {
    execFile.mockClear();
  });

  it("resolves both refs to commit SHAs", () => {
    expect(facts.baseSha).toBe(repo.git("rev-parse", "main"));
    expect(facts.headSha).toBe(headSha);
    expect(baseSha).not.toBe(facts.baseSha);
  });

  it("lists added, modified, removed and renamed files since the merge base", async () => {
    const { files } = await facts.changedFiles();
    expect([...files].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: "dir with space/ünï cödé.txt", status: "added" },
      { path: "models/churn/model.py", status: "modified" },
      { path: "models/churn/weights.bin", status: "added" },
      { path: "models/old/model.py", status: "removed" },
      { path: "prompts/b/prompt.txt", status: "renamed", previousPath: "prompts/a/prompt.txt" },
    ]);
  });

  it("reads both sides of a rename", async () => {
    const text = (read: Awaited<ReturnType<Facts["readFile"]>>) =>
      read.kind === "ok" ? new TextDecoder().decode(read.bytes) : read.kind;
    expect(text(await facts.readFile("base", "prompts/a/prompt.txt"))).toMatch(/^a long enough/);
    expect(await facts.readFile("base", "prompts/b/prompt.txt")).toEqual({ kind: "missing" });
    expect(text(await facts.readFile("head", "prompts/b/prompt.txt"))).toMatch(/^a long enough/);
    expect(await facts.readFile("head", "prompts/a/prompt.txt")).toEqual({ kind: "missing" });
  });

  it("reads each side's content, with the blob SHA git gives it", async () => {
    const base = await facts.readFile("base", "models/churn/model.py");
    const head = await facts.readFile("head", "models/churn/model.py");
    expect(base.kind === "ok" && new TextDecoder().decode(base.bytes)).toBe("print('v1')\n");
    expect(head.kind === "ok" && new TextDecoder().decode(head.bytes)).toBe("print('v2')\n");
    expect(head.kind === "ok" && head.sha).toBe(repo.git("rev-parse", "feature:models/churn/model.py"));
  });

  it("reports missing files, directories and removed files as missing", async () => {
    expect(await facts.readFile("head", "models/churn/nope.json")).toEqual({ kind: "missing" });
    expect(await facts.readFile("head", "models/churn")).toEqual({ kind: "missing" });
    expect(await facts.readFile("head", "models/old/model.py")).toEqual({ kind: "missing" });
    expect((await facts.readFile("base", "models/old/model.py")).kind).toBe("ok");
  });

  it("refuses paths that leave the repository", async () => {
    expect((await facts.readFile("head", "../etc/passwd")).kind).toBe("unreadable");
    expect((await facts.readFile("head", "/etc/passwd")).kind).toBe("unreadable");
    expect((await facts.readFile("head", "models/churn/./model.py")).kind).toBe("ok");
  });

  it("reports a file over the size limit as too large without reading it", async () => {
    expect(await facts.readFile("head", "models/churn/weights.bin")).toEqual({
      kind: "too_large",
      size: BIG,
      limit: EVIDENCE_SIZE_LIMIT,
    });
    expect(gitCalls().some((args) => args.includes("cat-file"))).toBe(false);
  });

  it("lists files below a directory with blob SHAs equal to git hash-object", async () => {
    const listed = await facts.listFiles("head", "models/churn");
    expect(listed.map((f) => f.path).sort()).toEqual([
      "models/churn/ROLLBACK.md",
      "models/churn/eval/results.json",
      "models/churn/model.py",
      "models/churn/weights.bin",
    ]);
    for (const file of listed) {
      const content = childProcess.execFileSync("git", ["cat-file", "blob", `feature:${file.path}`], {
        cwd: repo.dir,
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(file.sha).toBe(hashObject(content));
    }
    expect(await facts.listFiles("head", "models/old")).toEqual([]);
    expect((await facts.listFiles("base", "models/old")).map((f) => f.path)).toEqual(["models/old/model.py"]);
    expect((await facts.listFiles("head", "models/churn/")).length).toBe(4);
    expect((await facts.listFiles("head", "")).length).toBe(7);
  });

  it("lists a side's tree once, however many directories are asked for", async () => {
    const fresh = await gitFacts({ repo: repo.dir, base: "main", head: "feature" });
    execFile.mockClear();
    await Promise.all(
      ["models/churn", "models/old", "prompts", "x", ""].map((dir) => fresh.listFiles("head", dir)),
    );
    await fresh.readFile("head", "models/churn/model.py");
    expect(gitCalls().filter((args) => args.includes("ls-tree"))).toHaveLength(1);
  });

  it("gives repository-relative paths when run from a subdirectory", async () => {
    repo.git("config", "diff.relative", "true");
    try {
      const sub = await gitFacts({ repo: `${repo.dir}/models`, base: "main", head: "feature" });
      expect((await sub.changedFiles()).files.map((f) => f.path)).toContain("prompts/b/prompt.txt");
      expect((await sub.listFiles("head", "prompts")).map((f) => f.path)).toEqual(["prompts/b/prompt.txt"]);
      expect((await sub.readFile("head", "models/churn/model.py")).kind).toBe("ok");
    } finally {
      repo.git("config", "--unset", "diff.relative");
    }
  });

  it("hashes like git hash-object", () => {
    for (const content of ["print('v2')\n", "", "ünï\0cödé", new Uint8Array([0, 255, 10, 13])]) {
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
      expect(gitBlobSha(bytes)).toBe(hashObject(bytes));
    }
  });

  it("fails with a clear usage error on a bad ref", async () => {
    await expect(gitFacts({ repo: repo.dir, base: "nope", head: "HEAD" })).rejects.toThrow(UsageError);
    await expect(gitFacts({ repo: repo.dir, base: "main", head: "nope" })).rejects.toThrow(
      /cannot resolve the head ref "nope" to a commit/,
    );
    await expect(gitFacts({ repo: repo.dir, base: "--output=/tmp/x", head: "HEAD" })).rejects.toThrow(
      /invalid base ref/,
    );
  });

  it("fails with a usage error outside a repository, or without a common ancestor", async () => {
    await expect(gitFacts({ repo: "/", base: "main", head: "HEAD" })).rejects.toThrow(/not a git repository/);
    repo.git("checkout", "-q", "--orphan", "island");
    repo.git("rm", "-q", "-r", "--cached", ".");
    repo.commit("unrelated history");
    await expect(gitFacts({ repo: repo.dir, base: "main", head: "island" })).rejects.toThrow(
      /no common ancestor/,
    );
  });
});

describe("gitFacts with symbolic links and submodules", () => {
  let repo: TestRepo;
  let facts: Facts;
  const pinned = "c".repeat(40);

  beforeAll(async () => {
    repo = makeRepo();
    repo.write("models/churn/model.py", "v1\n");
    repo.write("shadow/fraud/model.py", "unreviewed\n");
    repo.commit("base");
    repo.git("checkout", "-q", "-b", "feature");
    symlinkSync("../shadow/fraud", join(repo.dir, "models/fraud"));
    symlinkSync("../../shadow/fraud/model.py", join(repo.dir, "models/churn/weights.py"));
    repo.git("add", "-A");
    // A submodule as git records it: a gitlink (mode 160000) pinning a commit.
    repo.git("update-index", "--add", "--cacheinfo", `160000,${pinned},models/llm`);
    repo.git("commit", "-q", "-m", "head");
    facts = await gitFacts({ repo: repo.dir, base: "main", head: "feature" });
  });
  afterAll(() => repo.remove());

  it("lists them among the changed files", async () => {
    expect((await facts.changedFiles()).files.map((f) => `${f.status} ${f.path}`).sort()).toEqual([
      "added models/churn/weights.py",
      "added models/fraud",
      "added models/llm",
    ]);
  });

  it("lists them below a directory, marked, never silently left out", async () => {
    expect(await facts.listFiles("head", "models")).toEqual(
      expect.arrayContaining([
        { path: "models/fraud", sha: hashObject("../shadow/fraud"), kind: "symlink" },
        { path: "models/churn/weights.py", sha: hashObject("../../shadow/fraud/model.py"), kind: "symlink" },
        { path: "models/llm", sha: pinned, kind: "submodule" },
      ]),
    );
    expect(await facts.listFiles("head", "models/churn")).toContainEqual({
      path: "models/churn/model.py",
      sha: hashObject("v1\n"),
    });
  });

  it("says what each path is at each side", async () => {
    expect(await facts.entryKind("head", "models/fraud")).toBe("symlink");
    expect(await facts.entryKind("head", "models/llm")).toBe("submodule");
    expect(await facts.entryKind("head", "models/churn/model.py")).toBe("file");
    expect(await facts.entryKind("head", "models/churn")).toBe("directory");
    expect(await facts.entryKind("head", "models")).toBe("directory");
    expect(await facts.entryKind("base", "models/fraud")).toBe("missing");
    expect(await facts.entryKind("head", "models/churn/model")).toBe("missing");
  });
});

describe("parseNameStatus", () => {
  it("parses every status git prints", () => {
    const out = [
      "A",
      "a",
      "M",
      "m",
      "T",
      "t",
      "D",
      "d",
      "R100",
      "old",
      "new",
      "C075",
      "src",
      "copy",
      "",
    ].join("\0");
    expect(parseNameStatus(out)).toEqual([
      { path: "a", status: "added" },
      { path: "m", status: "modified" },
      { path: "t", status: "modified" },
      { path: "d", status: "removed" },
      { path: "new", status: "renamed", previousPath: "old" },
      { path: "copy", status: "added" },
    ]);
  });
});

describe("gitFacts in a shallow clone", () => {
  let origin: TestRepo;
  let clone: string;

  beforeAll(() => {
    origin = makeRepo();
    origin.write("models/a/model.py", "v1\n");
    origin.commit("base");
    origin.git("checkout", "-q", "-b", "feature");
    origin.write("models/a/model.py", "v2\n");
    origin.commit("feature");
    origin.git("checkout", "-q", "main");
    origin.write("README.md", "main moved on\n");
    origin.commit("main moves");
    // What actions/checkout does by default: the tips only, one commit deep.
    clone = mkdtempSync(join(tmpdir(), "readiness-gate-shallow-"));
    childProcess.execFileSync("git", [
      "clone",
      "-q",
      "--depth",
      "1",
      "--no-single-branch",
      `file://${origin.dir}`,
      clone,
    ]);
  });
  afterAll(() => {
    origin.remove();
    rmSync(clone, { recursive: true, force: true });
  });

  it("says to fetch the history (fetch-depth: 0) when base and head have no common ancestor", async () => {
    const facts = gitFacts({ repo: clone, base: "origin/main", head: "origin/feature" });
    await expect(facts).rejects.toThrow(UsageError);
    await expect(facts).rejects.toThrow(
      /origin\/main and head origin\/feature have no common ancestor — this is a shallow clone.*`fetch-depth: 0`/,
    );
  });

  it("says the same when the base was not fetched at all", async () => {
    await expect(gitFacts({ repo: clone, base: "origin/release", head: "HEAD" })).rejects.toThrow(
      /cannot resolve the base ref "origin\/release".* — this is a shallow clone.*fetch the full history/,
    );
  });

  it("works once the history is fetched", async () => {
    childProcess.execFileSync("git", ["-C", clone, "fetch", "-q", "--unshallow"]);
    const facts = await gitFacts({ repo: clone, base: "origin/main", head: "origin/feature" });
    expect((await facts.changedFiles()).files).toEqual([{ path: "models/a/model.py", status: "modified" }]);
  });
});
