/**
 * Runs `run` over `items` with at most `limit` in flight, never two of the same key at once, and each
 * key's items in their order in `items`. Different keys overlap, so one slow key holds up only its own
 * later items. With `limit` 1 the items run strictly one after another, in order.
 *
 * `run` is expected not to reject (the batch routes every failure itself); if it rejects or throws,
 * the returned promise rejects and the items still in flight are left to finish on their own.
 */
export const runKeyOrdered = <T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  if (!Number.isInteger(limit) || limit < 1) {
    return Promise.reject(new RangeError(`concurrency limit must be an integer >= 1, got ${limit}`));
  }
  if (limit === 1) return runInOrder(items, run);
  // next[i]: the index of the next item with item i's key, or -1. Ready items are those whose key
  // predecessor has finished; they start in the order they became ready.
  const next = new Int32Array(items.length).fill(-1);
  const lastOfKey = new Map<string, number>();
  const ready: number[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const previous = lastOfKey.get(key);
    if (previous === undefined) ready.push(index);
    else next[previous] = index;
    lastOfKey.set(key, index);
  });
  return new Promise((resolve, reject) => {
    let readAt = 0;
    let active = 0;
    let finished = 0;
    let failed = false;
    const pump = (): void => {
      while (!failed && active < limit && readAt < ready.length) {
        const index = ready[readAt] as number;
        readAt += 1;
        active += 1;
        let running: Promise<void>;
        try {
          running = run(items[index] as T, index);
        } catch (error) {
          // A synchronous throw: inside a `.then` callback (every pump after the first) it would
          // otherwise reject a promise nobody holds, and this one would never settle.
          failed = true;
          reject(error);
          return;
        }
        running.then(
          () => {
            active -= 1;
            finished += 1;
            const following = next[index] as number;
            if (following >= 0) ready.push(following);
            if (finished === items.length) resolve();
            else pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    if (items.length === 0) resolve();
    else pump();
  });
};

const runInOrder = async <T>(
  items: readonly T[],
  run: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  for (let index = 0; index < items.length; index += 1) await run(items[index] as T, index);
};
