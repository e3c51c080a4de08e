// A stand-in for a batching source (the GitHub facts join every question asked before the event
// loop turns into one GraphQL query): it answers nothing until the turn ends, and records which
// questions were asked together. Tests read the batches to see how many requests an evaluation
// would cost, and exactly what it asks.
import type { Facts, PeopleFacts } from "../../src/facts/types.js";

export interface Batches {
  facts: Facts;
  /** The questions of each batch, in the order asked (`readFile head models/a/x`, …). */
  batches: string[][];
}

export function batching(source: Facts): Batches {
  const batches: string[][] = [];
  let open: { questions: string[]; flushed: Promise<void> } | undefined;
  const ask = <T>(question: string, answer: () => Promise<T>): Promise<T> => {
    if (!open) {
      const questions: string[] = [];
      batches.push(questions);
      const flushed = new Promise<void>((resolve) =>
        setImmediate(() => {
          open = undefined;
          resolve();
        }),
      );
      open = { questions, flushed };
    }
    open.questions.push(question);
    return open.flushed.then(answer);
  };
  const people = source.people;
  const wrappedPeople: PeopleFacts | undefined = people && {
    author: people.author,
    commitAuthors: () => ask("commitAuthors", () => people.commitAuthors()),
    reviews: () => ask("reviews", () => people.reviews()),
    isTeamMember: (team, login) =>
      ask(`isTeamMember ${team} ${login}`, () => people.isTeamMember(team, login)),
    isOrgPrincipal: (p) => ask(`isOrgPrincipal ${p}`, () => people.isOrgPrincipal(p)),
    isRepoAdmin: (login) => ask(`isRepoAdmin ${login}`, () => people.isRepoAdmin(login)),
    changedSince: (sha) => ask(`changedSince ${sha}`, () => people.changedSince(sha)),
  };
  const facts: Facts = {
    ...(source.baseSha ? { baseSha: source.baseSha } : {}),
    ...(source.headSha ? { headSha: source.headSha } : {}),
    ...(wrappedPeople ? { people: wrappedPeople } : {}),
    changedFiles: () => ask("changedFiles", () => source.changedFiles()),
    readFile: (side, path) => ask(`readFile ${side} ${path}`, () => source.readFile(side, path)),
    listFiles: (side, dir) => ask(`listFiles ${side} ${dir}`, () => source.listFiles(side, dir)),
    entryKind: (side, path) => ask(`entryKind ${side} ${path}`, () => source.entryKind(side, path)),
  };
  return { facts, batches };
}
