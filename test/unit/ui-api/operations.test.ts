import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/ui-api/http.js';
import { buildProduceMessage } from '../../../shared/ui-api/operations.js';
import { parseProduce, parseRedrive, topicRoleOf } from '../../../shared/ui-api/requests.js';
import { topics } from '../helpers/records.js';

describe('produce requests', () => {
  it('validates a form order with the shared schema and keys it by order id', () => {
    // Prepare
    const request = parseProduce({
      mode: 'form',
      order: { orderId: 'o-9', amount: 3, simulate: { failUntilRedriven: true } },
    });

    // Act
    const message = buildProduceMessage(request, topics);

    // Assess
    expect(message.topic).toBe(topics.orders);
    expect(message.key?.toString()).toBe('o-9');
    expect(JSON.parse(message.value?.toString() ?? '')).toEqual({
      orderId: 'o-9',
      amount: 3,
      currency: 'EUR',
      simulate: { failUntilRedriven: true },
    });
  });

  it('refuses an invalid form order with a 400 that says why', () => {
    // Prepare
    const request = parseProduce({ mode: 'form', order: { orderId: 'o 9', amount: 'lots' } });

    // Act
    const build = () => buildProduceMessage(request, topics);

    // Assess
    expect(build).toThrow(ApiError);
    expect(build).toThrow(/invalid order: orderId/);
  });

  it('sends a raw value as typed, hex and null included', () => {
    // Act
    const text = buildProduceMessage(parseProduce({ mode: 'raw', key: 'k', value: 'not json' }), topics);
    const hex = buildProduceMessage(
      parseProduce({
        mode: 'raw',
        value: 'ff 00',
        valueEncoding: 'hex',
        topic: 'retry',
        headers: { a: 'b' },
      }),
      topics,
    );
    const tombstone = buildProduceMessage(parseProduce({ mode: 'raw', value: null }), topics);

    // Assess
    expect(text.value?.toString()).toBe('not json');
    expect(hex).toMatchObject({ topic: topics.retry, key: null, value: Buffer.from([0xff, 0]) });
    expect(hex.headers.a?.toString()).toBe('b');
    expect(tombstone.value).toBeNull();
  });

  it('refuses unknown modes, unknown fields and oversized values', () => {
    // Act & Assess
    expect(() => parseProduce({ mode: 'sql' })).toThrow(/invalid produce request/);
    expect(() => parseProduce({ mode: 'raw', value: 'x', topic: 'dlq' })).toThrow(/invalid produce request/);
    expect(() => parseProduce({ mode: 'raw', value: 'x'.repeat(200_000) })).toThrow(
      /invalid produce request/,
    );
    expect(() => parseProduce({ mode: 'raw', value: 'x', extra: 1 })).toThrow(/invalid produce request/);
  });
});

describe('topic allow-list', () => {
  it('knows the three topics by role or name and nothing else', () => {
    // Act & Assess
    expect(topicRoleOf('dlq', topics)).toBe('dlq');
    expect(topicRoleOf('orders.retry', topics)).toBe('retry');
    expect(topicRoleOf('__consumer_offsets', topics)).toBeUndefined();
  });
});

describe('redrive requests', () => {
  it('refuses a redrive naming both records and all, or neither', () => {
    // Act & Assess
    expect(() => parseRedrive({ target: 'origin' })).toThrow(/records or all/);
    expect(() =>
      parseRedrive({ target: 'origin', all: true, records: [{ partition: 0, offset: 1 }] }),
    ).toThrow(/records or all/);
    expect(() => parseRedrive({ target: 'dlq', all: true })).toThrow(/invalid redrive request/);
  });
});
