import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../shared/operator/filters.js';
import { fingerprintRecord } from '../../../shared/operator/fingerprint.js';
import { consumedRecord, T0 } from '../helpers/records.js';
import { dlqRecord } from './dlq-records.js';

describe('matchesFilter', () => {
  const record = dlqRecord({ orderId: 'o-42', className: 'InventoryError', message: 'sku 12 out of stock' });

  it.each([
    [{}, true],
    [{ reason: 'attempts-exhausted' }, true],
    [{ reason: 'permanent-failure' }, false],
    [{ errorClass: 'InventoryError' }, true],
    [{ errorClass: 'Error' }, false],
    [{ text: 'OUT OF STOCK' }, true],
    [{ text: 'o-42' }, true],
    [{ text: 'amount' }, true],
    [{ text: 'missing' }, false],
    [{ key: 'o-42' }, true],
    [{ key: 'o-4' }, false],
    [{ originTopic: 'orders.v1' }, true],
    [{ originTopic: 'orders.retry' }, false],
    [{ fromTime: T0, toTime: T0 + 1 }, true],
    [{ fromTime: T0 + 1 }, false],
    [{ toTime: T0 }, false],
    [{ reason: 'attempts-exhausted', key: 'o-1' }, false],
  ])('with %j says %s', (filter, expected) => {
    // Act
    const matches = matchesFilter(record, filter);

    // Assess
    expect(matches).toBe(expected);
  });

  it('matches by fingerprint', () => {
    // Prepare
    const { fingerprint } = fingerprintRecord(record);
    const sameCause = dlqRecord({
      orderId: 'o-7',
      className: 'InventoryError',
      message: 'sku 99 out of stock',
    });

    // Act
    const matches = [matchesFilter(sameCause, { fingerprint }), matchesFilter(dlqRecord(), { fingerprint })];

    // Assess
    expect(matches).toEqual([true, false]);
  });

  it('puts a record without failure headers under the reason unknown', () => {
    // Act
    const matches = [
      matchesFilter(consumedRecord(), { reason: 'unknown' }),
      matchesFilter(consumedRecord(), { errorClass: 'Error' }),
    ];

    // Assess
    expect(matches).toEqual([true, false]);
  });
});
