import { describe, expect, it } from 'vitest';
import {
  decodeKafkaEvent,
  decodeLambdaHeaders,
  InvalidLambdaEventError,
  type LambdaKafkaEvent,
} from '../../../shared/domain/kafka-event.js';
import { EventFixture, loadEvent } from '../helpers/load-event.js';

describe('decodeKafkaEvent', () => {
  it('flattens a self-managed Kafka event into records in partition and offset order', () => {
    // Prepare
    const event = loadEvent(EventFixture.selfManagedKafka);

    // Act
    const records = decodeKafkaEvent(event);

    // Assess
    expect(records.map((r) => `${r.topic}:${r.partition}:${r.offset}`)).toEqual([
      'orders.v1:0:15',
      'orders.v1:0:16',
      'orders.v1:1:7',
    ]);
    const [first] = records;
    expect(first?.key?.toString('utf8')).toBe('o-1001');
    expect(first?.value?.toString('utf8')).toBe('{"orderId":"o-1001","amount":42.5}');
    expect(first?.timestamp).toBe(1718000000015);
    expect(first?.headers.traceparent?.toString('utf8')).toBe(
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    );
  });

  it('decodes an MSK event', () => {
    // Prepare
    const event = loadEvent(EventFixture.msk);

    // Act
    const records = decodeKafkaEvent(event);

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ topic: 'orders.v1', partition: 2, offset: 3 });
    expect(records[0]?.value?.toString('utf8')).toBe('{"orderId":"o-2001","amount":5}');
  });

  it('decodes an absent value as null', () => {
    // Prepare
    const event = loadEvent(EventFixture.nullValue);

    // Act
    const [record] = decodeKafkaEvent(event);

    // Assess
    expect(record?.value).toBeNull();
    expect(record?.key?.toString('utf8')).toBe('o-3001');
  });

  it('decodes an explicit null key and value as null', () => {
    // Prepare
    const event = loadEvent(EventFixture.selfManagedKafka);
    const record = event.records['orders.v1-1']?.[0];
    if (record === undefined) throw new Error('fixture changed');
    record.key = null;
    record.value = null;

    // Act
    const decoded = decodeKafkaEvent(event).find((r) => r.partition === 1);

    // Assess
    expect(decoded?.key).toBeNull();
    expect(decoded?.value).toBeNull();
  });

  it('keeps a non-JSON value as its raw bytes', () => {
    // Prepare
    const event = loadEvent(EventFixture.nonJsonValue);

    // Act
    const [record] = decodeKafkaEvent(event);

    // Assess
    expect(record?.value?.toString('utf8')).toBe('orderId=o-4001;amount=12');
  });

  it('sorts each partition by offset even if the event lists it out of order', () => {
    // Prepare
    const event = loadEvent(EventFixture.selfManagedKafka);
    event.records['orders.v1-0']?.reverse();

    // Act
    const records = decodeKafkaEvent(event);

    // Assess
    expect(records.filter((r) => r.partition === 0).map((r) => r.offset)).toEqual([15, 16]);
  });

  it.each([
    { label: 'an SQS event', event: { Records: [] } },
    { label: 'another event source', event: { eventSource: 'aws:sqs', records: {} } },
    { label: 'undefined', event: undefined },
  ])('rejects $label', ({ event }) => {
    // Act
    const act = () => decodeKafkaEvent(event as unknown as LambdaKafkaEvent);

    // Assess
    expect(act).toThrow(InvalidLambdaEventError);
    expect(act).toThrow(/unsupported eventSource/);
  });

  it('rejects a Kafka event without records', () => {
    // Prepare
    const event = { eventSource: 'SelfManagedKafka' } as unknown as LambdaKafkaEvent;

    // Act
    const act = () => decodeKafkaEvent(event);

    // Assess
    expect(act).toThrow('event.records is missing');
  });
});

describe('Lambda header codec', () => {
  it('round-trips headers, non-UTF-8 bytes included', () => {
    // Prepare
    const headers = {
      traceparent: Buffer.from('00-abc-01'),
      binary: Buffer.from([0, 255, 128]),
      empty: Buffer.alloc(0),
    };

    // Act
    const decoded = decodeLambdaHeaders(
      Object.entries(headers).map(([name, value]) => ({ [name]: [...value] })),
    );

    // Assess
    expect(decoded).toEqual(headers);
  });

  it('keeps the last value of a repeated header', () => {
    // Act
    const decoded = decodeLambdaHeaders([{ 'x-a': [49] }, { 'x-a': [50] }]);

    // Assess
    expect(decoded['x-a']?.toString('utf8')).toBe('2');
  });

  it('decodes missing headers as none', () => {
    // Act
    const decoded = decodeLambdaHeaders(undefined);

    // Assess
    expect(decoded).toEqual({});
  });
});
