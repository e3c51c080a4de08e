// Remembering within one evaluation: a value is computed the first time its key is asked, and
// every later ask gets that same value. A promise is remembered as it is, so asks made while it is
// pending share one read or request. Nothing is evicted: a memo lives as long as the evaluation
// (or the facts source) that made it, and is dropped with it.

/** The value remembered for `key`, computed by `compute` the first time it is asked. */
export type Memo = <T>(key: string, compute: () => T) => T;

/** Stands for a remembered undefined, so a miss is one lookup (evaluations ask thousands). */
const UNDEFINED = Symbol("undefined");

export function memo(): Memo {
  const values = new Map<string, unknown>();
  return <T>(key: string, compute: () => T): T => {
    const known = values.get(key);
    if (known !== undefined) return (known === UNDEFINED ? undefined : known) as T;
    const value = compute();
    values.set(key, value === undefined ? UNDEFINED : value);
    return value;
  };
}
