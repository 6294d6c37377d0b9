import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  buildSelfManagedKafkaEvent,
  toLambdaHeaders,
} from '../../../../../infra/local/runner/lambda-event.js';
import { decodeKafkaEvent, type LambdaKafkaEvent } from '../../../../../shared/domain/kafka-event.js';

const message = (overrides: Partial<KafkaMessage> = {}): KafkaMessage =>
  ({
    key: Buffer.from('o-1001'),
    value: Buffer.from('{"orderId":"o-1001","amount":42.5}'),
    timestamp: '1718000000015',
    attributes: 0,
    offset: '15',
    headers: {},
    ...overrides,
  }) as KafkaMessage;

/** The event as the handler receives it: serialised to JSON and back, like the Lambda service does. */
const overTheWire = (event: LambdaKafkaEvent): LambdaKafkaEvent => JSON.parse(JSON.stringify(event));

describe('buildSelfManagedKafkaEvent', () => {
  it('builds the exact AWS self-managed Kafka shape', () => {
    // Act
    const event = buildSelfManagedKafkaEvent('localhost:9092', 'orders.v1', 3, [
      message({ headers: { traceparent: 'ab' } }),
    ]);

    // Assess
    expect(event).toEqual({
      eventSource: 'SelfManagedKafka',
      bootstrapServers: 'localhost:9092',
      records: {
        'orders.v1-3': [
          {
            topic: 'orders.v1',
            partition: 3,
            offset: 15,
            timestamp: 1718000000015,
            timestampType: 'CREATE_TIME',
            key: Buffer.from('o-1001').toString('base64'),
            value: Buffer.from('{"orderId":"o-1001","amount":42.5}').toString('base64'),
            headers: [{ traceparent: [97, 98] }],
          },
        ],
      },
    });
  });

  it('round-trips bytes, headers and offsets through decodeKafkaEvent', () => {
    // Prepare
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b, 0x0a]);
    const messages = [
      message({
        offset: '41',
        key: Buffer.from('k-é'),
        value: binary,
        headers: { bin: Buffer.from([1, 2, 255]) },
      }),
      message({ offset: '42', headers: { traceparent: '00-abc-01', 'x-attempt': Buffer.from('2') } }),
    ];

    // Act
    const records = decodeKafkaEvent(
      overTheWire(buildSelfManagedKafkaEvent('b:9092', 'orders.retry', 1, messages)),
    );

    // Assess
    expect(records).toEqual([
      {
        topic: 'orders.retry',
        partition: 1,
        offset: 41,
        timestamp: 1718000000015,
        key: Buffer.from('k-é'),
        value: binary,
        headers: { bin: Buffer.from([1, 2, 255]) },
      },
      {
        topic: 'orders.retry',
        partition: 1,
        offset: 42,
        timestamp: 1718000000015,
        key: Buffer.from('o-1001'),
        value: Buffer.from('{"orderId":"o-1001","amount":42.5}'),
        headers: { traceparent: Buffer.from('00-abc-01'), 'x-attempt': Buffer.from('2') },
      },
    ]);
  });

  it('leaves out a null key and value, as AWS does, and decodes them back to null', () => {
    // Prepare
    const messages = [message({ key: null, value: null })];

    // Act
    const event = overTheWire(buildSelfManagedKafkaEvent('b:9092', 'orders.v1', 0, messages));
    const records = decodeKafkaEvent(event);

    // Assess
    const lambdaRecord = event.records['orders.v1-0']?.[0];
    expect(lambdaRecord).not.toHaveProperty('key');
    expect(lambdaRecord).not.toHaveProperty('value');
    expect(records[0]?.key).toBeNull();
    expect(records[0]?.value).toBeNull();
  });

  it('keeps an empty value apart from a null one', () => {
    // Prepare
    const messages = [message({ value: Buffer.alloc(0) })];

    // Act
    const [record] = decodeKafkaEvent(
      overTheWire(buildSelfManagedKafkaEvent('b:9092', 'orders.v1', 0, messages)),
    );

    // Assess
    expect(record?.value).toEqual(Buffer.alloc(0));
  });
});

describe('toLambdaHeaders', () => {
  it('lists a repeated header once per value and skips undefined ones', () => {
    // Act
    const headers = toLambdaHeaders({ a: ['1', Buffer.from('2')], b: undefined, c: 'x' });

    // Assess
    expect(headers).toEqual([{ a: [49] }, { a: [50] }, { c: [120] }]);
  });

  it('returns no headers for a message without any', () => {
    // Act
    const headers = toLambdaHeaders(undefined);

    // Assess
    expect(headers).toEqual([]);
  });
});
