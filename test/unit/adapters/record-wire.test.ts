import { describe, expect, it } from 'vitest';
import { RecordWireWriter, readRecordWire } from '../../../shared/adapters/record-wire.js';
import type { ConsumedRecord } from '../../../shared/domain/kafka-event.js';

const record = (overrides: Partial<ConsumedRecord>): ConsumedRecord => ({
  topic: 'orders.dlq',
  partition: 2,
  offset: 41,
  timestamp: 1_733_000_000_123,
  key: Buffer.from('o-1'),
  value: Buffer.from('{"orderId":"o-1"}'),
  headers: { 'x-error-class': Buffer.from('InventoryError') },
  ...overrides,
});

/** A record as plain data, so Buffers compare by their bytes. */
const plain = (one: ConsumedRecord) => ({
  ...one,
  key: one.key?.toString('hex') ?? null,
  value: one.value?.toString('hex') ?? null,
  headers: Object.fromEntries(
    Object.entries(one.headers).map(([name, value]) => [name, value.toString('hex')]),
  ),
});

describe('record wire', () => {
  it('gives back the records it packed, in order, field for field', () => {
    // Prepare
    const records = [
      record({}),
      record({ key: null, value: null, headers: {}, partition: 0, offset: 0 }),
      record({ offset: 2 ** 40, timestamp: 0, value: Buffer.alloc(70_000, 7) }),
      record({
        headers: { 'zażółć 😀': Buffer.from('é'), empty: Buffer.alloc(0), 'x-a': Buffer.from([0, 255]) },
      }),
    ];
    const writer = new RecordWireWriter('orders.dlq');
    for (const one of records) writer.add(one);

    // Act
    const batch = writer.take();
    const read = readRecordWire(structuredClone(batch, { transfer: [batch.bytes] }));

    // Assess
    expect(read.map(plain)).toEqual(records.map(plain));
    expect(batch.names).toEqual(['x-error-class', 'zażółć 😀', 'empty', 'x-a']);
  });

  it('starts empty again after a take', () => {
    // Prepare
    const writer = new RecordWireWriter('orders.dlq');
    writer.add(record({}));
    writer.take();

    // Act
    writer.add(record({ offset: 99 }));
    const batch = writer.take();

    // Assess
    expect(readRecordWire(batch).map((one) => one.offset)).toEqual([99]);
    expect(writer.length).toBe(0);
    expect(readRecordWire(writer.take())).toEqual([]);
  });

  it('keeps a header named __proto__ as a header, not as the headers object prototype', () => {
    // Prepare
    const headers: Record<string, Buffer> = {};
    Object.defineProperty(headers, '__proto__', { value: Buffer.from('p'), enumerable: true });
    const writer = new RecordWireWriter('orders.dlq');
    writer.add(record({ headers }));

    // Act
    const [read] = readRecordWire(writer.take());

    // Assess
    expect(Object.getPrototypeOf(read?.headers)).toBe(Object.prototype);
    expect(Object.keys(read?.headers ?? {})).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(read?.headers, '__proto__')?.value).toEqual(Buffer.from('p'));
  });

  it('counts the bytes a batch will take, so a scan can bound its batches by size', () => {
    // Prepare
    const writer = new RecordWireWriter('orders.dlq');

    // Act
    writer.add(record({ value: Buffer.alloc(1_000_000) }));
    const counted = writer.bytes;
    const batch = writer.take();

    // Assess
    expect(counted).toBeGreaterThanOrEqual(1_000_000);
    expect(batch.bytes.byteLength).toBe(counted);
    expect(writer.bytes).toBe(0);
  });
});
