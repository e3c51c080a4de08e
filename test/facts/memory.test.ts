import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { memoryFacts } from "../../src/facts/memory.js";
import { EVIDENCE_SIZE_LIMIT, type PeopleFacts } from "../../src/facts/types.js";

function hashObject(content: string | Uint8Array): string {
  return execFileSync("git", ["hash-object", "--stdin"], { input: content, encoding: "utf8" }).trim();
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("memoryFacts", () => {
  const facts = memoryFacts({
    base: {
      "models/churn/model.py": "v1\n",
      "models/churn/same.txt": "same\n",
      "models/old/model.py": "old\n",
    },
    head: {
      "models/churn/model.py": "v2\n",
      "models/churn/same.txt": new TextEncoder().encode("same\n"),
      "models/new/model.py": "new\n",
      "models/newer/x": new Uint8Array([0, 1, 2]),
    },
    baseSha: "b".repeat(40),
    headSha: "h".repeat(40),
  });

  it("derives added, removed and modified files when no change list is given", async () => {
    expect(await facts.changedFiles()).toEqual({
      files: [
        { path: "models/churn/model.py", status: "modified" },
        { path: "models/new/model.py", status: "added" },
        { path: "models/newer/x", status: "added" },
        { path: "models/old/model.py", status: "removed" },
      ],
    });
  });

  it("reads each side, with git's blob SHA", async () => {
    const head = await facts.readFile("head", "models/churn/model.py");
    expect(head.kind === "ok" && text(head.bytes)).toBe("v2\n");
    expect(head.kind === "ok" && head.sha).toBe(hashObject("v2\n"));
    const base = await facts.readFile("base", "models/churn/model.py");
    expect(base.kind === "ok" && text(base.bytes)).toBe("v1\n");
    expect(await facts.readFile("head", "models/old/model.py")).toEqual({ kind: "missing" });
    expect(await facts.readFile("head", "models/churn/./model.py")).toMatchObject({ kind: "ok" });
    expect((await facts.readFile("head", "../x")).kind).toBe("unreadable");
  });

  it("lists files below a directory with blob SHAs equal to git hash-object", async () => {
    expect(await facts.listFiles("head", "models/new")).toEqual([
      { path: "models/new/model.py", sha: hashObject("new\n") },
    ]);
    expect(await facts.listFiles("head", "models/newer/")).toEqual([
      { path: "models/newer/x", sha: hashObject(new Uint8Array([0, 1, 2])) },
    ]);
    expect((await facts.listFiles("base", "")).map((f) => f.path)).toEqual([
      "models/churn/model.py",
      "models/churn/same.txt",
      "models/old/model.py",
    ]);
    expect(await facts.listFiles("head", "models/old")).toEqual([]);
  });

  it("keeps the SHAs and people it is given", () => {
    expect(facts.baseSha).toBe("b".repeat(40));
    expect(facts.headSha).toBe("h".repeat(40));
    expect(facts.people).toBeUndefined();
    const people = { author: "octocat" } as PeopleFacts;
    expect(memoryFacts({ base: {}, head: {}, people }).people).toBe(people);
  });

  it("uses an explicit change list as given (renames included)", async () => {
    const changes = [
      { path: "prompts/b/p.txt", status: "renamed" as const, previousPath: "prompts/a/p.txt" },
    ];
    const renamed = memoryFacts({
      base: { "prompts/a/p.txt": "p" },
      head: { "prompts/b/p.txt": "p" },
      changes,
    });
    expect((await renamed.changedFiles()).files).toEqual(changes);
  });

  it("reports files over the size limit as too large", async () => {
    const big = new Uint8Array(EVIDENCE_SIZE_LIMIT + 1);
    const large = memoryFacts({ base: {}, head: { "models/a/weights.bin": big } });
    expect(await large.readFile("head", "models/a/weights.bin")).toEqual({
      kind: "too_large",
      size: EVIDENCE_SIZE_LIMIT + 1,
      limit: EVIDENCE_SIZE_LIMIT,
    });
  });

  it("refuses file maps with paths outside the repository", () => {
    expect(() => memoryFacts({ base: { "../x": "" }, head: {} })).toThrow(/not a repository path/);
  });

  describe("symbolic links and submodules", () => {
    const linked = memoryFacts({
      base: { "models/a/w.bin": "w", "models/b/lib": { submodule: "a".repeat(40) } },
      head: {
        "models/a/w.bin": { symlink: "../../shared/w.bin" },
        "models/b/lib": { submodule: "b".repeat(40) },
        "models/c": { symlink: "../shadow/c" },
      },
    });

    it("lists them, marked, with the link's blob SHA and the submodule's commit", async () => {
      expect(await linked.listFiles("head", "models")).toEqual([
        { path: "models/a/w.bin", sha: hashObject("../../shared/w.bin"), kind: "symlink" },
        { path: "models/b/lib", sha: "b".repeat(40), kind: "submodule" },
        { path: "models/c", sha: hashObject("../shadow/c"), kind: "symlink" },
      ]);
    });

    it("says what each path is, directories and missing paths included", async () => {
      expect(await linked.entryKind("head", "models/a/w.bin")).toBe("symlink");
      expect(await linked.entryKind("base", "models/a/w.bin")).toBe("file");
      expect(await linked.entryKind("head", "models/b/lib")).toBe("submodule");
      expect(await linked.entryKind("head", "models/a")).toBe("directory");
      expect(await linked.entryKind("head", "models")).toBe("directory");
      expect(await linked.entryKind("head", "models/a/w")).toBe("missing");
      expect(await linked.entryKind("base", "models/c")).toBe("missing");
      expect(await linked.entryKind("head", "../x")).toBe("missing");
    });

    it("reads neither as a file, and counts a retarget or a bump as a change", async () => {
      expect(await linked.readFile("head", "models/c")).toEqual({
        kind: "unreadable",
        reason: "models/c is a symbolic link, not a file",
      });
      expect((await linked.readFile("head", "models/b/lib")).kind).toBe("unreadable");
      expect((await linked.changedFiles()).files).toEqual([
        { path: "models/a/w.bin", status: "modified" },
        { path: "models/b/lib", status: "modified" },
        { path: "models/c", status: "added" },
      ]);
    });
  });
});
