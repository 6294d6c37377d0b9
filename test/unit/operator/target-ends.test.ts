import { describe, expect, it } from 'vitest';
import type { Offsets } from '../../../shared/operator/ports.js';
import { TargetEnds } from '../../../shared/operator/target-ends.js';

/** Lookups the test answers one by one. */
const lookups = () => {
  const asked: Array<{ topic: string; answer: (ends: Offsets) => void; fail: (error: Error) => void }> = [];
  const lookup = (topic: string) =>
    new Promise<Offsets>((answer, fail) => {
      asked.push({ topic, answer, fail });
    });
  return { asked, lookup };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TargetEnds', () => {
  it('waits for a lookup on a topic’s first chunk only; later ones take the latest answer at once', async () => {
    const { asked, lookup } = lookups();
    const ends = new TargetEnds(lookup);

    const first = ends.before('orders.v1');
    asked[0]?.answer({ '0': 10, '1': 4 });
    expect(await first).toEqual({ '0': 10, '1': 4 });

    // The second chunk does not wait for the lookup it starts.
    expect(await ends.before('orders.v1')).toEqual({ '0': 10, '1': 4 });
    expect(asked).toHaveLength(2);
    asked[1]?.answer({ '0': 25, '1': 9 });
    await settle();
    expect(await ends.before('orders.v1')).toEqual({ '0': 25, '1': 9 });
  });

  it('never lowers a bound, and keeps the last one when a lookup fails', async () => {
    const { asked, lookup } = lookups();
    const ends = new TargetEnds(lookup);
    const first = ends.before('orders.v1');
    asked[0]?.answer({ '0': 30 });
    await first;

    await ends.before('orders.v1');
    asked[1]?.answer({ '0': 12, '2': 5 });
    await settle();
    await ends.before('orders.v1');
    asked[2]?.fail(new Error('broker down'));
    await settle();

    expect(await ends.before('orders.v1')).toEqual({ '0': 30, '2': 5 });
  });

  it('runs one lookup per topic at a time, and keeps topics apart', async () => {
    const { asked, lookup } = lookups();
    const ends = new TargetEnds(lookup);
    const v1 = ends.before('orders.v1');
    const retry = ends.before('orders.retry');
    const v1Again = ends.before('orders.v1');
    expect(asked.map(({ topic }) => topic)).toEqual(['orders.v1', 'orders.retry']);

    asked[0]?.answer({ '0': 1 });
    asked[1]?.answer({ '0': 2 });

    expect(await v1).toEqual({ '0': 1 });
    expect(await v1Again).toEqual({ '0': 1 });
    expect(await retry).toEqual({ '0': 2 });
  });

  it('fails the first chunk of a topic whose lookup fails', async () => {
    const { asked, lookup } = lookups();
    const ends = new TargetEnds(lookup);
    const first = ends.before('orders.v1');
    asked[0]?.fail(new Error('broker down'));
    await expect(first).rejects.toThrow('broker down');
  });

  it('hands out copies, so an intent it was given never changes', async () => {
    const { asked, lookup } = lookups();
    const ends = new TargetEnds(lookup);
    const first = ends.before('orders.v1');
    asked[0]?.answer({ '0': 1 });
    const given = await first;
    await ends.before('orders.v1');
    asked[1]?.answer({ '0': 50 });
    await settle();
    expect(given).toEqual({ '0': 1 });
  });
});
