import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFailureEnvelope } from '../../../shared/operator/envelope.js';

const fixture = (): Record<string, unknown> =>
  structuredClone(
    JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, '../../events/lambda-on-failure-kafka.json'), 'utf8'),
    ) as Record<string, unknown>,
  );

const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('decodeFailureEnvelope', () => {
  it('lists the records of a Lambda on-failure destination envelope one by one', () => {
    // Act
    const envelope = decodeFailureEnvelope(bytes(fixture()));

    // Assess
    expect(envelope?.condition).toBe('RetriesExhausted');
    expect(envelope?.approximateInvokeCount).toBe(3);
    expect(envelope?.functionError).toBe('Unhandled');
    expect(
      envelope?.records.map((record) => ({
        topic: record.topic,
        offset: record.offset,
        key: record.key?.toString(),
        value: JSON.parse(record.value?.toString() ?? 'null'),
        headers: Object.keys(record.headers),
      })),
    ).toEqual([
      {
        topic: 'orders.v1',
        offset: 100,
        key: 'o-env-1',
        value: { orderId: 'o-env-1', amount: 19.99 },
        headers: ['traceparent'],
      },
      {
        topic: 'orders.v1',
        offset: 101,
        key: 'o-env-2',
        value: { orderId: 'o-env-2', amount: 19.99 },
        headers: ['traceparent'],
      },
    ]);
  });

  it('keeps a record without a key or value as null', () => {
    // Prepare
    const envelope = fixture();
    const records = (envelope.payload as { records: Record<string, Array<Record<string, unknown>>> }).records;
    const [first] = records['orders.v1-0'] ?? [];
    if (first) {
      delete first.key;
      first.value = null;
    }

    // Act
    const decoded = decodeFailureEnvelope(bytes(envelope));

    // Assess
    expect(decoded?.records[0]?.key).toBeNull();
    expect(decoded?.records[0]?.value).toBeNull();
  });

  it.each([
    ['an ordinary order', { orderId: 'o-1', amount: 1 }],
    ['JSON without payload.records', { requestContext: { condition: 'RetriesExhausted' }, payload: {} }],
    [
      'a record without a topic',
      { requestContext: { condition: 'x' }, payload: { records: { 't-0': [{ partition: 0, offset: 1 }] } } },
    ],
    [
      'a value that is not base64',
      {
        requestContext: { condition: 'x' },
        payload: { records: { 't-0': [{ topic: 't', partition: 0, offset: 1, value: '***' }] } },
      },
    ],
  ])('does not take %s for an envelope', (_name, value) => {
    // Act
    const decoded = decodeFailureEnvelope(bytes(value));

    // Assess
    expect(decoded).toBeUndefined();
  });

  it('does not take bytes that are not JSON, or a null value, for an envelope', () => {
    // Act
    const results = [
      decodeFailureEnvelope(Buffer.from('{"requestContext": "payload" broken')),
      decodeFailureEnvelope(null),
      decodeFailureEnvelope(Buffer.from([0xde, 0xad, 0xbe, 0xef])),
    ];

    // Assess
    expect(results).toEqual([undefined, undefined, undefined]);
  });
});
