import { describe, expect, it } from 'vitest';
import { LagHistory, lagOf, rateBoundaries, ratesFromOffsets } from '../../../shared/operator/stats.js';

describe('ratesFromOffsets', () => {
  it('counts what arrived between two boundaries, over all partitions', () => {
    // Act
    const counts = ratesFromOffsets([
      { '0': 10, '1': 5 },
      { '0': 12, '1': 5 },
      { '0': 12, '1': 9 },
    ]);

    // Assess
    expect(counts).toEqual([2, 4]);
  });
});

describe('rateBoundaries', () => {
  it('gives one boundary a minute over the last hour, aligned to whole minutes', () => {
    // Act
    const boundaries = rateBoundaries(10 * 60 * 60_000 + 30_000);

    // Assess
    expect(boundaries).toHaveLength(60);
    expect(boundaries[59]).toBe(10 * 60 * 60_000);
    expect(boundaries[0]).toBe(9 * 60 * 60_000 + 60_000);
  });
});

describe('lagOf', () => {
  it('counts from the committed offset, or from the start for a partition never committed', () => {
    // Act
    const lag = lagOf({ '0': 100, '1': 50 }, { '0': 90 }, { '0': 0, '1': 20 });

    // Assess
    expect(lag).toBe(40);
  });
});

describe('LagHistory', () => {
  it('keeps the latest samples only', () => {
    // Prepare
    const history = new LagHistory(2);

    // Act
    for (const at of [1, 2, 3]) history.add({ at, groupId: 'g', topic: 't', lag: at });

    // Assess
    expect(history.all().map((sample) => sample.at)).toEqual([2, 3]);
  });
});
