// Serialises work per key (one repository + head SHA) inside this process, so two events for the
// same head (a redelivery, `synchronize` racing `check_suite`) never both create a check run.
// Across replicas this cannot help; see publish.ts for how the runs converge there.
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(work);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Forget the key once nobody queued behind us, so the map does not grow with every SHA.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
