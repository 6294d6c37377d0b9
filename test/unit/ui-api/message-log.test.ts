import { describe, expect, it } from 'vitest';
import { caughtUp, MessageLog } from '../../../shared/ui-api/message-log.js';
import { decodeCursor, encodeCursor } from '../../../shared/ui-api/requests.js';
import { consumedRecord } from '../helpers/records.js';

const record = (partition: number, offset: number, bytes = 10) =>
  consumedRecord({ partition, offset, key: null, value: Buffer.alloc(bytes) });

describe('MessageLog', () => {
  it('keeps at most maxRecords, dropping the oldest', () => {
    // Prepare
    const log = new MessageLog({ maxRecords: 3, maxBytes: 1_000_000 });

    // Act
    for (let offset = 0; offset < 5; offset += 1) log.add(record(0, offset));

    // Assess
    expect(log.all().map((r) => r.offset)).toEqual([2, 3, 4]);
    expect(log.positions()).toEqual({ '0': 5 });
  });

  it('keeps at most maxBytes', () => {
    // Prepare
    const log = new MessageLog({ maxRecords: 100, maxBytes: 250 });

    // Act
    for (let offset = 0; offset < 5; offset += 1) log.add(record(0, offset, 100));

    // Assess
    expect(log.size).toBe(2);
    expect(log.bytes).toBeLessThanOrEqual(250);
  });

  it('ignores a record it has already seen, as after a re-read', () => {
    // Prepare
    const log = new MessageLog({ maxRecords: 10, maxBytes: 1_000 });
    log.add(record(0, 4));

    // Act
    const again = log.add(record(0, 4));
    const older = log.add(record(0, 2));

    // Assess
    expect([again, older]).toEqual([false, false]);
    expect(log.size).toBe(1);
  });

  it('returns only records newer than the cursor, newest first', () => {
    // Prepare
    const log = new MessageLog({ maxRecords: 10, maxBytes: 1_000 });
    for (const [partition, offset] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [2, 0],
    ] as const) {
      log.add(record(partition, offset));
    }

    // Act
    const newer = log.after({ '0': 1, '1': 1 }, 10);
    const first = log.after(undefined, 2);

    // Assess
    expect(newer.map((r) => `${r.partition}:${r.offset}`)).toEqual(['2:0', '1:1', '0:1']);
    expect(first.map((r) => `${r.partition}:${r.offset}`)).toEqual(['2:0', '1:1']);
  });

  it('treats a partition skipped to by a seek as read up to there', () => {
    // Prepare
    const log = new MessageLog({ maxRecords: 10, maxBytes: 1_000 });

    // Act
    log.skipTo(0, 40);
    const before = log.add(record(0, 39));

    // Assess
    expect(before).toBe(false);
    expect(log.positions()).toEqual({ '0': 40 });
  });
});

describe('caughtUp', () => {
  it('is caught up when every partition reached its end offset or has nothing to read', () => {
    // Act & Assess
    expect(caughtUp({ '0': 5, '1': 3 }, { '0': 5, '1': 3 })).toBe(true);
    expect(caughtUp({ '0': 5 }, { '0': 5, '1': 3 })).toBe(false);
    expect(caughtUp({ '0': 5 }, { '0': 5, '1': 3 }, { '1': 3 })).toBe(true);
  });
});

describe('cursor encoding', () => {
  it('round-trips a cursor', () => {
    // Prepare
    const cursor = { orders: { '0': 12, '2': 4 }, dlq: { '1': 0 } };

    // Act & Assess
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(null)).toBeUndefined();
  });

  it('refuses a malformed cursor or one naming another topic', () => {
    // Act & Assess
    expect(() => decodeCursor('not base64!')).toThrow('invalid cursor');
    expect(() => decodeCursor(encodeCursor({ secrets: { '0': 1 } } as never))).toThrow(/invalid cursor/);
    expect(() => decodeCursor(encodeCursor({ orders: { '0': -1 } }))).toThrow(/invalid cursor/);
  });
});
