import { describe, expect, it } from 'vitest';
import { GroupAccumulator, trendOf } from '../../../shared/operator/groups.js';
import { T0 } from '../helpers/records.js';
import { dlqRecord } from './dlq-records.js';

const minute = 60_000;

describe('GroupAccumulator', () => {
  it('counts each fingerprint, keeps first and last seen, the newest sample and how many were redriven', () => {
    // Prepare
    const accumulator = new GroupAccumulator();
    const timeouts = [0, 1, 2].map((index) =>
      dlqRecord({ offset: index, orderId: `o-${index}`, timestamp: T0 + index * minute }),
    );
    const stock = dlqRecord({ offset: 9, className: 'InventoryError', message: 'sku 1 gone' });

    // Act
    for (const record of timeouts) accumulator.add(record, record.offset === 0);
    accumulator.add(stock, false);
    const groups = accumulator.groups();

    // Assess
    expect(accumulator.total).toBe(4);
    expect(groups.map((group) => [group.key.errorClass, group.count, group.redriven])).toEqual([
      ['TransientProcessingError', 3, 1],
      ['InventoryError', 1, 0],
    ]);
    expect(groups[0]?.firstSeen).toBe(T0);
    expect(groups[0]?.lastSeen).toBe(T0 + 2 * minute);
    expect(groups[0]?.sample.offset).toBe(2);
  });
});

describe('trendOf', () => {
  it('spreads a group over equal buckets of the whole time span', () => {
    // Prepare
    const accumulator = new GroupAccumulator();
    const start = Math.floor(T0 / minute) * minute;
    for (const at of [0, 0, 1, 5, 9]) accumulator.add(dlqRecord({ timestamp: start + at * minute }), false);
    const [tally] = accumulator.groups();

    // Act
    const trend = tally ? trendOf(tally, start, start + 9 * minute, 5) : undefined;

    // Assess
    expect(trend).toEqual({ bucketMs: 2 * minute, from: start, counts: [3, 0, 1, 0, 1] });
  });
});
