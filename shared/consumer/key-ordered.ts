/**
 * Runs `run` over `items` with at most `limit` in flight, never two of the same key at once, and each
 * key's items in their order in `items`. Different keys overlap, so one slow key holds up only its own
 * later items. With `limit` 1 the items run strictly one after another, in order.
 *
 * `wait`, when given, is a phase before `run` that does not count toward the limit: an item's wait
 * starts once its key's previous item has finished, and the item takes a slot only when its wait is
 * over. The retry consumer waits there for due times, so records that are due later do not hold the
 * slots that records due now need.
 *
 * `run` and `wait` are expected not to reject (the batch routes every failure itself); if one rejects
 * or throws, the returned promise rejects and the items still in flight are left to finish on their own.
 */
export const runKeyOrdered = <T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  run: (item: T, index: number) => Promise<void>,
  wait?: (item: T, index: number) => Promise<void> | undefined,
): Promise<void> => {
  if (!Number.isInteger(limit) || limit < 1) {
    return Promise.reject(new RangeError(`concurrency limit must be an integer >= 1, got ${limit}`));
  }
  if (limit === 1) return runInOrder(items, run, wait);
  // next[i]: the index of the next item with item i's key, or -1. Ready items are those whose key
  // predecessor has finished and whose wait is over; they start in the order they became ready.
  const next = new Int32Array(items.length).fill(-1);
  const lastOfKey = new Map<string, number>();
  const firsts: number[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const previous = lastOfKey.get(key);
    if (previous === undefined) firsts.push(index);
    else next[previous] = index;
    lastOfKey.set(key, index);
  });
  return new Promise((resolve, reject) => {
    const ready: number[] = [];
    let readAt = 0;
    let active = 0;
    let finished = 0;
    let failed = false;
    const fail = (error: unknown): void => {
      failed = true;
      reject(error);
    };
    // Synchronous throws become rejections: inside a `.then` callback (every call after the first
    // pump) they would otherwise reject a promise nobody holds, and this one would never settle.
    const attempt = (call: () => Promise<void> | undefined): Promise<void> | undefined | false => {
      try {
        return call();
      } catch (error) {
        fail(error);
        return false;
      }
    };
    const release = (index: number): void => {
      const waiting = wait === undefined ? undefined : attempt(() => wait(items[index] as T, index));
      if (waiting === false) return;
      if (waiting === undefined) ready.push(index);
      else
        waiting.then(() => {
          ready.push(index);
          pump();
        }, fail);
    };
    const pump = (): void => {
      while (!failed && active < limit && readAt < ready.length) {
        const index = ready[readAt] as number;
        readAt += 1;
        active += 1;
        const running = attempt(() => run(items[index] as T, index));
        if (running === false) return;
        if (running === undefined) {
          // Outside the types, but it would hold its slot forever and the batch would never settle.
          fail(new TypeError('runKeyOrdered: run returned no promise'));
          return;
        }
        running.then(() => {
          active -= 1;
          finished += 1;
          const following = next[index] as number;
          if (following >= 0) release(following);
          if (finished === items.length) resolve();
          else pump();
        }, fail);
      }
    };
    if (items.length === 0) return resolve();
    for (const index of firsts) release(index);
    pump();
  });
};

const runInOrder = async <T>(
  items: readonly T[],
  run: (item: T, index: number) => Promise<void>,
  wait?: (item: T, index: number) => Promise<void> | undefined,
): Promise<void> => {
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as T;
    await wait?.(item, index);
    await run(item, index);
  }
};
