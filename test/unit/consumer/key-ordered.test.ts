import { describe, expect, it } from 'vitest';
import { runKeyOrdered } from '../../../shared/consumer/key-ordered.js';

interface Item {
  readonly key: string;
  readonly n: number;
}

const items = (spec: string): Item[] =>
  spec.split(' ').map((token, n) => ({ key: token.replace(/\d+$/, ''), n }));

/** A promise the test settles by hand, so "slow" needs no timer. */
const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

/** Lets every pending promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runKeyOrdered', () => {
  it('runs the items of one key in their order, one at a time', async () => {
    // Prepare
    const batch = items('a1 b1 a2 c1 a3 b2 a4');
    const events: string[] = [];
    const inFlightByKey = new Map<string, number>();
    let overlapWithinKey = false;

    // Act
    await runKeyOrdered(
      batch,
      (item) => item.key,
      4,
      async (item) => {
        const inFlight = (inFlightByKey.get(item.key) ?? 0) + 1;
        inFlightByKey.set(item.key, inFlight);
        if (inFlight > 1) overlapWithinKey = true;
        await settle();
        events.push(`${item.key}${item.n}`);
        inFlightByKey.set(item.key, inFlight - 1);
      },
    );

    // Assess
    const order = (key: string) => events.filter((event) => event.startsWith(key));
    expect(order('a')).toEqual(['a0', 'a2', 'a4', 'a6']);
    expect(order('b')).toEqual(['b1', 'b5']);
    expect(overlapWithinKey).toBe(false);
    expect(events).toHaveLength(batch.length);
  });

  it('never has more than the limit in flight, and reaches it', async () => {
    // Prepare
    const batch = Array.from({ length: 40 }, (_, n) => ({ key: `k${n % 13}`, n }));
    let inFlight = 0;
    let peak = 0;

    // Act
    await runKeyOrdered(
      batch,
      (item) => item.key,
      5,
      async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await settle();
        inFlight -= 1;
      },
    );

    // Assess
    expect(peak).toBe(5);
    expect(inFlight).toBe(0);
  });

  it('lets other keys finish while one key is slow', async () => {
    // Prepare
    const batch = items('slow1 a1 b1 slow2 a2 c1');
    const slow = deferred();
    const finished: number[] = [];
    const others = batch.filter((item) => item.key !== 'slow').length;

    // Act
    const done = runKeyOrdered(
      batch,
      (item) => item.key,
      3,
      async (item) => {
        if (item.key === 'slow') await slow.promise;
        finished.push(item.n);
        if (finished.length === others) slow.resolve();
      },
    );
    await done;

    // Assess: every other key finished before the slow key's first item
    expect(finished.slice(0, others).sort()).toEqual([1, 2, 4, 5]);
    expect(finished.slice(others)).toEqual([0, 3]);
  });

  it('runs strictly one after another, in item order, with limit 1', async () => {
    // Prepare
    const batch = items('a1 b1 b2 a2 c1');
    const events: string[] = [];

    // Act
    await runKeyOrdered(
      batch,
      (item) => item.key,
      1,
      async (item) => {
        events.push(`start ${item.n}`);
        await settle();
        events.push(`end ${item.n}`);
      },
    );

    // Assess
    expect(events).toEqual(batch.flatMap((item) => [`start ${item.n}`, `end ${item.n}`]));
  });

  it('resolves at once for no items', async () => {
    // Act
    const result = runKeyOrdered(
      [],
      () => '',
      16,
      async () => undefined,
    );

    // Assess
    await expect(result).resolves.toBeUndefined();
  });

  it('rejects, instead of hanging, when run returns no promise', async () => {
    // Act
    const result = runKeyOrdered(
      items('a1 b1'),
      (item) => item.key,
      16,
      (() => undefined) as unknown as () => Promise<void>,
    );

    // Assess
    await expect(result).rejects.toThrow(/returned no promise/);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a limit of %s', async (limit) => {
    // Act
    const result = runKeyOrdered(
      items('a1'),
      (item) => item.key,
      limit,
      async () => undefined,
    );

    // Assess
    await expect(result).rejects.toThrow(RangeError);
  });

  it('rejects when a run rejects', async () => {
    // Act
    const result = runKeyOrdered(
      items('a1 b1'),
      (item) => item.key,
      2,
      async (item) => {
        if (item.key === 'b') throw new Error('bug');
      },
    );

    // Assess
    await expect(result).rejects.toThrow('bug');
  });

  it('rejects when a later run throws synchronously, instead of never settling', async () => {
    // Prepare: `a2` starts from the reaction to `a1`'s end, and throws before returning a promise
    const run = (item: Item): Promise<void> => {
      if (item.n === 1) throw new Error('sync bug');
      return settle().then(() => undefined);
    };

    // Act
    const result = runKeyOrdered(items('a1 a2'), (item) => item.key, 2, run);

    // Assess
    await expect(result).rejects.toThrow('sync bug');
  });

  it('lets items run while others wait: a wait holds no slot', async () => {
    // Prepare: two slots; a1 and b1 wait until c1 and d1 have run
    const batch = items('a1 b1 c1 d1');
    const waits = deferred();
    const ran: string[] = [];

    // Act
    await runKeyOrdered(
      batch,
      (item) => item.key,
      2,
      async (item) => {
        ran.push(item.key);
        if (ran.length === 2) waits.resolve();
      },
      (item) => (item.key === 'a' || item.key === 'b' ? waits.promise : undefined),
    );

    // Assess
    expect(ran).toEqual(['c', 'd', 'a', 'b']);
  });

  it("starts an item's wait only once its key's previous item has finished", async () => {
    // Prepare
    const batch = items('a1 a2 b1');
    const events: string[] = [];

    // Act
    await runKeyOrdered(
      batch,
      (item) => item.key,
      4,
      async (item) => {
        events.push(`run ${item.key}${item.n}`);
        await settle();
        events.push(`end ${item.key}${item.n}`);
      },
      (item) => {
        events.push(`wait ${item.key}${item.n}`);
        return settle().then(() => undefined);
      },
    );

    // Assess
    const a = events.filter((event) => event.includes(' a'));
    expect(a).toEqual(['wait a0', 'run a0', 'end a0', 'wait a1', 'run a1', 'end a1']);
    expect(events).toHaveLength(9);
  });

  it('waits then runs each item in turn with limit 1', async () => {
    // Prepare
    const batch = items('a1 b1 a2');
    const events: string[] = [];

    // Act
    await runKeyOrdered(
      batch,
      (item) => item.key,
      1,
      async (item) => {
        events.push(`run ${item.n}`);
      },
      async (item) => {
        events.push(`wait ${item.n}`);
      },
    );

    // Assess
    expect(events).toEqual(['wait 0', 'run 0', 'wait 1', 'run 1', 'wait 2', 'run 2']);
  });

  it('rejects when a wait rejects', async () => {
    // Act
    const result = runKeyOrdered(
      items('a1 b1'),
      (item) => item.key,
      2,
      async () => undefined,
      async (item) => {
        if (item.key === 'b') throw new Error('wait bug');
      },
    );

    // Assess
    await expect(result).rejects.toThrow('wait bug');
  });
});
