import { describe, expect, it } from 'vitest';
import { FailureHeader } from '../../../shared/contract/headers.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';
import {
  fingerprintOf,
  fingerprintRecord,
  hasFingerprint,
  normaliseMessage,
} from '../../../shared/operator/fingerprint.js';
import { consumedRecord } from '../helpers/records.js';
import { dlqRecord } from './dlq-records.js';

describe('normaliseMessage', () => {
  it.each([
    ['order o-1001 failed after 3000 ms', 'order <id> failed after <n> ms'],
    ['order "o-1001" is invalid', 'order <str> is invalid'],
    ["customer 'Ada Lovelace' unknown", 'customer <str> unknown'],
    ['request 7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60 timed out', 'request <uuid> timed out'],
    ['pointer 0xdeadbeef and digest 9f86d081884c7d659a2feaa0c55ad015', 'pointer <hex> and digest <hex>'],
    ['amount: Expected number, received string', 'amount: Expected number, received string'],
    ['  many   spaces\nand lines ', 'many spaces and lines'],
    ['took 1.5s at 12:30:01', 'took <id> at <n>'],
  ])('normalises %j to %j', (message, expected) => {
    // Act
    const normalised = normaliseMessage(message);

    // Assess
    expect(normalised).toBe(expected);
  });
});

describe('fingerprintOf', () => {
  it('gives failures of one cause with different ids the same fingerprint', () => {
    // Act
    const first = fingerprintOf('attempts-exhausted', 'TimeoutError', 'order o-1 timed out after 3000 ms');
    const second = fingerprintOf('attempts-exhausted', 'TimeoutError', 'order o-22 timed out after 5000 ms');

    // Assess
    expect(first.fingerprint).toBe(second.fingerprint);
    expect(first.template).toBe('order <id> timed out after <n> ms');
  });

  it('tells apart the same message under another reason or error class', () => {
    // Act
    const base = fingerprintOf('attempts-exhausted', 'TimeoutError', 'timed out');
    const otherReason = fingerprintOf('permanent-failure', 'TimeoutError', 'timed out');
    const otherClass = fingerprintOf('attempts-exhausted', 'Error', 'timed out');

    // Assess
    expect(new Set([base.fingerprint, otherReason.fingerprint, otherClass.fingerprint]).size).toBe(3);
  });

  it('is URL-safe and 16 characters long', () => {
    // Act
    const { fingerprint } = fingerprintOf('r', 'c', 'm');

    // Assess
    expect(fingerprint).toMatch(/^[\w-]{16}$/);
  });
});

describe('fingerprintRecord', () => {
  it('reads reason, class and message from the failure headers', () => {
    // Act
    const key = fingerprintRecord(
      dlqRecord({ orderId: 'o-9', className: 'InventoryError', message: 'sku 12 gone' }),
    );

    // Assess
    expect(key).toMatchObject({
      reason: 'attempts-exhausted',
      errorClass: 'InventoryError',
      template: 'sku <n> gone',
    });
  });

  it('puts a record without failure headers in the unknown group', () => {
    // Act
    const key = fingerprintRecord(consumedRecord());

    // Assess
    expect(key).toMatchObject({ reason: 'unknown', errorClass: 'none', template: '' });
  });

  it('tells whether a record has a fingerprint as fingerprintRecord does, before and after it was seen', () => {
    // Prepare: each class under two reasons and two message shapes; the fingerprints asked for are
    // first unseen (computed), then known (the reason and class ruled out without normalising).
    const records = [
      consumedRecord(),
      ...['TimeoutError', 'InventoryError'].flatMap((className) =>
        ['attempts-exhausted', 'permanent-failure'].flatMap((reason) =>
          [0, 1, 2].flatMap((n) => [
            dlqRecord({ orderId: `o-${n}`, className, reason, message: `sku ${n} gone` }),
            dlqRecord({ orderId: `o-${n}`, className, reason, message: `gateway "${n}" timed out` }),
          ]),
        ),
      ),
    ];
    // Headers missing or not UTF-8, and a failure whose reason and class read like a stranger's.
    const base = dlqRecord({ orderId: 'o-7', className: 'InventoryError', reason: 'permanent-failure' });
    const { [FailureHeader.deadLetterReason]: _reason, ...withoutReason } = base.headers;
    const { [FailureHeader.errorClass]: _class, ...withoutClass } = base.headers;
    records.push(
      { ...base, headers: withoutReason },
      { ...base, headers: withoutClass },
      { ...base, headers: { ...base.headers, [FailureHeader.errorClass]: Buffer.from([0xff, 0xfe]) } },
      { ...base, headers: { ...base.headers, [FailureHeader.errorClass]: Buffer.from([0xfe, 0xff]) } },
      dlqRecord({ orderId: 'o-8', className: 'none', reason: 'unknown', message: 'x' }),
    );
    const wanted = [
      fingerprintOf('permanent-failure', 'InventoryError', 'sku 9 gone').fingerprint,
      fingerprintOf('unknown', 'none', '').fingerprint,
      fingerprintRecord(records.at(-5) as ConsumedRecord).fingerprint,
      fingerprintRecord(records.at(-4) as ConsumedRecord).fingerprint,
      fingerprintRecord(records.at(-3) as ConsumedRecord).fingerprint,
      fingerprintRecord(records.at(-1) as ConsumedRecord).fingerprint,
      'not-a-fingerprint',
    ];

    // Act, twice: the second pass meets fingerprints the first one computed
    const passes = [0, 1].map(() =>
      wanted.map((fingerprint) => records.map((record) => hasFingerprint(record, fingerprint))),
    );

    // Assess
    const expected = wanted.map((fingerprint) =>
      records.map((record) => fingerprintRecord(record).fingerprint === fingerprint),
    );
    expect(passes[0]).toEqual(expected);
    expect(passes[1]).toEqual(expected);
    expect(expected[0]?.filter(Boolean)).toHaveLength(3);
    expect(expected[1]?.filter(Boolean)).toHaveLength(1);
  });
});
